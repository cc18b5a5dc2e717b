import { and, eq, sql, type SQL } from 'drizzle-orm';
import { customerScope, type Actor } from '../platform/context.ts';
import { customers } from './tables.ts';
import type { CondSpec } from './list-customers.ts';

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

/** The same condition as a cacheable spec for the customer list (see CondSpec in list-customers.ts). */
export function customerScopeSpec(actor: Actor): CondSpec {
  const values = { scopeOrg: actor.orgId };
  if (customerScope(actor) === 'all') return { key: 'scope:all', values, build: (b) => sql`${customers.orgId} = ${b('scopeOrg')}::uuid` };
  if (actor.regionCodes.length === 0) return { key: 'scope:none', values, build: (b) => sql`(${customers.orgId} = ${b('scopeOrg')}::uuid AND false)` };
  return {
    key: 'scope:territory',
    values: { ...values, scopeCodes: actor.regionCodes },
    build: (b) =>
      sql`(${customers.orgId} = ${b('scopeOrg')}::uuid AND (${customers.provinceCode} = ANY(${b('scopeCodes')}::text[]) OR ${customers.cityCode} = ANY(${b('scopeCodes')}::text[]) OR ${customers.districtCode} = ANY(${b('scopeCodes')}::text[])))`,
  };
}
