// One row of an import file → a customer candidate, or the reasons it is rejected, each with the
// column it came from. Uses the customer contract (createCustomerInput) so an imported customer
// obeys exactly the rules of one created through the API.
import { createCustomerInput } from '../schemas.ts';
import type { ColumnMapping, CustomFieldDef } from './headers.ts';
import { resolveRegion } from './region-names.ts';

export type RejectReason =
  | 'missing_name'
  | 'too_long'
  | 'invalid_phone'
  | 'invalid_email'
  | 'too_many_values'
  | 'unknown_region'
  | 'region_mismatch'
  | 'invalid_kind'
  | 'unknown_owner'
  | 'missing_required'
  | 'invalid_number'
  | 'invalid_date'
  | 'invalid_boolean'
  | 'invalid_option';

export interface RowError {
  /** Physical line in the file (CSV) or row number (XLSX), 1-based, header included. */
  line: number;
  column: string;
  value: string;
  reason: RejectReason;
  /** Limit for too_long / too_many_values. */
  max?: number;
}

/** A valid row. Optional fields are undefined when the row left them blank (an update keeps the stored value). */
export interface CandidateRow {
  line: number;
  kind?: 'person' | 'company';
  name: string;
  phones: string[];
  emails: string[];
  provinceCode?: string | null;
  cityCode?: string | null;
  districtCode?: string | null;
  street?: string;
  tags: string[];
  custom: Record<string, unknown>;
  ownerId?: string;
  source?: string;
}

export interface RowContext {
  mapping: ColumnMapping;
  custom: ReadonlyMap<string, CustomFieldDef>;
  /** lower-cased email → user id, of the organization's users. */
  owners: ReadonlyMap<string, string>;
}

export type Cell = string | number | boolean | Date | null | undefined;

const KIND: Record<string, 'person' | 'company'> = {
  个人: 'person', 自然人: 'person', person: 'person', individual: 'person', 个人客户: 'person',
  企业: 'company', 公司: 'company', 单位: 'company', 机构: 'company', company: 'company', organization: 'company', business: 'company', 企业客户: 'company',
};
const TRUE = new Set(['是', '有', 'true', 'yes', 'y', '1', '√', 'on']);
const FALSE = new Set(['否', '无', 'false', 'no', 'n', '0', '×', 'off']);

export function cellText(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).trim();
}

function splitList(s: string, re: RegExp): string[] {
  return s.split(re).map((x) => x.trim()).filter(Boolean);
}

const LIST_SEP = /[,，;；、|]/;
const PHONE_SEP = /[,，;；、|/]/;
const EMAIL_SEP = /[,，;；、|\s]/;

function customValue(def: CustomFieldDef, raw: string, cell: Cell): { value: unknown } | { reason: RejectReason; max?: number } {
  switch (def.type) {
    case 'number': {
      const n = typeof cell === 'number' ? cell : Number(raw.replace(/[,，\s]/g, ''));
      return Number.isFinite(n) ? { value: n } : { reason: 'invalid_number' };
    }
    case 'boolean': {
      const k = raw.toLowerCase();
      if (TRUE.has(k)) return { value: true };
      if (FALSE.has(k)) return { value: false };
      return { reason: 'invalid_boolean' };
    }
    case 'date': {
      const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(raw);
      if (!m) return { reason: 'invalid_date' };
      const iso = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
      const d = new Date(`${iso}T00:00:00Z`);
      return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? { reason: 'invalid_date' } : { value: iso };
    }
    case 'select':
      return def.options.includes(raw) ? { value: raw } : { reason: 'invalid_option' };
    default:
      return raw.length > 500 ? { reason: 'too_long', max: 500 } : { value: raw };
  }
}

