// Winning and losing (正在赢得或失去的客户) and the RFM migration matrix, per period.
// The current period is (asOf − length, asOf], the previous one the same length before it.
// Status of a customer who bought in either period (rules, thresholds in the settings):
//   new       — first order ever in the current period;
//   lost      — bought last period, not this one, and P(alive) below `lostPAlive` (or unknown);
//   growing   — spend ≥ growthRatio × last period's;
//   declining — spend ≤ declineRatio × last period's (incl. no purchase this period while still
//               likely alive), or P(alive) below `decliningPAlive`;
//   stable    — otherwise.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows } from '../db/open.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { loadAnalyticsSettings } from './settings.ts';
import { rfmScoresSql } from './rfm.ts';
import { excludedFields } from './currency.ts';
import { scopeFilter } from './scope.ts';
import { rfmClasses } from './tables.ts';

export const movementStatuses = ['new', 'growing', 'stable', 'declining', 'lost'] as const;
export type MovementStatus = (typeof movementStatuses)[number];
const periodLengths = { month: 30, quarter: 91, year: 365 } as const;

export const movementQuery = z.object({
  period: z.enum(['month', 'quarter', 'year']).default('quarter'),
  asOf: z.string().datetime({ offset: true }).optional(),
});
export const movementOutput = z.object({
  period: z.enum(['month', 'quarter', 'year']),
  current: z.object({ from: z.string(), to: z.string() }),
  previous: z.object({ from: z.string(), to: z.string() }),
  statuses: z.array(z.object({ status: z.enum(movementStatuses), customers: z.number(), spendMinor: z.number(), previousSpendMinor: z.number() })),
  /** Orders of both periods in other currencies, and customers who bought only in those. */
  ...excludedFields,
});

function windows(period: keyof typeof periodLengths, asOf: Date) {
  const len = periodLengths[period] * 86_400_000;
  const t = asOf.getTime();
  return { cur: [new Date(t - len), asOf] as const, prev: [new Date(t - 2 * len), new Date(t - len)] as const };
}

/**
 * The SQL classifying each customer who bought in either period (customer_id, status, cur, prev,
 * dropped): orders in `currency` only; a customer whose orders of both periods were all in other
 * currencies has status NULL, and `dropped` counts each customer's orders in other currencies.
 */
export function movementSql(orgId: string, scope: ReturnType<typeof sql>, w: ReturnType<typeof windows>, m: { growthRatio: number; declineRatio: number; decliningPAlive: number; lostPAlive: number }, currency: string) {
  const [cf, ct] = w.cur.map((d) => d.toISOString());
  const [pf] = w.prev.map((d) => d.toISOString());
  return sql`
    WITH s AS (
      SELECT o.customer_id,
        coalesce(sum(o.total_minor) FILTER (WHERE o.ordered_at > ${cf}::timestamptz AND o.currency = ${currency}), 0)::float8 AS cur,
        coalesce(sum(o.total_minor) FILTER (WHERE o.ordered_at <= ${cf}::timestamptz AND o.currency = ${currency}), 0)::float8 AS prev,
        count(*) FILTER (WHERE o.ordered_at > ${cf}::timestamptz AND o.currency = ${currency})::int AS cur_n,
        count(*) FILTER (WHERE o.currency = ${currency})::int AS kept, count(*) FILTER (WHERE o.currency <> ${currency})::int AS dropped
      FROM orders o WHERE o.org_id = ${orgId}::uuid AND o.ordered_at > ${pf}::timestamptz AND o.ordered_at <= ${ct}::timestamptz ${scope}
      GROUP BY o.customer_id
    ), f AS (
      SELECT s.*, v.p_alive,
        s.kept > 0 AND NOT EXISTS (SELECT 1 FROM orders e WHERE e.org_id = ${orgId}::uuid AND e.customer_id = s.customer_id AND e.ordered_at <= ${cf}::timestamptz AND e.currency = ${currency}) AS is_new
      FROM s LEFT JOIN customer_values v ON v.org_id = ${orgId}::uuid AND v.customer_id = s.customer_id
    )
    SELECT customer_id, cur, prev, dropped, CASE
      WHEN kept = 0 THEN NULL
      WHEN is_new THEN 'new'
      WHEN cur_n = 0 AND (p_alive IS NULL OR p_alive < ${m.lostPAlive}::float8) THEN 'lost'
      WHEN p_alive IS NOT NULL AND p_alive < ${m.decliningPAlive}::float8 THEN 'declining'
      WHEN prev > 0 AND cur >= ${m.growthRatio}::float8 * prev THEN 'growing'
      WHEN cur <= ${m.declineRatio}::float8 * prev THEN 'declining'
      ELSE 'stable' END AS status
    FROM f`;
}

