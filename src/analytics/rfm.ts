// RFM in SQL (客户价值 RFM 模型): recency, frequency and net monetary value over a window ending at
// `asOf`; quintile scores with ntile(5) (5 = best: most recent, most frequent, most spent; ties broken
// by customer id so a run is reproducible); and the eight classes by high/low on R, F and M against
// the mean or the median of the scored customers:
//   R high: recency (days) below the centre; F high: frequency above it; M high: net spend above it.
//   M high → 重要 (important), low → 一般 (general); (R,F) = (1,1) 价值 value, (1,0) 发展 development,
//   (0,1) 保持 retain, (0,0) 挽留 win back.
// Returns (退货) reduce M: completed return refunds dated in the window.
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { rows } from '../db/open.ts';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { loadAnalyticsSettings } from './settings.ts';
import { excludedFields } from './currency.ts';
import { planPerCustomerAggregation } from './per-customer-plan.ts';
import { scopeFilter } from './scope.ts';
import { rfmClasses, type RfmClass } from './tables.ts';

export interface RfmOptions {
  orgId: string;
  asOf: Date;
  windowDays: number;
  center: 'mean' | 'median';
  /** Only orders (and their returns) in this currency are scored. */
  currency: string;
}

/** The SQL CASE naming the class from the three high/low booleans. */
const classCase = sql.raw(`CASE WHEN mh THEN (CASE WHEN rh AND fh THEN 'important_value' WHEN rh THEN 'important_development' WHEN fh THEN 'important_retain' ELSE 'important_win_back' END)
  ELSE (CASE WHEN rh AND fh THEN 'general_value' WHEN rh THEN 'general_development' WHEN fh THEN 'general_retain' ELSE 'general_win_back' END) END`);

/**
 * A SELECT of (customer_id, recency_days, frequency, monetary_minor, r_score, f_score, m_score, rfm_class,
 * excluded_orders) for every customer with an order in the currency in the window, and with all
 * measures NULL for those whose orders in the window were all in other currencies (excluded_orders
 * counts them); usable as a subquery (migration matrix) or fed to an INSERT (recompute).
 */
export function rfmScoresSql(o: RfmOptions): SQL {
  const asOf = o.asOf.toISOString();
  const start = new Date(o.asOf.getTime() - o.windowDays * 86_400_000).toISOString();
  const centre = (col: string) => (o.center === 'median' ? sql.raw(`percentile_cont(0.5) WITHIN GROUP (ORDER BY ${col})`) : sql.raw(`avg(${col})`));
  return sql`
    WITH o AS (
      SELECT customer_id, max(ordered_at) FILTER (WHERE currency = ${o.currency}) AS last_at, (count(*) FILTER (WHERE currency = ${o.currency}))::int AS f,
        coalesce(sum(total_minor) FILTER (WHERE currency = ${o.currency}), 0)::bigint AS gross, (count(*) FILTER (WHERE currency <> ${o.currency}))::int AS ex
      FROM orders WHERE org_id = ${o.orgId}::uuid AND ordered_at > ${start}::timestamptz AND ordered_at <= ${asOf}::timestamptz
      GROUP BY customer_id
    ), r AS (
      SELECT rt.customer_id, sum(rt.amount_minor)::bigint AS refunded FROM order_returns rt JOIN orders ro ON ro.id = rt.order_id AND ro.org_id = rt.org_id
      WHERE rt.org_id = ${o.orgId}::uuid AND rt.status = 'completed' AND rt.at > ${start}::timestamptz AND rt.at <= ${asOf}::timestamptz AND ro.currency = ${o.currency}
      GROUP BY rt.customer_id
    ), m AS (
      SELECT o.customer_id, floor(extract(epoch FROM (${asOf}::timestamptz - o.last_at)) / 86400)::int AS recency_days, o.f AS frequency,
        (o.gross - coalesce(r.refunded, 0))::bigint AS monetary_minor, o.ex
      FROM o LEFT JOIN r ON r.customer_id = o.customer_id WHERE o.f > 0
    ), c AS (
      SELECT ${centre('recency_days')} AS rc, ${centre('frequency')} AS fc, ${centre('monetary_minor')} AS mc FROM m
    ), s AS (
      SELECT m.customer_id, m.recency_days, m.frequency, m.monetary_minor, m.ex,
        ntile(5) OVER (ORDER BY m.recency_days DESC, m.customer_id)::smallint AS r_score,
        ntile(5) OVER (ORDER BY m.frequency, m.customer_id)::smallint AS f_score,
        ntile(5) OVER (ORDER BY m.monetary_minor, m.customer_id)::smallint AS m_score,
        (m.recency_days < c.rc) AS rh, (m.frequency > c.fc) AS fh, (m.monetary_minor > c.mc) AS mh
      FROM m CROSS JOIN c
    )
    SELECT customer_id, recency_days, frequency, monetary_minor, r_score, f_score, m_score, (${classCase}) AS rfm_class, ex AS excluded_orders FROM s
    UNION ALL
    SELECT customer_id, NULL::int, NULL::int, NULL::bigint, NULL::smallint, NULL::smallint, NULL::smallint, NULL::text, ex FROM o WHERE f = 0`;
}

