// 客户导入: a CSV (UTF-8, UTF-8 with BOM, GBK) or XLSX file → customers, streamed in batches.
// Every row read ends up created, updated, skipped (duplicate, dedupe=skip) or rejected with its
// line, column and reason: created + updated + skipped + rejected = read, always.
import type { Readable } from 'node:stream';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/open.ts';
import { rows, setLocal } from '../db/open.ts';
import { t } from '../i18n/messages.ts';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Invalid, fieldError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { customFieldDefs, users } from '../platform/tables.ts';
import { searchKeys } from './model/search-keys.ts';
import { importRuns } from './tables.ts';
import { mapHeaders, type CustomFieldDef } from './import/headers.ts';
import { planBatch, type CustomerRecord } from './import/plan-batch.ts';
import { openCsv, openXlsx, type RowSource } from './import/read-rows.ts';
import { reportCsv } from './import/report.ts';
import { cellText, validateRow, type CandidateRow, type RowContext, type RowError } from './import/validate-row.ts';

export const importCustomersOptions = z.object({
  fileName: z.string().min(1).max(255),
  format: z.enum(['csv', 'xlsx']),
  encoding: z.enum(['utf8', 'gbk', 'auto']).default('auto'),
  /** all-or-nothing: one transaction, rolled back if any row is rejected; skip-invalid: good rows are committed. */
  mode: z.enum(['all-or-nothing', 'skip-invalid']).default('all-or-nothing'),
  /** A row whose phone or email matches an existing customer (or an earlier row) updates it or is skipped. */
  dedupe: z.enum(['update', 'skip']).default('update'),
  dryRun: z.boolean().default(false),
  /** Header → field overrides, e.g. { "联系人手机": "phones" }. */
  map: z.record(z.string(), z.string()).default({}),
});
export type ImportCustomersOptions = z.input<typeof importCustomersOptions>;

export interface ImportCounts {
  read: number;
  created: number;
  updated: number;
  skipped: number;
  rejected: number;
}

export interface ImportProgress extends ImportCounts {
  bytesRead: number;
}

export interface ImportResult extends ImportCounts {
  /** The import_runs row holding the counts and the error report. */
  id: string;
  committed: boolean;
  errors: RowError[];
  /** Error report as CSV text with a UTF-8 BOM (empty of rows when nothing was rejected). */
  report: string;
  /** One line, in the actor's language, saying what happened. */
  summary: string;
  unmappedColumns: string[];
  encoding: 'utf8' | 'gbk' | null;
}

/** Rows per INSERT/UPDATE statement. */
export const IMPORT_BATCH = 2000;

class Rollback extends Error {}

interface StoredRow {
  id: string;
  kind: string;
  name: string;
  phones: string[];
  emails: string[];
  province_code: string | null;
  city_code: string | null;
  district_code: string | null;
  street: string | null;
  tags: string[];
  custom: Record<string, unknown>;
  owner_id: string | null;
  source: string | null;
}

async function loadMatches(db: Db, orgId: string, batch: readonly CandidateRow[]): Promise<CustomerRecord[]> {
  const phones = [...new Set(batch.flatMap((r) => r.phones))];
  const emails = [...new Set(batch.flatMap((r) => r.emails))];
  if (!phones.length && !emails.length) return [];
  // Only the GIN indexes on phones and emails answer this fast. Statistics are stale while an import
  // grows the table inside its own transaction, so the planner would pick the org_id index (or a
  // sequential scan) and test the overlap row by row: the org test is kept out of any index
  // (org_id::text) and sequential scans are off for the import transaction (see importCustomers).
  const found = await rows<StoredRow>(
    db,
    sql`SELECT id, kind, name, phones, emails, province_code, city_code, district_code, street, tags, custom, owner_id, source
        FROM customers
        WHERE org_id::text = ${orgId} AND (phones && ${sql.param(phones)}::text[] OR emails && ${sql.param(emails)}::text[])`,
  );
  // Oldest customer first (UUIDv7 ids sort by creation), sorted here: an ORDER BY id lets the planner walk the primary key instead.
  found.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return found.map((r) => ({
    id: r.id,
    kind: r.kind === 'company' ? 'company' : 'person',
    name: r.name,
    phones: r.phones,
    emails: r.emails,
    provinceCode: r.province_code,
    cityCode: r.city_code,
    districtCode: r.district_code,
    street: r.street,
    tags: r.tags,
    custom: r.custom ?? {},
    ownerId: r.owner_id,
    source: r.source,
    isNew: false,
  }));
}