export async function winningLosing(ctx: Ctx, raw: z.input<typeof movementQuery> = {}): Promise<z.output<typeof movementOutput>> {
  assertCan(ctx.actor, 'analytics.read');
  const q = movementQuery.parse(raw);
  const asOf = q.asOf ? new Date(q.asOf) : ctx.now();
  const w = windows(q.period, asOf);
  const { settings } = await loadAnalyticsSettings(ctx.db, ctx.actor.orgId);
  const found = await rows<{ status: MovementStatus | null; n: number; cur: number; prev: number; dropped: number }>(ctx.db, sql`
    SELECT status, count(*)::int AS n, sum(cur)::float8 AS cur, sum(prev)::float8 AS prev, sum(dropped)::int AS dropped
    FROM (${movementSql(ctx.actor.orgId, scopeFilter(ctx.actor, sql`o.customer_id`), w, settings.movement, settings.currency)}) x GROUP BY status`);
  const by = new Map(found.map((r) => [r.status, r]));
  return {
    period: q.period,
    current: { from: w.cur[0].toISOString(), to: w.cur[1].toISOString() },
    previous: { from: w.prev[0].toISOString(), to: w.prev[1].toISOString() },
    statuses: movementStatuses.map((s) => ({ status: s, customers: by.get(s)?.n ?? 0, spendMinor: Math.round(by.get(s)?.cur ?? 0), previousSpendMinor: Math.round(by.get(s)?.prev ?? 0) })),
    currency: settings.currency,
    excludedOrders: found.reduce((s, r) => s + r.dropped, 0),
    excludedCustomers: by.get(null)?.n ?? 0,
  };
}

const classOrNone = z.union([z.enum(rfmClasses), z.literal('none')]);
export const migrationOutput = z.object({
  period: z.enum(['month', 'quarter', 'year']),
  asOf: z.string(),
  previousAsOf: z.string(),
  windowDays: z.number(),
  /** One cell per (from, to) pair that has customers; `none` = not scored (no order in the window). */
  cells: z.array(z.object({ from: classOrNone, to: classOrNone, customers: z.number(), valueMinor: z.number(), previousValueMinor: z.number() })),
  /** For the current window: orders in other currencies, and customers who bought only in those. */
  ...excludedFields,
});

/** RFM class at the end of the previous period against the class now, with counts and value. */
export async function migrationMatrix(ctx: Ctx, raw: z.input<typeof movementQuery> = {}): Promise<z.output<typeof migrationOutput>> {
  assertCan(ctx.actor, 'analytics.read');
  const q = movementQuery.parse(raw);
  const asOf = q.asOf ? new Date(q.asOf) : ctx.now();
  const prevAsOf = new Date(asOf.getTime() - periodLengths[q.period] * 86_400_000);
  const org = ctx.actor.orgId;
  const { settings } = await loadAnalyticsSettings(ctx.db, org);
  const base = { orgId: org, windowDays: settings.rfmWindowDays, center: settings.rfmCenter, currency: settings.currency };
  // Rows of customers not scored on either side (only other currencies) make no cell; the last row
  // (ex) carries the current window's excluded counts.
  const found = await rows<{ from_class: string; to_class: string; n: number; value: number; prev_value: number; ex: boolean }>(ctx.db, sql`
    WITH j AS (
      SELECT p.rfm_class AS pc, c.rfm_class AS cc, p.monetary_minor AS pm, c.monetary_minor AS cm, c.excluded_orders AS eo
      FROM (${rfmScoresSql({ ...base, asOf: prevAsOf })}) p
      FULL OUTER JOIN (${rfmScoresSql({ ...base, asOf })}) c ON c.customer_id = p.customer_id
      WHERE true ${scopeFilter(ctx.actor, sql`coalesce(c.customer_id, p.customer_id)`)}
    )
    SELECT * FROM (
      SELECT coalesce(pc, 'none') AS from_class, coalesce(cc, 'none') AS to_class, count(*)::int AS n,
        coalesce(sum(cm), 0)::float8 AS value, coalesce(sum(pm), 0)::float8 AS prev_value, false AS ex
      FROM j WHERE pc IS NOT NULL OR cc IS NOT NULL GROUP BY 1, 2
      UNION ALL
      SELECT 'none', 'none', (count(*) FILTER (WHERE cc IS NULL AND eo > 0))::int, coalesce(sum(eo), 0)::float8, 0, true FROM j
    ) x ORDER BY ex, from_class, to_class`);
  const ex = found.find((r) => r.ex);
  const cells = found.filter((r) => !r.ex);
  return {
    period: q.period,
    asOf: asOf.toISOString(),
    previousAsOf: prevAsOf.toISOString(),
    windowDays: settings.rfmWindowDays,
    cells: cells.map((r) => ({ from: r.from_class as z.infer<typeof classOrNone>, to: r.to_class as z.infer<typeof classOrNone>, customers: r.n, valueMinor: Math.round(r.value), previousValueMinor: Math.round(r.prev_value) })),
    currency: settings.currency,
    excludedOrders: Math.round(ex?.value ?? 0),
    excludedCustomers: ex?.n ?? 0,
  };
}
