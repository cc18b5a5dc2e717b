// Maps the header row of an import file to customer fields. Users export from Excel, other CRMs
// and hand-made sheets, so Chinese and English names, full-width characters, "*" required markers
// and "(选填)" notes are all accepted; `--map 'col=field'` overrides anything guessed.
import { Invalid, fieldError } from '../../platform/errors.ts';

export const baseFields = ['name', 'phones', 'emails', 'province', 'city', 'district', 'street', 'tags', 'kind', 'source', 'owner'] as const;
export type BaseField = (typeof baseFields)[number];
/** A customer field a column feeds; `custom.<key>` for organization-defined fields, `ignore` to drop a column. */
export type ImportField = BaseField | `custom.${string}` | 'ignore';

export interface CustomFieldDef {
  key: string;
  labelZh: string;
  labelEn: string;
  type: string;
  options: string[];
  required: boolean;
}

export interface ColumnMapping {
  /** Column index → field, for mapped columns only. */
  columns: { index: number; header: string; field: Exclude<ImportField, 'ignore'> }[];
  /** Headers that matched nothing (ignored, listed so a user can add a --map). */
  unmapped: string[];
}

const aliases: Record<BaseField, string[]> = {
  name: ['姓名', '名称', '客户名称', '客户姓名', '客户名', '客户', '联系人', '公司名称', '企业名称', 'name', 'customername', 'fullname', 'customer'],
  phones: ['手机', '手机号', '手机号码', '电话', '电话号码', '联系电话', '联系方式', '移动电话', 'mobile', 'phone', 'phones', 'tel', 'telephone', 'cellphone', 'mobilephone'],
  emails: ['邮箱', '电子邮件', '电子邮箱', '邮件', 'email', 'e-mail', 'emails', 'mail', 'emailaddress'],
  province: ['省', '省份', '所在省', '省/直辖市', 'province', 'state'],
  city: ['市', '城市', '所在市', '地市', 'city'],
  district: ['区', '区县', '县', '县区', '区/县', 'district', 'county'],
  street: ['地址', '详细地址', '街道', '街道地址', '通讯地址', 'street', 'address', 'streetaddress'],
  tags: ['标签', '客户标签', 'tags', 'tag', 'labels'],
  kind: ['类型', '客户类型', 'kind', 'type', 'customertype'],
  source: ['来源', '客户来源', '渠道', 'source', 'channel'],
  owner: ['负责人', '客户经理', '归属人', 'owner', 'owneremail', 'manager'],
};

/** Lower-case, NFKC (full-width → ASCII), no spaces, no "*" markers, no trailing "(note)". */
export function normalizeHeader(h: string): string {
  return h
    .normalize('NFKC')
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/\*/g, '')
    .replace(/\([^)]*\)$/, '')
    .replace(/_/g, '');
}

const aliasIndex = new Map<string, BaseField>();
for (const f of baseFields) for (const a of aliases[f]) aliasIndex.set(normalizeHeader(a), f);

/** The field names `--map` accepts, with friendly synonyms. */
function fieldFromMapName(name: string, custom: readonly CustomFieldDef[]): ImportField | null {
  const n = name.trim();
  if (n === 'ignore' || n === '-' || n === '') return 'ignore';
  if (n.startsWith('custom.')) return custom.some((d) => d.key === n.slice(7)) ? (n as ImportField) : null;
  const direct = (baseFields as readonly string[]).includes(n) ? (n as BaseField) : null;
  return direct ?? aliasIndex.get(normalizeHeader(n)) ?? null;
}

/** Parses `--map 'col=field,col2=field2'` (also accepts `;` and `，` between pairs). */
export function parseMapOption(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of s.split(/[,;，；]/)) {
    if (!pair.trim()) continue;
    const eq = pair.lastIndexOf('=');
    if (eq <= 0) throw new Invalid([fieldError('map', 'invalid_map', 'field.import.invalid_map', { pair })]);
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}

export function mapHeaders(headers: readonly string[], custom: readonly CustomFieldDef[], overrides: Record<string, string> = {}): ColumnMapping {
  const customIndex = new Map<string, ImportField>();
  for (const d of custom) {
    for (const label of [`custom.${d.key}`, d.key, d.labelZh, d.labelEn]) customIndex.set(normalizeHeader(label), `custom.${d.key}`);
  }
  const overrideByHeader = new Map<string, string>();
  for (const [col, field] of Object.entries(overrides)) overrideByHeader.set(normalizeHeader(col), field);
  const knownHeaders = new Set(headers.map(normalizeHeader));
  const badOverrides = Object.keys(overrides).filter((col) => !knownHeaders.has(normalizeHeader(col)));
  if (badOverrides.length) {
    throw new Invalid(badOverrides.map((col) => fieldError('map', 'unknown_column', 'field.import.unknown_column', { column: col })));
  }

  const columns: ColumnMapping['columns'] = [];
  const unmapped: string[] = [];
  headers.forEach((header, index) => {
    const key = normalizeHeader(header);
    if (!key) return;
    let field: ImportField | null;
    const override = overrideByHeader.get(key);
    if (override !== undefined) {
      field = fieldFromMapName(override, custom);
      if (!field) throw new Invalid([fieldError('map', 'unknown_field', 'field.import.unknown_field', { field: override, column: header })]);
    } else {
      field = aliasIndex.get(key) ?? customIndex.get(key) ?? null;
    }
    if (field === 'ignore') return;
    if (!field) {
      unmapped.push(header);
      return;
    }
    columns.push({ index, header, field });
  });
  // Several phone or email columns are fine (手机 + 电话); two name columns are ambiguous.
  const repeatable = new Set<ImportField>(['phones', 'emails', 'tags']);
  const seen = new Map<string, string>();
  for (const c of columns) {
    const prev = seen.get(c.field);
    if (prev !== undefined && !repeatable.has(c.field)) {
      throw new Invalid([fieldError('header', 'duplicate_column', 'field.import.duplicate_column', { first: prev, second: c.header, field: c.field })]);
    }
    seen.set(c.field, c.header);
  }
  if (!seen.has('name')) {
    throw new Invalid([fieldError('header', 'missing_name_column', 'field.import.missing_name_column')], 'error.import_no_name_column');
  }
  return { columns, unmapped };
}
