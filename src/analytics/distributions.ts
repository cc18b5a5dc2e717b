// CLV distribution (histogram up to the 99th percentile, the rest in the last bin) and a sampled
// P(alive) vs value scatter, both from the materialized customer_values.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows } from '../db/open.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { excludedFields } from './currency.ts';
import { scopeFilter } from './scope.ts';
import { loadAnalyticsSettings } from './settings.ts';
import { rfmClasses } from './tables.ts';

export const clvHistogramQuery = z.object({ bins: z.coerce.number().int().min(2).max(100).default(20) });
export const clvHistogramOutput = z.object({
  customers: z.number(),
  totalClvMinor: z.number(),
  bins: z.array(z.object({ fromMinor: z.number(), toMinor: z.number(), customers: z.number(), clvMinor: z.number() })),
  /** As of the last fit: orders in other currencies left out, and customers who had only those (no CLV). */
  ...excludedFields,
});

export async function clvHistogram(ctx: Ctx, raw: z.input<typeof clvHistogramQuery> = {}): Promise<z.output<typeof clvHistogramOutput>> {
  assertCan(ctx.actor, 'analytics.read');
  const q = clvHistogramQuery.parse(raw);
  const org = ctx.actor.orgId;
  const scope = scopeFilter(ctx.actor, sql`v.customer_id`);
  const { currency } = (await loadAnalyticsSettings(ctx.db, org)).settings;
  const [ex] = await rows<{ eo: number; ec: number }>(ctx.db, sql`
    SELECT coalesce(sum(v.clv_excluded_orders), 0)::int AS eo, (count(*) FILTER (WHERE v.p_alive IS NULL))::int AS ec
    FROM customer_values v WHERE v.org_id = ${org}::uuid AND v.clv_excluded_orders > 0 ${scope}`);
  const excluded = { currency, excludedOrders: ex?.eo ?? 0, excludedCustomers: ex?.ec ?? 0 };
  const found = await rows<{ b: number; n: number; s: number; lo: number; hi: number; total_n: number; total: number }>(ctx.db, sql`
    WITH v AS (SELECT v.clv_minor::float8 AS clv FROM customer_values v WHERE v.org_id = ${org}::uuid AND v.clv_minor IS NOT NULL ${scope}),
    r AS (SELECT coalesce(min(clv), 0) AS lo, coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY clv), 0) AS hi, count(*)::int AS total_n, coalesce(sum(clv), 0) AS total FROM v)
    SELECT least(${q.bins}, greatest(1, width_bucket(v.clv, r.lo, CASE WHEN r.hi > r.lo THEN r.hi ELSE r.lo + 1 END, ${q.bins})))::int AS b,
      count(*)::int AS n, sum(v.clv)::float8 AS s, r.lo::float8 AS lo, r.hi::float8 AS hi, r.total_n, r.total::float8 AS total
    FROM v CROSS JOIN r GROUP BY 1, r.lo, r.hi, r.total_n, r.total ORDER BY 1`);
  if (found.length === 0) return { customers: 0, totalClvMinor: 0, bins: [], ...excluded };
  const { lo, hi, total_n, total } = found[0]!;
  const width = (hi > lo ? hi - lo : 1) / q.bins;
  const by = new Map(found.map((r) => [r.b, r]));
  return {
    customers: total_n,
    totalClvMinor: Math.round(total),
    bins: Array.from({ length: q.bins }, (_, i) => ({
      fromMinor: Math.round(lo + i * width),
      toMinor: Math.round(lo + (i + 1) * width),
      customers: by.get(i + 1)?.n ?? 0,
      clvMinor: Math.round(by.get(i + 1)?.s ?? 0),
    })),
    ...excluded,
  };
}

export const scatterQuery = z.object({ limit: z.coerce.number().int().min(10).max(5000).default(1000) });
export const scatterOutput = z.object({
  customers: z.number(),
  points: z.array(z.object({ customerId: z.string(), pAlive: z.number(), clvMinor: z.number().nullable(), monetaryMinor: z.number().nullable(), rfmClass: z.enum(rfmClasses).nullable() })),
});

/** A uniform sample (Bernoulli on a hash of the id, so it is stable between calls) of customers with P(alive). */
export async function pAliveScatter(ctx: Ctx, raw: z.input<typeof scatterQuery> = {}): Promise<z.output<typeof scatterOutput>> {
  assertCan(ctx.actor, 'analytics.read');
  const q = scatterQuery.parse(raw);
  const org = ctx.actor.orgId;
  const scope = scopeFilter(ctx.actor, sql`v.customer_id`);
  const [c] = await rows<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM customer_values v WHERE v.org_id = ${org}::uuid AND v.p_alive IS NOT NULL ${scope}`);
  const n = c?.n ?? 0;
  if (n === 0) return { customers: 0, points: [] };
  // Keep ~limit points: hashtext is uniform over int4, so compare it against a fraction of its range.
  const frac = Math.min(1, (q.limit * 1.1) / n);
  const cut = Math.floor(-2147483648 + frac * 4294967295);
  const found = await rows<{ customer_id: string; p_alive: number; clv_minor: string | null; monetary_minor: string | null; rfm_class: (typeof rfmClasses)[number] | null }>(ctx.db, sql`
    SELECT v.customer_id, v.p_alive, v.clv_minor::text, v.monetary_minor::text, v.rfm_class FROM customer_values v
    WHERE v.org_id = ${org}::uuid AND v.p_alive IS NOT NULL ${scope} AND hashtext(v.customer_id::text) <= ${cut}
    LIMIT ${q.limit}`);
  return {
    customers: n,
    points: found.map((r) => ({ customerId: r.customer_id, pAlive: r.p_alive, clvMinor: r.clv_minor === null ? null : Number(r.clv_minor), monetaryMinor: r.monetary_minor === null ? null : Number(r.monetary_minor), rfmClass: r.rfm_class })),
  };
}