export const recomputeRfmInput = z.object({
  asOf: z.string().datetime({ offset: true }).optional(),
  windowDays: z.number().int().min(7).max(3650).optional(),
  center: z.enum(['mean', 'median']).optional(),
});
export const recomputeRfmOutput = z.object({
  scored: z.number(), cleared: z.number(), asOf: z.string(), windowDays: z.number(), center: z.enum(['mean', 'median']),
  ...excludedFields,
});

/**
 * Scores every customer with orders in the window by one INSERT … SELECT … ON CONFLICT; clears the rest.
 * Customers whose orders in the window were all in other currencies get a row without scores and
 * their count of such orders (rfm_excluded_orders), so that the summaries can say what was left out.
 */
export async function materializeRfm(db: Ctx['db'], o: RfmOptions, computedAt: Date): Promise<{ scored: number; cleared: number; excludedOrders: number; excludedCustomers: number }> {
  return db.transaction(async (tx) => {
    await planPerCustomerAggregation(tx);
    const at = computedAt.toISOString();
    const run = newId();
    const inserted = await rows<{ n: number; eo: number; ec: number }>(tx, sql`
      WITH ins AS (
        INSERT INTO customer_values (org_id, customer_id, recency_days, frequency, monetary_minor, r_score, f_score, m_score, rfm_class, rfm_excluded_orders, rfm_window_days, rfm_computed_at, rfm_run)
        SELECT ${o.orgId}::uuid, customer_id, recency_days, frequency, monetary_minor, r_score, f_score, m_score, rfm_class, excluded_orders, ${o.windowDays}::int, ${at}::timestamptz, ${run}::uuid
        FROM (${rfmScoresSql(o)}) scored
        ON CONFLICT (org_id, customer_id) DO UPDATE SET recency_days = EXCLUDED.recency_days, frequency = EXCLUDED.frequency,
          monetary_minor = EXCLUDED.monetary_minor, r_score = EXCLUDED.r_score, f_score = EXCLUDED.f_score, m_score = EXCLUDED.m_score,
          rfm_class = EXCLUDED.rfm_class, rfm_excluded_orders = EXCLUDED.rfm_excluded_orders, rfm_window_days = EXCLUDED.rfm_window_days,
          rfm_computed_at = EXCLUDED.rfm_computed_at, rfm_run = EXCLUDED.rfm_run
        RETURNING rfm_class, rfm_excluded_orders
      ) SELECT (count(*) FILTER (WHERE rfm_class IS NOT NULL))::int AS n, coalesce(sum(rfm_excluded_orders), 0)::int AS eo,
          (count(*) FILTER (WHERE rfm_class IS NULL))::int AS ec FROM ins`);
    // Rows of earlier runs not written by this one: the customer has no order in the window any more.
    const cleared = await rows<{ n: number }>(tx, sql`
      WITH old AS (
        SELECT customer_id, rfm_class IS NOT NULL AS had FROM customer_values
        WHERE org_id = ${o.orgId}::uuid AND (rfm_class IS NOT NULL OR rfm_excluded_orders IS NOT NULL) AND rfm_run IS DISTINCT FROM ${run}::uuid
      ), u AS (
        UPDATE customer_values v SET recency_days = NULL, frequency = NULL, monetary_minor = NULL, r_score = NULL, f_score = NULL, m_score = NULL,
          rfm_class = NULL, rfm_excluded_orders = NULL, rfm_window_days = NULL, rfm_computed_at = ${at}::timestamptz, rfm_run = ${run}::uuid
        FROM old WHERE v.org_id = ${o.orgId}::uuid AND v.customer_id = old.customer_id
        RETURNING old.had
      ) SELECT (count(*) FILTER (WHERE had))::int AS n FROM u`);
    return { scored: inserted[0]?.n ?? 0, cleared: cleared[0]?.n ?? 0, excludedOrders: inserted[0]?.eo ?? 0, excludedCustomers: inserted[0]?.ec ?? 0 };
  });
}

export async function recomputeRfm(ctx: Ctx, raw: z.input<typeof recomputeRfmInput> = {}): Promise<z.output<typeof recomputeRfmOutput>> {
  assertCan(ctx.actor, 'analytics.manage');
  const input = recomputeRfmInput.parse(raw);
  const { settings } = await loadAnalyticsSettings(ctx.db, ctx.actor.orgId);
  const asOf = input.asOf ? new Date(input.asOf) : ctx.now();
  const o: RfmOptions = { orgId: ctx.actor.orgId, asOf, windowDays: input.windowDays ?? settings.rfmWindowDays, center: input.center ?? settings.rfmCenter, currency: settings.currency };
  const r = await materializeRfm(ctx.db, o, ctx.now());
  await audit(ctx, { action: 'analytics.rfm_recompute', entityType: 'customer_values', data: { asOf: asOf.toISOString(), windowDays: o.windowDays, center: o.center, currency: o.currency, ...r } });
  return { ...r, asOf: asOf.toISOString(), windowDays: o.windowDays, center: o.center, currency: o.currency };
}

