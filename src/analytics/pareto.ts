// Pareto / concentration (二八分析) in SQL: customers ranked by net revenue (orders minus completed
// return refunds), the cumulative share of revenue against the share of customers, and the share of
// the top 20%. With `margin` (or a category filter) value is read from order lines: revenue = line
// amounts, margin = amount − quantity × product cost over lines whose product has a cost.
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { rows } from '../db/open.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { excludedFields } from './currency.ts';
import { regionFilter, scopeFilter, segmentFilter } from './scope.ts';
import { planPerCustomerAggregation } from './per-customer-plan.ts';
import { loadAnalyticsSettings } from './settings.ts';

const date = z.string().datetime({ offset: true });
export const paretoQuery = z.object({
  from: date.optional(),
  to: date.optional(),
  region: z.string().regex(/^\d{6}$/).optional(),
  category: z.string().trim().min(1).max(100).optional(),
  segmentId: z.string().uuid().optional(),
  margin: z.union([z.boolean(), z.enum(['true', 'false'])]).transform((s) => s === true || s === 'true').default(false),
  points: z.coerce.number().int().min(2).max(1000).default(100),
});
const point = z.object({ customerShare: z.number(), revenueShare: z.number(), marginShare: z.number().nullable() });
export const paretoOutput = z.object({
  customers: z.number(),
  revenueMinor: z.number(),
  marginMinor: z.number().nullable(),
  /** Share of revenue from the top 20% of customers by revenue (top ⌈0.2·n⌉). */
  topShare: z.number().nullable(),
  /** Share of margin from the same top 20% (by revenue). */
  topMarginShare: z.number().nullable(),
  curve: z.array(point),
  ...excludedFields,
});
export type ParetoQuery = z.input<typeof paretoQuery>;

export async function paretoAnalysis(ctx: Ctx, raw: ParetoQuery = {}): Promise<z.output<typeof paretoOutput>> {
  assertCan(ctx.actor, 'analytics.read');
  const q = paretoQuery.parse(raw);
  const org = ctx.actor.orgId;
  const { currency } = (await loadAnalyticsSettings(ctx.db, org)).settings;
  const inCur = sql`o.currency = ${currency}`;
  const cid = sql`o.customer_id`;
  const filters: SQL = sql`${q.from ? sql` AND o.ordered_at >= ${q.from}::timestamptz` : sql``}${q.to ? sql` AND o.ordered_at < ${q.to}::timestamptz` : sql``}${regionFilter(q.region, cid, org)}${segmentFilter(q.segmentId, cid, org)}${scopeFilter(ctx.actor, cid)}`;
  const useLines = q.margin || q.category !== undefined;
  const values = useLines
    ? sql`
      SELECT o.customer_id, sum(l.amount_minor - coalesce(rt.refund, 0)) FILTER (WHERE ${inCur})::float8 AS value,
        sum(CASE WHEN p.cost_minor IS NULL THEN NULL ELSE (l.amount_minor - coalesce(rt.refund, 0)) - (l.quantity - coalesce(rt.qty, 0)) * p.cost_minor END) FILTER (WHERE ${inCur})::float8 AS margin,
        bool_or(${inCur}) AS kept, count(DISTINCT o.id) FILTER (WHERE NOT ${inCur}) AS dropped
      FROM orders o JOIN order_lines l ON l.order_id = o.id AND l.org_id = o.org_id
      JOIN products p ON p.id = l.product_id
      LEFT JOIN (SELECT order_line_id, sum(amount_minor) AS refund, sum(CASE WHEN kind = 'return' THEN quantity ELSE 0 END) AS qty
                 FROM order_returns WHERE org_id = ${org}::uuid AND status = 'completed' GROUP BY order_line_id) rt ON rt.order_line_id = l.id
      WHERE o.org_id = ${org}::uuid ${filters} ${q.category ? sql` AND l.category = ${q.category}` : sql``}
      GROUP BY o.customer_id`
    : sql`
      SELECT o.customer_id, (coalesce(sum(o.total_minor) FILTER (WHERE ${inCur}), 0) - coalesce(max(rt.refund), 0))::float8 AS value, NULL::float8 AS margin,
        bool_or(${inCur}) AS kept, count(*) FILTER (WHERE NOT ${inCur}) AS dropped
      FROM orders o
      LEFT JOIN (SELECT r.customer_id, sum(r.amount_minor) AS refund FROM order_returns r JOIN orders ro ON ro.id = r.order_id AND ro.org_id = r.org_id
                 WHERE r.org_id = ${org}::uuid AND r.status = 'completed' AND ro.currency = ${currency} ${q.from ? sql` AND r.at >= ${q.from}::timestamptz` : sql``} ${q.to ? sql` AND r.at < ${q.to}::timestamptz` : sql``}
                 GROUP BY r.customer_id) rt ON rt.customer_id = o.customer_id
      WHERE o.org_id = ${org}::uuid ${filters}
      GROUP BY o.customer_id`;
  // One scan: customers with an order in the currency are ranked, the rest only counted (ex); the
  // LEFT JOIN keeps the counts when nobody is ranked.
  type Found = { rn: number | null; n: number; cum: number; total: number; cm: number | null; tm: number | null; top: boolean; eo: number; ec: number };
  // From order lines the work is a join first, which the sorted plan does not help.
  const found = await ctx.db.transaction(async (tx) => {
    if (!useLines) await planPerCustomerAggregation(tx);
    return rows<Found>(tx, sql`
    WITH v AS (${values}),
    ex AS (SELECT coalesce(sum(dropped), 0)::int AS eo, (count(*) FILTER (WHERE NOT kept))::int AS ec FROM v),
    ranked AS (
      SELECT row_number() OVER w AS rn, count(*) OVER () AS n,
        sum(value) OVER w AS cum, sum(value) OVER () AS total,
        sum(margin) OVER w AS cm, sum(margin) OVER () AS tm
      FROM v WHERE kept WINDOW w AS (ORDER BY value DESC, customer_id ROWS UNBOUNDED PRECEDING)
    ),
    pts AS (
      SELECT rn::int, n::int, cum, total, cm, tm, (rn = ceil(0.2 * n)) AS top FROM ranked
      WHERE rn = n OR rn = ceil(0.2 * n) OR rn % greatest(1, n / ${q.points}) = 0
    )
    SELECT pts.*, ex.eo, ex.ec FROM ex LEFT JOIN pts ON true ORDER BY pts.rn`);
  });
  const excluded = { currency, excludedOrders: found[0]?.eo ?? 0, excludedCustomers: found[0]?.ec ?? 0 };
  const result = found.filter((r): r is typeof r & { rn: number } => r.rn !== null);
  if (result.length === 0) return { customers: 0, revenueMinor: 0, marginMinor: null, topShare: null, topMarginShare: null, curve: [], ...excluded };
  const n = result[0]!.n;
  const total = Number(result[0]!.total);
  const tm = result[0]!.tm === null ? null : Number(result[0]!.tm);
  const share = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const top = result.find((r) => r.top);
  return {
    customers: n,
    revenueMinor: Math.round(total),
    marginMinor: tm === null ? null : Math.round(tm),
    topShare: top ? share(Number(top.cum), total) : null,
    topMarginShare: top && tm !== null && top.cm !== null ? share(Number(top.cm), tm) : null,
    curve: [{ customerShare: 0, revenueShare: 0, marginShare: tm === null ? null : 0 }, ...result.map((r) => ({
      customerShare: r.rn / n,
      revenueShare: share(Number(r.cum), total),
      marginShare: tm === null || r.cm === null ? null : share(Number(r.cm), tm),
    }))],
    ...excluded,
  };
}
