// Drill-down from the charts: customers filtered by RFM class, segment, key account, movement or
// score ranges, in the actor's data scope, with their value measures; keyset-paged by value.
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { rows } from '../db/open.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Invalid } from '../platform/errors.ts';
import { customerScopeCondition } from '../customers/scope.ts';
import { loadAnalyticsSettings } from './settings.ts';
import { rfmClasses } from './tables.ts';

const score = z.coerce.number().int().min(1).max(5);
export const valueCustomersQuery = z.object({
  rfmClass: z.enum(rfmClasses).optional(),
  segmentId: z.string().uuid().optional(),
  /** Top share by net spend in the RFM window (大客户), share from the settings. */
  keyAccount: z.union([z.boolean(), z.enum(['true', 'false'])]).transform((s) => s === true || s === 'true').optional(),
  rScore: score.optional(),
  fScore: score.optional(),
  mScore: score.optional(),
  minPAlive: z.coerce.number().min(0).max(1).optional(),
  maxPAlive: z.coerce.number().min(0).max(1).optional(),
  minClv: z.coerce.number().optional(),
  maxClv: z.coerce.number().optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const item = z.object({
  id: z.string(), name: z.string(), provinceCode: z.string().nullable(), cityCode: z.string().nullable(),
  rfmClass: z.enum(rfmClasses).nullable(), rScore: z.number().nullable(), fScore: z.number().nullable(), mScore: z.number().nullable(),
  monetaryMinor: z.number().nullable(), clvMinor: z.number().nullable(), pAlive: z.number().nullable(),
});
export const valueCustomersPage = z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export async function listValueCustomers(ctx: Ctx, raw: z.input<typeof valueCustomersQuery> = {}): Promise<z.output<typeof valueCustomersPage>> {
  assertCan(ctx.actor, 'analytics.read');
  assertCan(ctx.actor, 'customer.read');
  const q = valueCustomersQuery.parse(raw);
  const org = ctx.actor.orgId;
  const conds: SQL[] = [];
  if (q.rfmClass) conds.push(sql`v.rfm_class = ${q.rfmClass}`);
  if (q.segmentId) conds.push(sql`EXISTS (SELECT 1 FROM segment_members m WHERE m.segment_id = ${q.segmentId}::uuid AND m.customer_id = customers.id)`);
  if (q.rScore) conds.push(sql`v.r_score = ${q.rScore}`);
  if (q.fScore) conds.push(sql`v.f_score = ${q.fScore}`);
  if (q.mScore) conds.push(sql`v.m_score = ${q.mScore}`);
  if (q.minPAlive !== undefined) conds.push(sql`v.p_alive >= ${q.minPAlive}`);
  if (q.maxPAlive !== undefined) conds.push(sql`v.p_alive <= ${q.maxPAlive}`);
  if (q.minClv !== undefined) conds.push(sql`v.clv_minor >= ${q.minClv}`);
  if (q.maxClv !== undefined) conds.push(sql`v.clv_minor <= ${q.maxClv}`);
  if (q.keyAccount !== undefined) {
    const { settings } = await loadAnalyticsSettings(ctx.db, org);
    // The cut-off spend of the top share among scored customers.
    const cut = sql`(SELECT percentile_disc(${1 - settings.keyAccounts.topShare}::float8) WITHIN GROUP (ORDER BY monetary_minor) FROM customer_values WHERE org_id = ${org}::uuid AND rfm_class IS NOT NULL)`;
    conds.push(q.keyAccount ? sql`v.monetary_minor >= ${cut}` : sql`(v.monetary_minor IS NULL OR v.monetary_minor < ${cut})`);
  }
  if (q.cursor) {
    const m = /^(-?\d+|n)\|([0-9a-f-]{36})$/.exec(q.cursor);
    if (!m) throw new Invalid([{ path: 'cursor', code: 'invalid_cursor', message: 'invalid cursor' }]);
    const key = m[1] === 'n' ? null : m[1]!;
    conds.push(key === null
      ? sql`(v.monetary_minor IS NULL AND customers.id > ${m[2]}::uuid)`
      : sql`(v.monetary_minor IS NULL OR v.monetary_minor < ${key}::bigint OR (v.monetary_minor = ${key}::bigint AND customers.id > ${m[2]}::uuid))`);
  }
  const found = await rows<{
    id: string; name: string; province_code: string | null; city_code: string | null; rfm_class: (typeof rfmClasses)[number] | null;
    r_score: number | null; f_score: number | null; m_score: number | null; monetary_minor: string | null; clv_minor: string | null; p_alive: number | null;
  }>(ctx.db, sql`
    SELECT customers.id, customers.name, customers.province_code, customers.city_code, v.rfm_class, v.r_score, v.f_score, v.m_score,
      v.monetary_minor::text, v.clv_minor::text, v.p_alive
    FROM customers LEFT JOIN customer_values v ON v.org_id = customers.org_id AND v.customer_id = customers.id
    WHERE ${customerScopeCondition(ctx.actor)} ${conds.length ? sql` AND ${sql.join(conds, sql` AND `)}` : sql``}
    ORDER BY v.monetary_minor DESC NULLS LAST, customers.id LIMIT ${q.limit + 1}`);
  const page = found.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: r.id, name: r.name, provinceCode: r.province_code, cityCode: r.city_code, rfmClass: r.rfm_class, rScore: r.r_score, fScore: r.f_score, mScore: r.m_score,
      monetaryMinor: r.monetary_minor === null ? null : Number(r.monetary_minor), clvMinor: r.clv_minor === null ? null : Number(r.clv_minor), pAlive: r.p_alive,
    })),
    nextCursor: found.length > q.limit && last ? `${last.monetary_minor ?? 'n'}|${last.id}` : null,
  };
}