function toJsonRow(ctx: Ctx, r: CustomerRecord, at: string) {
  const keys = searchKeys({ name: r.name, kind: r.kind, phones: r.phones, emails: r.emails });
  return {
    id: r.id,
    org_id: ctx.actor.orgId,
    kind: r.kind,
    name: r.name,
    phones: r.phones,
    emails: r.emails,
    province_code: r.provinceCode,
    city_code: r.cityCode,
    district_code: r.districtCode,
    street: r.street,
    tags: r.tags,
    custom: r.custom,
    owner_id: r.ownerId,
    source: r.source,
    consent: {},
    name_pinyin: keys.namePinyin,
    name_initials: keys.nameInitials,
    name_grams: keys.nameGrams,
    phone_text: keys.phoneText,
    email_text: keys.emailText,
    version: 1,
    created_by: ctx.actor.userId,
    created_at: at,
    updated_at: at,
  };
}

const INSERT_COLUMNS = sql.raw(
  'id, org_id, kind, name, phones, emails, province_code, city_code, district_code, street, tags, custom, owner_id, source, consent, ' +
    'name_pinyin, name_initials, name_grams, phone_text, email_text, version, created_by, created_at, updated_at',
);

/** Writes one batch plan: one INSERT … SELECT FROM json_populate_recordset and one UPDATE … FROM it (same on both drivers). */
async function writePlan(ctx: Ctx, db: Db, inserts: readonly CustomerRecord[], updates: readonly CustomerRecord[]): Promise<void> {
  const at = ctx.now().toISOString();
  if (inserts.length) {
    const json = JSON.stringify(inserts.map((r) => toJsonRow(ctx, r, at)));
    await db.execute(sql`INSERT INTO customers (${INSERT_COLUMNS}) SELECT ${INSERT_COLUMNS} FROM json_populate_recordset(null::customers, ${json}::json)`);
  }
  if (updates.length) {
    const json = JSON.stringify(updates.map((r) => toJsonRow(ctx, r, at)));
    await db.execute(sql`
      UPDATE customers c SET
        kind = u.kind, name = u.name, phones = u.phones, emails = u.emails,
        province_code = u.province_code, city_code = u.city_code, district_code = u.district_code, street = u.street,
        tags = u.tags, custom = u.custom, owner_id = u.owner_id, source = u.source,
        name_pinyin = u.name_pinyin, name_initials = u.name_initials, name_grams = u.name_grams,
        phone_text = u.phone_text, email_text = u.email_text,
        version = c.version + 1, updated_at = u.updated_at
      FROM json_populate_recordset(null::customers, ${json}::json) u
      WHERE c.id = u.id AND c.org_id = ${ctx.actor.orgId}`);
  }
}

async function rowContext(ctx: Ctx, headers: string[], map: Record<string, string>): Promise<RowContext & { unmapped: string[] }> {
  const defs = await ctx.db
    .select()
    .from(customFieldDefs)
    .where(and(eq(customFieldDefs.orgId, ctx.actor.orgId), eq(customFieldDefs.entity, 'customer')));
  const custom = new Map<string, CustomFieldDef>(defs.map((d) => [d.key, d]));
  const mapping = mapHeaders(headers, [...custom.values()], map);
  const owners = new Map<string, string>();
  if (mapping.columns.some((c) => c.field === 'owner')) {
    const us = await ctx.db.select({ id: users.id, email: users.email }).from(users).where(eq(users.orgId, ctx.actor.orgId));
    for (const u of us) owners.set(u.email.toLowerCase(), u.id);
  }
  return { mapping, custom, owners, unmapped: mapping.unmapped };
}

