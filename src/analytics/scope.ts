// Data scope (数据权限) for analytics: aggregates and lists only count the customers the actor may
// see. For roles that see all of the organization's customers the condition is only the org, so the
// big aggregates do not join customers at all.
import { sql, type SQL } from 'drizzle-orm';
import { customerScope, type Actor } from '../platform/context.ts';

/** `AND <col> IN (customers in scope)`, or nothing for roles that see every customer. */
export function scopeFilter(actor: Actor, customerIdColumn: SQL): SQL {
  if (customerScope(actor) === 'all') return sql``;
  if (actor.regionCodes.length === 0) return sql` AND false`;
  const codes = sql.param(actor.regionCodes);
  return sql` AND ${customerIdColumn} IN (SELECT sc.id FROM customers sc WHERE sc.org_id = ${actor.orgId}::uuid
    AND (sc.province_code = ANY(${codes}::text[]) OR sc.city_code = ANY(${codes}::text[]) OR sc.district_code = ANY(${codes}::text[])))`;
}

/** Region filter on a customer: the code may be a province, a city or a district (GB/T 2260). */
export function regionFilter(region: string | undefined, customerIdColumn: SQL, orgId: string): SQL {
  if (!region) return sql``;
  return sql` AND ${customerIdColumn} IN (SELECT rc.id FROM customers rc WHERE rc.org_id = ${orgId}::uuid
    AND (rc.province_code = ${region} OR rc.city_code = ${region} OR rc.district_code = ${region}))`;
}

export function segmentFilter(segmentId: string | undefined, customerIdColumn: SQL, orgId: string): SQL {
  if (!segmentId) return sql``;
  return sql` AND ${customerIdColumn} IN (SELECT sm.customer_id FROM segment_members sm WHERE sm.org_id = ${orgId}::uuid AND sm.segment_id = ${segmentId}::uuid)`;
}
