// How a customer row leaves the server: region names from GB/T 2260 codes and 脱敏 (masking) for
// callers without `customer.pii`. Every endpoint that returns customer data goes through here.
import { can, type Actor } from '../platform/context.ts';
import { isUuid } from '../platform/ids.ts';
import { regionByCode } from '../platform/regions.ts';
import { maskEmail, maskPhone } from './model/masking.ts';
import type { CustomerOutput } from './schemas.ts';
import { customers } from './tables.ts';

/** The columns a customer response needs (the derived search columns stay in the database). */
export const customerColumns = {
  id: customers.id,
  kind: customers.kind,
  name: customers.name,
  phones: customers.phones,
  emails: customers.emails,
  provinceCode: customers.provinceCode,
  cityCode: customers.cityCode,
  districtCode: customers.districtCode,
  street: customers.street,
  tags: customers.tags,
  custom: customers.custom,
  ownerId: customers.ownerId,
  source: customers.source,
  consent: customers.consent,
  version: customers.version,
  createdAt: customers.createdAt,
  updatedAt: customers.updatedAt,
};

export interface CustomerRow {
  id: string;
  kind: string;
  name: string;
  phones: string[];
  emails: string[];
  provinceCode: string | null;
  cityCode: string | null;
  districtCode: string | null;
  street: string | null;
  tags: string[];
  custom: Record<string, unknown>;
  ownerId: string | null;
  source: string | null;
  consent: Partial<Record<string, boolean>>;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** True when this caller must receive masked phones and emails. */
export function mustMask(actor: Actor): boolean {
  return !can(actor, 'customer.pii');
}

export function regionName(codes: { provinceCode: string | null; cityCode: string | null; districtCode: string | null }): string {
  return [codes.provinceCode, codes.cityCode, codes.districtCode]
    .map((c) => (c ? regionByCode(c)?.name : undefined))
    .filter((n): n is string => Boolean(n))
    .join(' ');
}

export function presentCustomer(row: CustomerRow, ownerName: string | null, masked: boolean): CustomerOutput {
  const consent: Record<string, boolean> = {};
  for (const [k, v] of Object.entries(row.consent ?? {})) if (typeof v === 'boolean') consent[k] = v;
  return {
    id: row.id,
    kind: row.kind === 'company' ? 'company' : 'person',
    name: row.name,
    phones: masked ? row.phones.map(maskPhone) : row.phones,
    emails: masked ? row.emails.map(maskEmail) : row.emails,
    provinceCode: row.provinceCode,
    cityCode: row.cityCode,
    districtCode: row.districtCode,
    regionName: regionName(row),
    street: row.street,
    tags: row.tags,
    custom: row.custom ?? {},
    ownerId: row.ownerId,
    ownerName,
    source: row.source,
    consent,
    masked,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

// Phones inside free text (contact summaries, audit data): mainland mobiles, landlines with area
// code, and +international numbers (also in groups: +44 20 7946 0958), each possibly written with spaces or dashes.
const PHONE_IN_TEXT = /(?<!\d)(?:\+?86[\s-]?)?(?:1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|0\d{2,3}[\s-]?\d{7,8}(?:[\s-]?\d{1,6})?)(?!\d)|\+\d{7,15}(?!\d)|\+\d{1,4}(?:[\s-]\d{1,5}){2,5}(?![\d-])/g;
const EMAIL_IN_TEXT = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** Masks every phone number and email found in a free text. */
export function maskText(text: string): string {
  return text.replace(EMAIL_IN_TEXT, (m) => maskEmail(m)).replace(PHONE_IN_TEXT, (m) => maskPhone(m));
}

/**
 * Masks phones and emails anywhere inside a JSON value (audit data shown on a timeline). Stricter
 * than maskText: any run of 7 or more digits is treated as a phone number.
 */
export function maskDeep(value: unknown): unknown {
  if (typeof value === 'string') return isUuid(value) ? value : maskText(value).replace(/\+?\d{7,}/g, (m) => maskPhone(m));
  if (Array.isArray(value)) return value.map(maskDeep);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, maskDeep(v)]));
  }
  return value;
}
