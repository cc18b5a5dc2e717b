// 客户导出: the customers the caller may see (数据权限), masked for roles without customer.pii (脱敏),
// streamed as CSV (UTF-8 with BOM so Excel opens it; GBK on request) or XLSX. Keyset pagination by
// id in batches, so memory stays flat however many customers there are.
import { once } from 'node:events';
import { PassThrough, Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { and, asc, eq, gt } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { z } from 'zod';
import { audit } from '../platform/audit.ts';
import { assertCan, can, type Ctx } from '../platform/context.ts';
import { customFieldDefs, organizations, users } from '../platform/tables.ts';
import { maskEmail, maskPhone } from './model/masking.ts';
import { customerScopeCondition } from './scope.ts';
import { customers } from './tables.ts';
import { regionName } from './import/region-names.ts';
import { localDateTimeFormatter } from '../platform/local-time.ts';

export const exportCustomersOptions = z.object({
  format: z.enum(['csv', 'xlsx']).default('csv'),
  /** CSV only: utf8 (with BOM, the default) or gbk for old Excel versions. */
  encoding: z.enum(['utf8', 'gbk']).default('utf8'),
});
export type ExportCustomersOptions = z.input<typeof exportCustomersOptions>;

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

function csvCell(v: string): string {
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

function fetchBatch(ctx: Ctx, after: string | null): Promise<ExportRow[]> {
  const scope = customerScopeCondition(ctx.actor);
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
async function* batches(ctx: Ctx): AsyncGenerator<ExportRow[]> {
  let pending: Promise<ExportRow[]> | null = fetchBatch(ctx, null);
  while (pending) {
    const page: ExportRow[] = await pending;
    if (page.length === 0) return;
    pending = page.length < EXPORT_BATCH ? null : fetchBatch(ctx, page[page.length - 1].id);
    pending?.catch(() => {}); // an error surfaces when it is awaited on the next turn
    yield page;
  }
}

/**
 * Checks the permission at once (so an HTTP caller gets a 403 before any byte is sent) and returns
 * the export as a stream. One audit entry (customer.export) when the stream has been fully produced.
 */
export async function customerExport(ctx: Ctx, raw: ExportCustomersOptions = {}): Promise<CustomerExport> {
  assertCan(ctx.actor, 'customer.export');
  const opts = exportCustomersOptions.parse(raw);
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
    await audit(ctx, { action: 'customer.export', entityType: 'customer', data: { format: opts.format, encoding: opts.encoding, rows, masked } });
    ctx.log.info({ rows, format: opts.format, masked }, 'customer export finished');
    resolveDone({ rows });
  };

  if (opts.format === 'csv') {
    const encode = (s: string): Buffer => (opts.encoding === 'gbk' ? iconv.encode(s, 'gb18030') : Buffer.from(s, 'utf8'));
    async function* chunks(): AsyncGenerator<Buffer> {
      try {
        yield encode(`${opts.encoding === 'utf8' ? '\uFEFF' : ''}${headers.map(csvCell).join(',')}\r\n`);
        let rows = 0;
        for await (const page of batches(ctx)) {
          let text = '';
          for (const r of page) {
            const cells = values(r).map(csvCell);
            // A tab before the number keeps Excel from turning a mobile number into 1.38E+10.
            if (cells[2]) cells[2] = `\t${cells[2]}`;
            text += `${cells.join(',')}\r\n`;
          }
          rows += page.length;
          yield encode(text);
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
    for await (const page of batches(ctx)) {
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

/** Writes the export to `out` (a file, a response) and resolves with the row count. */
export async function exportCustomers(ctx: Ctx, input: ExportCustomersOptions & { out: Writable }): Promise<{ rows: number }> {
  const exp = await customerExport(ctx, input);
  await pipeline(exp.stream, input.out);
  return exp.done;
}
