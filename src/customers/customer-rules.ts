// Rules every customer write obeys (create, update, and the import when it writes rows one by one):
// owner in the same organization, consistent GB/T 2260 region codes, deduplicated phones/emails.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/open.ts';
import { type KeyedFieldError, fieldError } from '../platform/errors.ts';
import { regionByCode } from '../platform/regions.ts';
import { users } from '../platform/tables.ts';

export interface RegionCodes {
  provinceCode: string | null;
  cityCode: string | null;
  districtCode: string | null;
}

/**
 * Checks that each code exists at its level and that district ⊂ city ⊂ province; missing ancestors
 * are filled in from the lower code (a district alone is enough). Municipalities such as 北京
 * have districts directly under the province and no city level.
 */
export function normalizeRegion(input: RegionCodes): { value: RegionCodes; errors: KeyedFieldError[] } {
  const errors: KeyedFieldError[] = [];
  const check = (path: keyof RegionCodes, level: 'province' | 'city' | 'district') => {
    const code = input[path];
    if (!code) return undefined;
    const r = regionByCode(code);
    if (!r || r.level !== level) {
      errors.push(fieldError(path, 'unknown_region', `field.customers.unknown_${level}`, { code }));
      return undefined;
    }
    return r;
  };
  const p = check('provinceCode', 'province');
  const c = check('cityCode', 'city');
  const d = check('districtCode', 'district');
  if (errors.length) return { value: input, errors };
  let provinceCode = p?.code ?? null;
  let cityCode = c?.code ?? null;
  const districtCode = d?.code ?? null;
  if (d) {
    const parent = regionByCode(d.parentCode ?? '');
    if (parent?.level === 'city') {
      if (cityCode && cityCode !== parent.code) errors.push(fieldError('districtCode', 'region_mismatch', 'field.customers.district_not_in_city'));
      cityCode ??= parent.code;
    } else if (parent?.level === 'province') {
      if (cityCode) errors.push(fieldError('cityCode', 'region_mismatch', 'field.customers.district_has_no_city'));
      if (provinceCode && provinceCode !== parent.code) errors.push(fieldError('districtCode', 'region_mismatch', 'field.customers.district_not_in_province'));
      provinceCode ??= parent.code;
    }
  }
  if (cityCode && !errors.length) {
    const parentCode = regionByCode(cityCode)?.parentCode ?? null;
    const path = input.cityCode ? 'cityCode' : 'districtCode';
    if (provinceCode && provinceCode !== parentCode) errors.push(fieldError(path, 'region_mismatch', 'field.customers.not_in_province'));
    provinceCode ??= parentCode;
  }
  return { value: { provinceCode, cityCode, districtCode }, errors };
}

export function dedupe(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** The owner (客户经理) must be an active user of the same organization. */
export async function checkOwner(db: Db, orgId: string, ownerId: string | null | undefined): Promise<KeyedFieldError[]> {
  if (!ownerId) return [];
  const [u] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, ownerId), eq(users.orgId, orgId), eq(users.active, true)));
  return u ? [] : [fieldError('ownerId', 'unknown_owner', 'field.customers.unknown_owner')];
}

export const outOfScope: KeyedFieldError = fieldError('provinceCode', 'out_of_scope', 'field.customers.out_of_scope');