/** Validates one data row; returns the candidate or every problem found in it. */
export function validateRow(line: number, cells: readonly Cell[], rc: RowContext): { ok: true; row: CandidateRow } | { ok: false; errors: RowError[] } {
  const errors: RowError[] = [];
  const reject = (column: string, value: string, reason: RejectReason, max?: number) => errors.push({ line, column, value, reason, ...(max ? { max } : {}) });

  let name = '';
  let nameHeader = '';
  const phones: { value: string; header: string }[] = [];
  const emails: { value: string; header: string }[] = [];
  const tags: string[] = [];
  const region: { province?: string; city?: string; district?: string } = {};
  const regionHeader: Record<string, string> = {};
  const row: CandidateRow = { line, name: '', phones: [], emails: [], tags: [], custom: {} };
  const headerOf: Record<string, string> = {};

  for (const col of rc.mapping.columns) {
    const cell = cells[col.index];
    const text = cellText(cell);
    headerOf[col.field] ??= col.header;
    if (col.field === 'name') {
      name = text;
      nameHeader = col.header;
      continue;
    }
    if (!text) {
      if (col.field.startsWith('custom.')) {
        const def = rc.custom.get(col.field.slice(7));
        if (def?.required) reject(col.header, text, 'missing_required');
      }
      continue;
    }
    switch (col.field) {
      case 'phones':
        for (const p of splitList(text, PHONE_SEP)) phones.push({ value: p, header: col.header });
        break;
      case 'emails':
        for (const e of splitList(text, EMAIL_SEP)) emails.push({ value: e, header: col.header });
        break;
      case 'tags':
        for (const t of splitList(text, LIST_SEP)) if (!tags.includes(t)) tags.push(t);
        break;
      case 'province':
      case 'city':
      case 'district':
        region[col.field] = text;
        regionHeader[col.field] = col.header;
        break;
      case 'street':
        row.street = text;
        break;
      case 'source':
        row.source = text;
        break;
      case 'kind': {
        const k = KIND[text.toLowerCase()];
        if (k) row.kind = k;
        else reject(col.header, text, 'invalid_kind');
        break;
      }
      case 'owner': {
        const id = rc.owners.get(text.toLowerCase());
        if (id) row.ownerId = id;
        else reject(col.header, text, 'unknown_owner');
        break;
      }
      default: {
        const def = rc.custom.get(col.field.slice(7));
        if (!def) break;
        const r = customValue(def, text, cell);
        if ('value' in r) row.custom[def.key] = r.value;
        else reject(col.header, text, r.reason, r.max);
      }
    }
  }
  // Required custom fields whose column is missing altogether.
  for (const def of rc.custom.values()) {
    if (def.required && !(def.key in row.custom) && !rc.mapping.columns.some((c) => c.field === `custom.${def.key}`)) {
      reject(`custom.${def.key}`, '', 'missing_required');
    }
  }

  if (region.province || region.city || region.district) {
    const r = resolveRegion(region);
    if ('reason' in r) reject(regionHeader[r.column] ?? regionHeader.province ?? r.column, region[r.column] ?? '', r.reason);
    else Object.assign(row, r);
  }

  const parsed = createCustomerInput.safeParse({
    kind: row.kind,
    name,
    phones: phones.map((p) => p.value),
    emails: emails.map((e) => e.value),
    street: row.street,
    tags,
    source: row.source,
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [field, index] = issue.path as [string, number | undefined];
      const max = issue.code === 'too_big' ? Number((issue as { maximum?: number | bigint }).maximum) : undefined;
      if (field === 'name') {
        reject(nameHeader, name, name ? 'too_long' : 'missing_name', name ? max : undefined);
      } else if (field === 'phones' || field === 'emails') {
        const list = field === 'phones' ? phones : emails;
        if (index === undefined) {
          reject(headerOf[field], list.map((x) => x.value).join(';'), 'too_many_values', max);
        } else {
          const src = list[index];
          const reason: RejectReason = issue.code === 'too_big' ? 'too_long' : field === 'phones' ? 'invalid_phone' : 'invalid_email';
          reject(src?.header ?? field, src?.value ?? '', reason, reason === 'too_long' ? max : undefined);
        }
      } else if (field === 'tags') {
        reject(headerOf.tags, index === undefined ? tags.join(';') : (tags[index] ?? ''), index === undefined ? 'too_many_values' : 'too_long', max);
      } else if (field === 'street' || field === 'source') {
        reject(headerOf[field], (row[field] as string | undefined) ?? '', 'too_long', max);
      } else {
        reject(headerOf[field] ?? field, '', 'too_long', max);
      }
    }
  }
  if (errors.length || !parsed.success) return { ok: false, errors };
  const v = parsed.data;
  row.name = v.name;
  // The contract may normalize to duplicates (+86 138… and 138…): keep each value once.
  row.phones = [...new Set(v.phones)];
  row.emails = [...new Set(v.emails)];
  row.tags = v.tags;
  if (v.street !== undefined && v.street !== null) row.street = v.street;
  if (v.source !== undefined && v.source !== null) row.source = v.source;
  return { ok: true, row };
}
