import { and, eq, sql, type SQL } from 'drizzle-orm';
import { customerScope, type Actor } from '../platform/context.ts';
import { customers } from './tables.ts';

/**
 * 数据权限 for customers: the one condition every customer query (list, search, detail, timeline,
 * export, reports) adds. Organization always; for territory-scoped roles, customers whose
 * province, city or district code is among the actor's territory region codes.
 */
export function customerScopeCondition(actor: Actor): SQL {
  const org = eq(customers.orgId, actor.orgId);
  if (customerScope(actor) === 'all') return org;
  if (actor.regionCodes.length === 0) return and(org, sql`false`)!;
  const codes = sql.param(actor.regionCodes);
  return and(
    org,
    sql`(${customers.provinceCode} = ANY(${codes}::text[]) OR ${customers.cityCode} = ANY(${codes}::text[]) OR ${customers.districtCode} = ANY(${codes}::text[]))`,
  )!;
}
