// `kefu import customers FILE` and `kefu export customers FILE.csv|FILE.xlsx`.
// Both run as a system admin of the organization (the first one, or --org NAME).
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import cliProgress from 'cli-progress';
import { asc, eq } from 'drizzle-orm';
import pino from 'pino';
import type { Db } from '../db/open.ts';
import { makeCtx, systemActor, type Ctx } from '../platform/context.ts';
import { DomainError, Invalid } from '../platform/errors.ts';
import { organizations } from '../platform/tables.ts';
import { exportCustomers, exportCustomersOptions, type ExportCustomersOptions } from '../customers/export-customers.ts';
import { importCustomers, type ImportResult } from '../customers/import-customers.ts';
import { parseMapOption } from '../customers/import/headers.ts';
import { reasonText } from '../customers/import/report.ts';
import { t } from '../i18n/messages.ts';
import { importOrders, type ImportOrdersResult } from '../orders/import-orders.ts';
import { orderReasonText } from '../orders/import/order-report.ts';
import { orderStages, type OrderStage } from '../orders/tables.ts';
import { withDatabase } from './db.ts';

function oneOf<T extends string>(values: readonly T[]) {
  return (v: string): T => {
    if (!(values as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected one of ${values.join(', ')}`);
    return v as T;
  };
}

async function systemCtx(db: Db, orgName: string | undefined): Promise<Ctx> {
  const [org] = orgName
    ? await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.name, orgName))
    : await db.select({ id: organizations.id }).from(organizations).orderBy(asc(organizations.createdAt)).limit(1);
  if (!org) throw new Error(orgName ? `organization not found / 组织不存在: ${orgName}` : 'no organization yet / 尚无组织: run `kefu org create` first');
  return makeCtx(db, systemActor(org.id), { log: pino({ level: 'warn' }, pino.destination(2)) });
}

/** Domain errors in words (both languages) rather than message keys. */
function explain(err: unknown): string {
  if (err instanceof DomainError) {
    const lines = [`${t('zh-CN', err.messageKey, err.params)} / ${t('en', err.messageKey, err.params)}`];
    if (err instanceof Invalid) for (const f of err.fields) lines.push(`  ${f.path}: ${f.message}`);
    return lines.join('\n');
  }
  return err instanceof Error ? err.message : String(err);
}

interface ExportCliOpts {
  encoding: 'utf8' | 'gbk';
  masked?: boolean;
  org?: string;
  q?: string;
  tags?: string;
  region?: string;
  rfmClass?: string;
  segment?: string;
  tier?: string;
  rScore?: string;
  fScore?: string;
  mScore?: string;
  keyAccount?: string;
  minClv?: string;
  maxClv?: string;
  minPAlive?: string;
  maxPAlive?: string;
}

/** The flag that sets a field of the export's filters, for error messages (segmentId → --segment). */
function cliFlagOf(field: string): string {
  const renamed: Record<string, string> = { segmentId: 'segment', tierId: 'tier' };
  return `--${(renamed[field] ?? field).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

interface ImportOpts {
  encoding: 'auto' | 'utf8' | 'gbk';
  mode: 'all-or-nothing' | 'skip-invalid';
  dedupe: 'update' | 'skip';
  dryRun?: boolean;
  map?: string;
  org?: string;
  json?: boolean;
}

/** What every file import returns and the CLI reports. */
interface FileImportResult {
  read: number;
  rejected: number;
  committed: boolean;
  report: string;
  unmappedColumns: string[];
  errors: { line: number; column: string; value?: string | null }[];
}

interface CommonImportInput {
  input: string;
  fileName: string;
  format: 'csv' | 'xlsx';
  encoding: ImportOpts['encoding'];
  mode: ImportOpts['mode'];
  dryRun: boolean;
  map: Record<string, string>;
  onProgress: (p: { bytesRead: number }) => void;
}

/**
 * One import from a file, as `kefu import customers|orders` run it: progress bar on a terminal, the
 * row-level error report written beside the file (a stale one removed), counts in both languages or
 * as JSON, exit code 2 when an all-or-nothing import rolled back.
 */
async function runFileImport<R extends FileImportResult>(
  file: string,
  o: Omit<ImportOpts, 'dedupe'>,
  spec: {
    barFormat: string;
    barStart: Record<string, number>;
    countsKey: string;
    counts: (r: R) => Record<string, number>;
    reasonText: (e: R['errors'][number], locale: 'zh-CN' | 'en') => string;
    run: (ctx: Ctx, common: CommonImportInput) => Promise<R>;
  },
): Promise<void> {
  if (!fs.existsSync(file)) throw new Error(`file not found / 文件不存在: ${file}`);
  const size = fs.statSync(file).size;
  const format = path.extname(file).toLowerCase() === '.xlsx' ? 'xlsx' : 'csv';
  const map = o.map ? parseMapOption(o.map) : {};
  await withDatabase(async ({ db }) => {
    const ctx = await systemCtx(db, o.org);
    const bar = !o.json && process.stdout.isTTY ? new cliProgress.SingleBar({ format: spec.barFormat, hideCursor: true }, cliProgress.Presets.shades_classic) : null;
    bar?.start(size, 0, spec.barStart);
    let r: R;
    try {
      r = await spec.run(ctx, {
        input: file,
        fileName: path.basename(file),
        format,
        encoding: o.encoding,
        mode: o.mode,
        dryRun: Boolean(o.dryRun),
        map,
        onProgress: (p) => bar?.update(Math.min(p.bytesRead, size), p),
      });
    } catch (err) {
      bar?.stop();
      throw new Error(explain(err));
    }
    bar?.update(size, r);
    bar?.stop();
    const reportPath = `${file}.errors.csv`;
    let report: string | null = null;
    if (r.rejected > 0) {
      fs.writeFileSync(reportPath, r.report);
      report = reportPath;
    } else if (fs.existsSync(reportPath)) {
      fs.rmSync(reportPath); // a stale report of an earlier run would mislead
    }
    const counts = spec.counts(r);
    if (o.json) {
      process.stdout.write(`${JSON.stringify({ ...counts, committed: r.committed, report })}\n`);
    } else {
      const key = r.committed ? 'import.committed' : o.dryRun ? 'import.dry_run' : 'import.rolled_back';
      process.stdout.write(`${t('zh-CN', key, counts)}：${t('zh-CN', spec.countsKey, counts)}\n`);
      process.stdout.write(`${t('en', key, counts)}: ${t('en', spec.countsKey, counts)}\n`);
      if (r.unmappedColumns.length) process.stdout.write(`ignored columns / 未识别的列: ${r.unmappedColumns.join(', ')}\n`);
      for (const e of r.errors.slice(0, 10)) {
        process.stdout.write(`  line ${e.line} [${e.column}] ${e.value ? `"${e.value.slice(0, 40)}" ` : ''}${spec.reasonText(e, 'zh-CN')} / ${spec.reasonText(e, 'en')}\n`);
      }
      if (report) process.stdout.write(`error report / 错误报告: ${report}\n`);
    }
    if (!r.committed && !o.dryRun) process.exitCode = 2;
  });
}

export function registerImportExport(program: Command) {
  const imp = program.command('import').description('import data / 导入');
  imp
    .command('customers')
    .description('import customers from CSV (UTF-8, UTF-8 BOM, GBK) or XLSX / 导入客户')
    .argument('<file>', 'CSV or XLSX file')
    .option('--encoding <encoding>', 'auto | utf8 | gbk (CSV)', oneOf(['auto', 'utf8', 'gbk'] as const), 'auto')
    .option('--mode <mode>', 'all-or-nothing | skip-invalid', oneOf(['all-or-nothing', 'skip-invalid'] as const), 'all-or-nothing')
    .option('--dedupe <dedupe>', 'same phone or email: update | skip', oneOf(['update', 'skip'] as const), 'update')
    .option('--dry-run', 'validate and count, write nothing / 试运行')
    .option('--map <pairs>', "column=field overrides, e.g. '联系电话=phones,备注=ignore'")
    .option('--org <name>', 'organization (default: the first one)')
    .option('--json', 'print the result as JSON')
    .action((file: string, o: ImportOpts) =>
      runFileImport<ImportResult>(file, o, {
        barFormat: '{bar} {percentage}% | {read} rows | created {created} updated {updated} skipped {skipped} rejected {rejected}',
        barStart: { read: 0, created: 0, updated: 0, skipped: 0, rejected: 0 },
        countsKey: 'import.counts',
        reasonText,
        counts: (r) => ({ read: r.read, created: r.created, updated: r.updated, skipped: r.skipped, rejected: r.rejected }),
        run: (ctx, common) => importCustomers(ctx, { ...common, dedupe: o.dedupe }),
      }),
    );

  imp
    .command('orders')
    .description('import orders, one row per order line, from CSV (UTF-8, UTF-8 BOM, GBK) or XLSX / 导入订单')
    .argument('<file>', 'CSV or XLSX file')
    .option('--encoding <encoding>', 'auto | utf8 | gbk (CSV)', oneOf(['auto', 'utf8', 'gbk'] as const), 'auto')
    .option('--mode <mode>', 'all-or-nothing | skip-invalid', oneOf(['all-or-nothing', 'skip-invalid'] as const), 'all-or-nothing')
    .option('--dry-run', 'validate and count, write nothing / 试运行')
    .option('--map <pairs>', "column=field overrides, e.g. '单据编号=orderNo,备注=ignore'")
    .option('--stage <stage>', `stage of orders without a stage column: ${orderStages.join(' | ')}`, oneOf(orderStages), 'settled')
    .option('--channel <channel>', 'channel of rows without one / 默认渠道', 'import')
    .option('--org <name>', 'organization (default: the first one)')
    .option('--json', 'print the result as JSON')
    .action((file: string, o: Omit<ImportOpts, 'dedupe'> & { stage: OrderStage; channel: string }) =>
      runFileImport<ImportOrdersResult>(file, o, {
        barFormat: '{bar} {percentage}% | {read} rows | imported {imported} ({orders} orders) skipped {skipped} rejected {rejected}',
        barStart: { read: 0, imported: 0, orders: 0, skipped: 0, rejected: 0 },
        countsKey: 'import.orders_counts',
        reasonText: orderReasonText,
        counts: (r) => ({ read: r.read, imported: r.imported, orders: r.orders, skipped: r.skipped, rejected: r.rejected }),
        run: (ctx, common) => importOrders(ctx, { ...common, stage: o.stage, channel: o.channel }),
      }),
    );

  const exp = program.command('export').description('export data / 导出');
  exp
    .command('customers')
    .description('export customers to CSV (UTF-8 with BOM, or GBK) or XLSX / 导出客户')
    .argument('<file>', 'FILE.csv or FILE.xlsx')
    .option('--encoding <encoding>', 'utf8 | gbk (CSV)', oneOf(['utf8', 'gbk'] as const), 'utf8')
    .option('--masked', 'mask phones and emails (as for roles without customer.pii) / 脱敏导出')
    .option('--org <name>', 'organization (default: the first one)')
    // The customer list's filters (GET /api/customers), validated as there.
    .option('--q <text>', 'search: name, pinyin, initials, phone digits or email / 搜索')
    .option('--tags <tags>', 'comma-separated; customers having all of them / 标签')
    .option('--region <code>', 'GB/T 2260 province, city or district code / 地区')
    .option('--rfm-class <class>', 'one of the eight RFM classes, e.g. important_win_back / RFM 类别')
    .option('--segment <id>', 'members of a segment / 分群')
    .option('--tier <id>', 'customers served by a service tier / 服务等级')
    .option('--r-score <1-5>', 'RFM R score')
    .option('--f-score <1-5>', 'RFM F score')
    .option('--m-score <1-5>', 'RFM M score')
    .option('--key-account <true|false>', 'key accounts (大客户) or the others')
    .option('--min-clv <minor>', 'CLV at least, in minor units (分)')
    .option('--max-clv <minor>', 'CLV at most, in minor units (分)')
    .option('--min-p-alive <p>', 'P(alive) at least (0-1)')
    .option('--max-p-alive <p>', 'P(alive) at most (0-1)')
    .action(async (file: string, o: ExportCliOpts) => {
      const format = path.extname(file).toLowerCase() === '.xlsx' ? 'xlsx' : 'csv';
      const input = {
        format, encoding: o.encoding, q: o.q, tags: o.tags, region: o.region, rfmClass: o.rfmClass, segmentId: o.segment, tierId: o.tier,
        rScore: o.rScore, fScore: o.fScore, mScore: o.mScore, keyAccount: o.keyAccount, minClv: o.minClv, maxClv: o.maxClv, minPAlive: o.minPAlive, maxPAlive: o.maxPAlive,
      };
      // Checked here for messages naming the flags; the export parses the same input again.
      const parsed = exportCustomersOptions.safeParse(input);
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `  ${cliFlagOf(String(i.path[0] ?? ''))}: ${i.message}`).join('\n'));
      await withDatabase(async ({ db }) => {
        const base = await systemCtx(db, o.org);
        // --masked exports as an analyst would see it: everything, masked.
        const ctx = o.masked ? { ...base, actor: { ...base.actor, role: 'analyst' as const } } : base;
        const tmp = `${file}.part`;
        try {
          const { rows } = await exportCustomers(ctx, { ...(input as ExportCustomersOptions), out: fs.createWriteStream(tmp) });
          fs.renameSync(tmp, file);
          process.stdout.write(`${JSON.stringify({ file, rows, format, masked: Boolean(o.masked) })}\n`);
        } catch (err) {
          fs.rmSync(tmp, { force: true });
          throw new Error(explain(err));
        }
      });
    });
}
