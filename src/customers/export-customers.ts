// 客户导出: the customers the caller may see (数据权限), masked for roles without customer.pii (脱敏),
// streamed as CSV (UTF-8 with BOM so Excel opens it; GBK on request) or XLSX. Keyset pagination by
// id in batches, so memory stays flat however many customers there are.
import { once } from 'node:events';
import { PassThrough, Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { and, asc, eq, gt, sql, type SQL } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { z } from 'zod';
import { audit } from '../platform/audit.ts';
import { assertCan, can, type Ctx } from '../platform/context.ts';
import { customFieldDefs, organizations, users } from '../platform/tables.ts';
import { maskEmail, maskPhone } from './model/masking.ts';
import { condSql, customerListSpecs } from './list-customers.ts';
import { customerScopeCondition } from './scope.ts';
import { listCustomersQuery } from './schemas.ts';
import { customers } from './tables.ts';
import { regionName } from './import/region-names.ts';
import { localDateTimeFormatter } from '../platform/local-time.ts';
import { regionNamesJson } from '../platform/regions.ts';
import { rows as sqlRows } from '../db/open.ts';

/**
 * The customer list's filters (search, tags, region, … and the value filters: RFM class, segment,
 * tier, scores, key account, CLV and P(alive) bounds) with the list's own validation, so that an
 * export writes exactly the customers the list shows; plus the file format. The list's sort and
 * paging do not apply (the export walks customers by id).
 */
export const exportCustomersOptions = listCustomersQuery.omit({ sort: true, cursor: true, limit: true }).extend({
  format: z.enum(['csv', 'xlsx']).default('csv'),
  /** CSV only: utf8 (with BOM, the default) or gbk for old Excel versions. */
  encoding: z.enum(['utf8', 'gbk']).default('utf8'),
});
export type ExportCustomersOptions = z.input<typeof exportCustomersOptions>;
/** Parsed options (the route's querystring schema parses them; parsing turns `tags` into a list). */
export type ExportCustomersParams = z.output<typeof exportCustomersOptions>;

export const EXPORT_BATCH = 5000;

export interface CustomerExport {
  stream: Readable;
  contentType: string;
  /** 客户导出-20240501.csv, in the organization's time zone. */
  fileName: string;
  /** Resolves with the number of customers written once the stream has ended. */
  done: Promise<{ rows: number }>;
}

type ExportRow = {
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
  source: string | null;
  ownerEmail: string | null;
  createdAt: Date;
  updatedAt: Date;
};

/** Headers that the import maps back (负责人 carries the owner's email), so an export re-imports as is. */
const BASE_HEADERS = ['姓名', '类型', '手机', '邮箱', '省', '市', '区', '详细地址', '标签', '来源', '负责人'];
const TAIL_HEADERS = ['创建时间', '更新时间', '客户ID'];

/** One CSV cell. Its SQL twin is kefu_csv_cell (drizzle/0007), which the CSV export uses; a test keeps them equal. */
export function csvCell(v: string): string {
  // Text that Excel would evaluate as a formula is shown as text (CSV injection).
  const safe = /^[=+\-@]/.test(v) && !/^[+-]?\d/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function customCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function fetchBatch(ctx: Ctx, scope: SQL, after: string | null): Promise<ExportRow[]> {
  return ctx.db
    .select({
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
      source: customers.source,
      ownerEmail: users.email,
      createdAt: customers.createdAt,
      updatedAt: customers.updatedAt,
    })
    .from(customers)
    .leftJoin(users, eq(users.id, customers.ownerId))
    .where(after ? and(scope, gt(customers.id, after)) : scope)
    .orderBy(asc(customers.id))
    .limit(EXPORT_BATCH);
}

/**
 * Keyset batches by id. The next batch is requested as soon as one arrives, so the database reads
 * it while this process formats the current one (at most two batches in memory).
 */
async function* batches(ctx: Ctx, scope: SQL): AsyncGenerator<ExportRow[]> {
  let pending: Promise<ExportRow[]> | null = fetchBatch(ctx, scope, null);
  while (pending) {
    const page: ExportRow[] = await pending;
    if (page.length === 0) return;
    pending = page.length < EXPORT_BATCH ? null : fetchBatch(ctx, scope, page[page.length - 1].id);
    pending?.catch(() => {}); // an error surfaces when it is awaited on the next turn
    yield page;
  }
}

interface CsvPage {
  text: string;
  n: number;
  last: string | null;
}

/**
 * The CSV export's lines, formatted by the database: one keyset batch comes back as one string, so
 * Node neither parses nor allocates per row (at 1,000,000 customers that was most of the export's
 * time). Cell by cell the same text as `values` + `csvCell` below, which the XLSX export still uses
 * and which a test compares it with.
 */
export function csvLinesSql(ctx: Ctx, opts: { masked: boolean; timeZone: string; defs: { key: string }[]; where?: SQL }) {
  const scope = opts.where ?? customerScopeCondition(ctx.actor);
  const regions = regionNamesJson();
  // kefu_csv_cell only where a cell needs it: a regular-expression test inline is ~10× cheaper than
  // calling the (not inlinable) SQL function for every cell of a million rows.
  const cell = (e: SQL) => sql`CASE WHEN ${e} IS NULL THEN '' WHEN ${e} ~ '^[-=+@]|[",\r\n]' THEN kefu_csv_cell(${e}) ELSE ${e} END`;
  const list = (col: SQL, mask: string | null) =>
    mask ? sql`array_to_string(ARRAY(SELECT ${sql.raw(mask)}(x) FROM unnest(${col}) x), ';')` : sql`array_to_string(${col}, ';')`;
  const stamp = (col: SQL) => sql`to_char(${col} AT TIME ZONE ${opts.timeZone}, 'YYYY-MM-DD HH24:MI:SS')`;
  const custom = opts.defs.map((d, i) => cell(sql.raw(`v.c${i}`)));
  const customValues = opts.defs.map(
    (d, i) => sql`CASE jsonb_typeof(customers.custom -> ${d.key})
      WHEN 'boolean' THEN CASE WHEN (customers.custom ->> ${d.key})::boolean THEN '是' ELSE '否' END
      WHEN 'object' THEN (customers.custom -> ${d.key})::text WHEN 'array' THEN (customers.custom -> ${d.key})::text
      ELSE customers.custom ->> ${d.key} END AS ${sql.raw(`c${i}`)}`,
  );
  const cells = [
    cell(sql`customers.name`),
    sql`CASE customers.kind WHEN 'company' THEN '企业' ELSE '个人' END`,
    // A tab before the number keeps Excel from turning a mobile number into 1.38E+10.
    sql`CASE WHEN v.phones <> '' THEN E'\t' || ${cell(sql`v.phones`)} ELSE '' END`,
    cell(sql`v.emails`),
    cell(sql`v.province`),
    cell(sql`v.city`),
    cell(sql`v.district`),
    cell(sql`customers.street`),
    cell(sql`v.tags`),
    cell(sql`customers.source`),
    cell(sql`users.email`),
    ...custom,
    stamp(sql`customers.created_at`),
    stamp(sql`customers.updated_at`),
    sql`customers.id::text`,
  ];
  return (after: string | null): Promise<CsvPage[]> =>
    sqlRows<CsvPage>(
      ctx.db,
      sql`WITH r AS (SELECT ${regions}::jsonb AS names)
        SELECT coalesce(string_agg(line, E'\r\n' ORDER BY id), '') AS text, count(*)::int AS n, (array_agg(id::text ORDER BY id DESC))[1] AS last
        FROM (SELECT customers.id, concat_ws(',', ${sql.join(cells, sql`, `)}) AS line
          FROM customers LEFT JOIN users ON users.id = customers.owner_id
          CROSS JOIN r
          CROSS JOIN LATERAL (SELECT ${list(sql`customers.phones`, opts.masked ? 'kefu_mask_phone' : null)} AS phones,
            ${list(sql`customers.emails`, opts.masked ? 'kefu_mask_email' : null)} AS emails,
            array_to_string(customers.tags, ';') AS tags,
            coalesce(r.names ->> customers.province_code, customers.province_code) AS province,
            coalesce(r.names ->> customers.city_code, customers.city_code) AS city,
            coalesce(r.names ->> customers.district_code, customers.district_code) AS district
            ${customValues.length ? sql`, ${sql.join(customValues, sql`, `)}` : sql``}
            OFFSET 0) v -- a fence: computed once per row, not once per reference in the cells below
          WHERE ${after ? and(scope, gt(customers.id, after)) : scope}
          ORDER BY customers.id LIMIT ${EXPORT_BATCH}) b`,
    );
}

/** CSV pages, the next requested while the current one is written. */
async function* csvPages(fetch: (after: string | null) => Promise<CsvPage[]>): AsyncGenerator<CsvPage> {
  let pending: Promise<CsvPage[]> | null = fetch(null);
  while (pending) {
    const found: CsvPage[] = await pending;
    const page = found[0];
    if (!page || page.n === 0) return;
    pending = page.n < EXPORT_BATCH ? null : fetch(page.last);
    pending?.catch(() => {});
    yield page;
  }
}

/**
 * Checks the permission at once (so an HTTP caller gets a 403 before any byte is sent) and returns
 * the export as a stream. One audit entry (customer.export) when the stream has been fully produced.
 */
export async function customerExport(ctx: Ctx, opts: ExportCustomersParams): Promise<CustomerExport> {
  assertCan(ctx.actor, 'customer.export');
  // The list's conditions (data scope first, then the filters), checked here so that a bad filter is
  // a 400 with its fields before any byte is sent.
  const { format: _f, encoding: _e, ...filters } = opts;
  const where = and(...(await customerListSpecs(ctx, filters)).map(condSql))!;
  const masked = !can(ctx.actor, 'customer.pii');
  const [org] = await ctx.db.select({ timezone: organizations.timezone }).from(organizations).where(eq(organizations.id, ctx.actor.orgId));
  const timeZone = org?.timezone ?? 'Asia/Shanghai';
  const defs = await ctx.db
    .select({ key: customFieldDefs.key, labelZh: customFieldDefs.labelZh })
    .from(customFieldDefs)
    .where(and(eq(customFieldDefs.orgId, ctx.actor.orgId), eq(customFieldDefs.entity, 'customer')))
    .orderBy(asc(customFieldDefs.createdAt), asc(customFieldDefs.key));
  const headers = [...BASE_HEADERS, ...defs.map((d) => d.labelZh), ...TAIL_HEADERS];
  const stamp = localDateTimeFormatter(timeZone);
  const day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ctx.now()).replace(/-/g, '');
  const phone = (p: string) => (masked ? maskPhone(p) : p);
  const email = (e: string) => (masked ? maskEmail(e) : e);

  const values = (r: ExportRow): string[] => [
    r.name,
    r.kind === 'company' ? '企业' : '个人',
    r.phones.map(phone).join(';'),
    r.emails.map(email).join(';'),
    regionName(r.provinceCode),
    regionName(r.cityCode),
    regionName(r.districtCode),
    r.street ?? '',
    r.tags.join(';'),
    r.source ?? '',
    r.ownerEmail ?? '',
    ...defs.map((d) => customCell(r.custom?.[d.key])),
    stamp(r.createdAt),
    stamp(r.updatedAt),
    r.id,
  ];

  let resolveDone!: (v: { rows: number }) => void;
  let rejectDone!: (e: unknown) => void;
  const done = new Promise<{ rows: number }>((res, rej) => {
    resolveDone = res;
    rejectDone = rej;
  });
  done.catch(() => {}); // callers that only read the stream see the error there
  const finish = async (rows: number) => {
    await audit(ctx, { action: 'customer.export', entityType: 'customer', data: { format: opts.format, encoding: opts.encoding, rows, masked, filters: activeFilters(filters) } });
    ctx.log.info({ rows, format: opts.format, masked }, 'customer export finished');
    resolveDone({ rows });
  };

  if (opts.format === 'csv') {
    const encode = (s: string): Buffer => (opts.encoding === 'gbk' ? iconv.encode(s, 'gb18030') : Buffer.from(s, 'utf8'));
    async function* chunks(): AsyncGenerator<Buffer> {
      try {
        yield encode(`${opts.encoding === 'utf8' ? '\uFEFF' : ''}${headers.map(csvCell).join(',')}\r\n`);
        let rows = 0;
        for await (const page of csvPages(csvLinesSql(ctx, { masked, timeZone, defs, where }))) {
          rows += page.n;
          yield encode(`${page.text}\r\n`);
        }
        await finish(rows);
      } catch (err) {
        rejectDone(err);
        throw err;
      }
    }
    return {
      stream: Readable.from(chunks(), { objectMode: false }),
      contentType: `text/csv; charset=${opts.encoding === 'gbk' ? 'gbk' : 'utf-8'}`,
      fileName: `客户导出-${day}.csv`,
      done,
    };
  }

  const out = new PassThrough();
  const write = async () => {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    const ws = wb.addWorksheet('客户');
    ws.addRow(headers).commit();
    let rows = 0;
    for await (const page of batches(ctx, where)) {
      for (const r of page) ws.addRow(values(r)).commit();
      rows += page.length;
      // Let the consumer catch up before the next batch, so nothing piles up in memory.
      if (out.writableNeedDrain) await once(out, 'drain');
    }
    ws.commit();
    await wb.commit();
    await finish(rows);
  };
  write().catch((err: unknown) => {
    rejectDone(err);
    out.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return {
    stream: out,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    fileName: `客户导出-${day}.xlsx`,
    done,
  };
}

/** The filters that were set, for the audit entry. */
function activeFilters(f: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)));
}

/** Writes the export to `out` (a file, a response) and resolves with the row count. */
export async function exportCustomers(ctx: Ctx, input: ExportCustomersOptions & { out: Writable }): Promise<{ rows: number }> {
  const { out: _out, ...raw } = input;
  const exp = await customerExport(ctx, exportCustomersOptions.parse(raw));
  await pipeline(exp.stream, input.out);
  return exp.done;
}