export async function importCustomers(
  ctx: Ctx,
  input: ImportCustomersOptions & { input: Readable | string; onProgress?: (p: ImportProgress) => void },
): Promise<ImportResult> {
  assertCan(ctx.actor, 'customer.import');
  const opts = importCustomersOptions.parse({ ...input, input: undefined, onProgress: undefined });
  const source: RowSource = opts.format === 'xlsx' ? await openXlsx(input.input) : await openCsv(input.input, opts.encoding);
  const iterator = source.records[Symbol.asyncIterator]();

  // The header is the first record with any content.
  let headerRecord: { line: number; cells: string[] } | null = null;
  for (;;) {
    const r = await iterator.next();
    if (r.done) break;
    const cells = r.value.cells.map(cellText);
    if (cells.some(Boolean)) {
      headerRecord = { line: r.value.line, cells };
      break;
    }
  }
  if (!headerRecord) {
    throw new Invalid([fieldError('file', 'empty_file', 'field.import.empty_file')], 'error.import_no_name_column');
  }
  const rc = await rowContext(ctx, headerRecord.cells, opts.map);

  const counts: ImportCounts = { read: 0, created: 0, updated: 0, skipped: 0, rejected: 0 };
  const errors: RowError[] = [];
  const progress = () => input.onProgress?.({ ...counts, bytesRead: source.bytesRead() });

  let committed = false;
  try {
    await ctx.db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      await setLocal(tx, { enable_seqscan: 'off' });
      // gin_clean_pending_list needs the index owner (the migrating user, normally Kefu's own).
      const [own] = await rows<{ ok: boolean }>(
        tx,
        sql`SELECT pg_has_role(current_user, c.relowner, 'USAGE') AS ok FROM pg_class c WHERE c.oid = 'customers_phones_idx'::regclass`,
      );
      const cleanPending = own?.ok === true;
      // While one batch is written, the next one is parsed and validated.
      let writing: Promise<void> = Promise.resolve();
      let failure: unknown = null;
      const flush = async (batch: CandidateRow[]) => {
        const existing = await loadMatches(tx, ctx.actor.orgId, batch);
        const plan = planBatch(batch, existing, opts.dedupe);
        await writePlan(ctx, tx, plan.inserts, plan.updates);
        // GIN searches scan the pending list (fastupdate) entry by entry, and this import's own rows
        // pile up there: move them into the index proper so the next batch's lookup stays fast.
        if (cleanPending && plan.inserts.length) {
          await tx.execute(sql`SELECT gin_clean_pending_list('customers_phones_idx'::regclass), gin_clean_pending_list('customers_emails_idx'::regclass)`);
        }
        counts.created += plan.created;
        counts.updated += plan.updated;
        counts.skipped += plan.skipped;
        progress();
      };
      const startFlush = async (batch: CandidateRow[]) => {
        await writing;
        if (failure) throw failure;
        writing = flush(batch).catch((err: unknown) => {
          failure = err;
        });
      };
      let batch: CandidateRow[] = [];
      for (;;) {
        const r = await iterator.next();
        if (r.done) break;
        const { line, cells } = r.value;
        // Rows with nothing in them (blank lines, ",,,,", empty Excel rows) are not rows.
        if (!cells.some((c) => cellText(c) !== '')) continue;
        counts.read++;
        const v = validateRow(line, cells, rc);
        if (!v.ok) {
          counts.rejected++;
          for (const e of v.errors) errors.push(e);
          continue;
        }
        batch.push(v.row);
        if (batch.length >= IMPORT_BATCH) {
          await startFlush(batch);
          batch = [];
        }
      }
      await startFlush(batch);
      await writing;
      if (failure) throw failure;
      progress();
      if (opts.dryRun || (opts.mode === 'all-or-nothing' && counts.rejected > 0)) throw new Rollback();
    });
    committed = true;
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }

  const locale = ctx.actor.locale;
  const summaryKey = committed ? 'import.committed' : opts.dryRun ? 'import.dry_run' : 'import.rolled_back';
  const summaryParams = { rejected: counts.rejected };
  const countsLine = (l: 'zh-CN' | 'en') => t(l, 'import.counts', { ...counts });
  const summary = `${t(locale, summaryKey, summaryParams)}; ${countsLine(locale)}`;
  const report = reportCsv(errors, [
    `${t('zh-CN', summaryKey, summaryParams)}；${countsLine('zh-CN')}`,
    `${t('en', summaryKey, summaryParams)}; ${countsLine('en')}`,
  ]);

  const id = newId();
  await ctx.db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    await tx.insert(importRuns).values({
      id,
      orgId: ctx.actor.orgId,
      actorId: ctx.actor.userId,
      fileName: opts.fileName,
      mode: opts.mode,
      dryRun: opts.dryRun,
      committed,
      counts: { ...counts },
      // Stored without the BOM (added again when the report is downloaded).
      reportCsv: report.replace(/^\uFEFF/, ''),
      createdAt: ctx.now(),
    });
    // A dry run changes nothing, so it is not an audited change; its run is kept for the report.
    if (!opts.dryRun) {
      await audit(
        ctx,
        {
          action: 'customer.import',
          entityType: 'import',
          entityId: id,
          data: { fileName: opts.fileName, format: opts.format, mode: opts.mode, dedupe: opts.dedupe, committed, ...counts },
        },
        tx,
      );
    }
  });
  ctx.log.info({ importId: id, ...counts, committed }, 'customer import finished');
  return { id, ...counts, committed, errors, report, summary, unmappedColumns: rc.unmapped, encoding: source.encoding };
}