const classSummary = z.object({ rfmClass: z.enum(rfmClasses), name: z.string(), customers: z.number(), revenueMinor: z.number(), avgRecencyDays: z.number().nullable(), avgFrequency: z.number().nullable() });
export const rfmSummaryOutput = z.object({
  classes: z.array(classSummary),
  /** R score × F score grid (5 × 5) with counts and revenue; M as the mean M score. */
  grid: z.array(z.object({ rScore: z.number(), fScore: z.number(), customers: z.number(), revenueMinor: z.number(), avgMScore: z.number() })),
  scoredCustomers: z.number(),
  computedAt: z.string().nullable(),
  windowDays: z.number().nullable(),
  /** As of the last scoring: orders in the window in other currencies, and customers who had only those. */
  ...excludedFields,
});

/** The materialized classes and the R×F grid (the RFM view's treemap and grid). */
export async function rfmSummary(ctx: Ctx): Promise<z.output<typeof rfmSummaryOutput>> {
  assertCan(ctx.actor, 'analytics.read');
  const org = ctx.actor.orgId;
  const scope = scopeFilter(ctx.actor, sql`v.customer_id`);
  const { settings } = await loadAnalyticsSettings(ctx.db, org);
  // Customers without a class but with orders in other currencies are the excluded ones (NULL group).
  const all = await rows<{ rfm_class: RfmClass | null; n: number; revenue: string; rec: number | null; freq: number | null; eo: number }>(ctx.db, sql`
    SELECT rfm_class, (count(*) FILTER (WHERE rfm_class IS NOT NULL OR rfm_excluded_orders > 0))::int AS n, coalesce(sum(monetary_minor), 0)::text AS revenue,
      avg(recency_days)::float8 AS rec, avg(frequency)::float8 AS freq, coalesce(sum(rfm_excluded_orders), 0)::int AS eo
    FROM customer_values v WHERE v.org_id = ${org}::uuid AND (v.rfm_class IS NOT NULL OR v.rfm_excluded_orders IS NOT NULL) ${scope} GROUP BY rfm_class`);
  const cls = all.filter((c): c is typeof c & { rfm_class: RfmClass } => c.rfm_class !== null);
  const grid = await rows<{ r_score: number; f_score: number; n: number; revenue: string; m: number }>(ctx.db, sql`
    SELECT r_score, f_score, count(*)::int AS n, coalesce(sum(monetary_minor), 0)::text AS revenue, avg(m_score)::float8 AS m
    FROM customer_values v WHERE v.org_id = ${org}::uuid AND v.rfm_class IS NOT NULL ${scope} GROUP BY r_score, f_score ORDER BY r_score, f_score`);
  const [meta] = await rows<{ at: Date | string | null; w: number | null }>(ctx.db, sql`
    SELECT max(rfm_computed_at) AS at, max(rfm_window_days) AS w FROM customer_values WHERE org_id = ${org}::uuid AND rfm_class IS NOT NULL`);
  const byClass = new Map(cls.map((c) => [c.rfm_class, c]));
  return {
    classes: rfmClasses.map((k) => {
      const c = byClass.get(k);
      return { rfmClass: k, name: rfmClassName(k, ctx.actor.locale, settings.classNames), customers: c?.n ?? 0, revenueMinor: Number(c?.revenue ?? 0), avgRecencyDays: c?.rec ?? null, avgFrequency: c?.freq ?? null };
    }),
    grid: grid.map((g) => ({ rScore: g.r_score, fScore: g.f_score, customers: g.n, revenueMinor: Number(g.revenue), avgMScore: g.m })),
    scoredCustomers: cls.reduce((s, c) => s + c.n, 0),
    computedAt: meta?.at ? new Date(meta.at).toISOString() : null,
    windowDays: meta?.w ?? null,
    currency: settings.currency,
    excludedOrders: all.reduce((s, c) => s + c.eo, 0),
    excludedCustomers: all.find((c) => c.rfm_class === null)?.n ?? 0,
  };
}

const defaultNames: Record<RfmClass, { 'zh-CN': string; en: string }> = {
  important_value: { 'zh-CN': '重要价值客户', en: 'Important value' },
  important_development: { 'zh-CN': '重要发展客户', en: 'Important development' },
  important_retain: { 'zh-CN': '重要保持客户', en: 'Important retain' },
  important_win_back: { 'zh-CN': '重要挽留客户', en: 'Important win-back' },
  general_value: { 'zh-CN': '一般价值客户', en: 'General value' },
  general_development: { 'zh-CN': '一般发展客户', en: 'General development' },
  general_retain: { 'zh-CN': '一般保持客户', en: 'General retain' },
  general_win_back: { 'zh-CN': '一般挽留客户', en: 'General win-back' },
};

/** The organization's name for the class when it set one, else the standard name. */
export function rfmClassName(k: RfmClass, locale: 'zh-CN' | 'en', custom: Partial<Record<RfmClass, { 'zh-CN'?: string; en?: string }>>): string {
  return custom[k]?.[locale] ?? defaultNames[k][locale];
}
