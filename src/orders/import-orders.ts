// 订单导入: a CSV (UTF-8, BOM, GBK) or XLSX file with one row per order line → orders, through the
// customer import's readers. Rows of one order (same order number) must be together; the customer
// is matched by phone or customer id, the product by SKU. An order is imported whole or not at all:
// a rejected line rejects the other lines of its order. An order number that already exists is
// skipped (so re-importing a file adds nothing twice). imported + skipped + rejected = read, always.
// Imported history at stage settled or later is closed (status completed) so it stays off the board.
import type { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows, type Db } from '../db/open.ts';
import { t } from '../i18n/messages.ts';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Invalid, fieldError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { customerScopeCondition } from '../customers/scope.ts';
import { openCsv, openXlsx, type RowSource } from '../customers/import/read-rows.ts';
import { cellText } from '../customers/import/validate-row.ts';
import '../customers/import/report.ts';
import { mapOrderHeaders, parseOrderRow, type OrderLineRow, type OrderRejectReason, type OrderRowError } from './import/order-row.ts';
import { orderReportCsv } from './import/order-report.ts';
import { stageIndex } from './stage-targets.ts';
import { orderStages } from './tables.ts';

export const importOrdersOptions = z.object({
  fileName: z.string().min(1).max(255),
  format: z.enum(['csv', 'xlsx']),
  encoding: z.enum(['utf8', 'gbk', 'auto']).default('auto'),
  mode: z.enum(['all-or-nothing', 'skip-invalid']).default('all-or-nothing'),
  dryRun: z.boolean().default(false),
  map: z.record(z.string(), z.string()).default({}),
  /** For rows without a channel column. */
  channel: z.string().trim().min(1).max(32).default('import'),
  currency: z.string().regex(/^[A-Z]{3}$/).default('CNY'),
  /** Stage of imported orders without a stage column (history is normally settled). */
  stage: z.enum(orderStages).default('settled'),
});
export type ImportOrdersOptions = z.input<typeof importOrdersOptions>;

export interface ImportOrdersCounts {
  read: number;
  imported: number;
  orders: number;
  skipped: number;
  rejected: number;
}

export interface ImportOrdersResult extends ImportOrdersCounts {
  committed: boolean;
  errors: OrderRowError[];
  report: string;
  summary: string;
  unmappedColumns: string[];
  encoding: 'utf8' | 'gbk' | null;
}

/** Order lines per flush. */
export const ORDER_IMPORT_BATCH = 2000;

class Rollback extends Error {}

type RowOrError = { row: OrderLineRow } | { line: number; errors: OrderRowError[] };
interface PendingOrder {
  orderNo: string | null;
  items: RowOrError[];
}

interface Resolved {
  customers: Map<string, { id: string; ownerId: string | null }>; // by customer id
  byPhone: Map<string, string[]>; // phone → customer ids
  products: Map<string, { id: string; name: string; category: string | null; currency: string; price: number }>;
  existing: Set<string>;
}

async function resolveBatch(ctx: Ctx, db: Db, orders: PendingOrder[]): Promise<Resolved> {
  const rowsOf = orders.flatMap((o) => o.items.flatMap((i) => ('row' in i ? [i.row] : [])));
  const phones = [...new Set(rowsOf.flatMap((r) => (r.phone ? [r.phone] : [])))];
  const ids = [...new Set(rowsOf.flatMap((r) => (r.customerId ? [r.customerId] : [])))];
  const skus = [...new Set(rowsOf.map((r) => r.sku))];
  const nos = [...new Set(orders.flatMap((o) => (o.orderNo ? [o.orderNo] : [])))];
  const found = phones.length || ids.length
    ? await rows<{ id: string; owner_id: string | null; phones: string[] }>(
        db,
        sql`SELECT customers.id, customers.owner_id, customers.phones FROM customers
          WHERE ${customerScopeCondition(ctx.actor)}
            AND (customers.phones && ${sql.param(phones)}::text[] OR customers.id = ANY(${sql.param(ids)}::uuid[]))`,
      )
    : [];
  const customers = new Map(found.map((c) => [c.id, { id: c.id, ownerId: c.owner_id }]));
  const byPhone = new Map<string, string[]>();
  const wanted = new Set(phones);
  for (const c of found) for (const p of c.phones) if (wanted.has(p)) byPhone.set(p, [...(byPhone.get(p) ?? []), c.id]);
  const prods = skus.length
    ? await rows<{ id: string; sku: string; name: string; category: string | null; currency: string; price_minor: string }>(
        db,
        sql`SELECT id, sku, name, category, currency, price_minor::text AS price_minor FROM products WHERE org_id = ${ctx.actor.orgId} AND sku = ANY(${sql.param(skus)}::text[])`,
      )
    : [];
  const products = new Map(prods.map((p) => [p.sku, { id: p.id, name: p.name, category: p.category, currency: p.currency, price: Number(p.price_minor) }]));
  const existing = nos.length
    ? new Set((await rows<{ order_no: string }>(db, sql`SELECT order_no FROM orders WHERE org_id = ${ctx.actor.orgId} AND order_no = ANY(${sql.param(nos)}::text[])`)).map((r) => r.order_no))
    : new Set<string>();
  return { customers, byPhone, products, existing };
}

export async function importOrders(
  ctx: Ctx,
  input: ImportOrdersOptions & { input: Readable | string; onProgress?: (p: ImportOrdersCounts & { bytesRead: number }) => void },
): Promise<ImportOrdersResult> {
  assertCan(ctx.actor, 'order.import');
  const opts = importOrdersOptions.parse({ ...input, input: undefined, onProgress: undefined });
  const source: RowSource = opts.format === 'xlsx' ? await openXlsx(input.input) : await openCsv(input.input, opts.encoding);
  const iterator = source.records[Symbol.asyncIterator]();
  let header: string[] | null = null;
  for (;;) {
    const r = await iterator.next();
    if (r.done) break;
    const cells = r.value.cells.map(cellText);
    if (cells.some(Boolean)) {
      header = cells;
      break;
    }
  }
  if (!header) throw new Invalid([fieldError('file', 'empty_file', 'field.import.empty_file')], 'error.import_order_columns');
  const mapping = mapOrderHeaders(header, opts.map);
  /** The file's own header for a field, so the report names the column the user sees. */
  const headerOf = (field: string) => mapping.columns.find((c) => c.field === field)?.header ?? field;

  const counts: ImportOrdersCounts = { read: 0, imported: 0, orders: 0, skipped: 0, rejected: 0 };
  const errors: OrderRowError[] = [];
  const progress = () => input.onProgress?.({ ...counts, bytesRead: source.bytesRead() });
  const now = ctx.now().toISOString();

  const rejectOrder = (o: PendingOrder, reasonFor: (line: number) => OrderRowError[] | null) => {
    for (const item of o.items) {
      const line = 'row' in item ? item.row.line : item.line;
      const own = 'errors' in item ? item.errors : reasonFor(line);
      errors.push(...(own ?? [{ line, column: '', value: '', reason: 'order_has_rejected_line' as OrderRejectReason }]));
      counts.rejected++;
    }
  };

  const flush = async (tx: Db, batch: PendingOrder[]) => {
    if (!batch.length) return;
    const res = await resolveBatch(ctx, tx, batch);
    const orderRows: Record<string, unknown>[] = [];
    const lineRows: Record<string, unknown>[] = [];
    for (const o of batch) {
      if (o.items.some((i) => 'errors' in i)) {
        rejectOrder(o, () => null);
        continue;
      }
      const lines = o.items.map((i) => (i as { row: OrderLineRow }).row);
      if (o.orderNo && res.existing.has(o.orderNo)) {
        counts.skipped += lines.length;
        continue;
      }
      // Order-level fields: from the first line that has them; later lines must agree.
      const rowErrors = new Map<number, OrderRowError[]>();
      const add = (line: number, e: OrderRowError) => rowErrors.set(line, [...(rowErrors.get(line) ?? []), e]);
      const first = <K extends keyof OrderLineRow>(k: K) => lines.find((l) => l[k] !== undefined)?.[k];
      const customerKey = (l: OrderLineRow) => l.customerId ?? l.phone;
      const key0 = lines.map(customerKey).find(Boolean);
      const timeKey = (l: OrderLineRow) => (l.orderedAt ? JSON.stringify(l.orderedAt) : undefined);
      const t0 = lines.map(timeKey).find(Boolean);
      for (const l of lines) {
        const k = customerKey(l);
        if ((k && k !== key0) || (timeKey(l) && timeKey(l) !== t0) || (l.channel && l.channel !== first('channel')) || (l.currency && l.currency !== first('currency')) || (l.stage && l.stage !== first('stage'))) {
          add(l.line, { line: l.line, column: '', value: o.orderNo ?? '', reason: 'inconsistent_order' });
        }
      }
      let customer: { id: string; ownerId: string | null } | undefined;
      const withCustomer = lines.find((l) => customerKey(l));
      if (!withCustomer) add(lines[0].line, { line: lines[0].line, column: headerOf('phone'), value: '', reason: 'missing_customer' });
      else if (withCustomer.customerId) {
        customer = res.customers.get(withCustomer.customerId);
        if (!customer) add(withCustomer.line, { line: withCustomer.line, column: headerOf('customerId'), value: withCustomer.customerId, reason: 'unknown_customer' });
      } else {
        const matches = res.byPhone.get(withCustomer.phone!) ?? [];
        if (matches.length === 1) customer = res.customers.get(matches[0]);
        else add(withCustomer.line, { line: withCustomer.line, column: headerOf('phone'), value: withCustomer.phone!, reason: matches.length ? 'ambiguous_customer' : 'unknown_customer' });
      }
      const currency = first('currency') ?? opts.currency;
      let total = 0;
      const priced = lines.map((l) => {
        const p = res.products.get(l.sku);
        if (!p) {
          add(l.line, { line: l.line, column: headerOf('sku'), value: l.sku, reason: 'unknown_sku' });
          return null;
        }
        if (p.currency !== currency) add(l.line, { line: l.line, column: headerOf('sku'), value: l.sku, reason: 'currency_mismatch' });
        const unit = l.unitPriceMinor ?? p.price;
        const amount = l.amountMinor ?? unit * l.quantity;
        total += amount;
        return { l, p, unit, amount };
      });
      if (rowErrors.size) {
        rejectOrder(o, (line) => rowErrors.get(line) ?? null);
        continue;
      }
      const orderId = newId();
      const stage = first('stage') ?? opts.stage;
      const at = first('orderedAt');
      orderRows.push({
        id: orderId,
        event_id: newId(),
        order_no: o.orderNo,
        customer_id: customer!.id,
        owner_id: customer!.ownerId,
        channel: first('channel') ?? opts.channel,
        currency,
        total_minor: total,
        status: stageIndex(stage) >= stageIndex('settled') ? 'completed' : 'open',
        stage,
        local_at: at && 'local' in at ? at.local : null,
        instant_at: at && 'instant' in at ? at.instant : at ? null : now,
      });
      priced.forEach((x, i) => {
        lineRows.push({
          id: newId(), order_id: orderId, line_no: i + 1, product_id: x!.p.id, sku: x!.l.sku, name: x!.p.name, category: x!.p.category,
          quantity: x!.l.quantity, unit_price_minor: x!.unit, amount_minor: x!.amount,
        });
      });
      counts.imported += lines.length;
      counts.orders++;
    }
    if (!orderRows.length) return;
    const orgId = ctx.actor.orgId;
    const ordersJson = JSON.stringify(orderRows);
    await tx.execute(sql`INSERT INTO orders (id, org_id, order_no, customer_id, owner_id, channel, currency, total_minor, status, stage, stage_at, ordered_at, version, created_by, created_at, updated_at)
      SELECT x.id, ${orgId}::uuid, x.order_no, x.customer_id, x.owner_id, x.channel, x.currency, x.total_minor, x.status, x.stage, t.at, t.at, 1, ${ctx.actor.userId}::uuid, ${now}::timestamptz, ${now}::timestamptz
      FROM json_to_recordset(${ordersJson}::json) AS x(id uuid, order_no text, customer_id uuid, owner_id uuid, channel text, currency text, total_minor bigint, status text, stage text, local_at text, instant_at text)
      CROSS JOIN LATERAL (SELECT COALESCE(x.instant_at::timestamptz, x.local_at::timestamp AT TIME ZONE (SELECT timezone FROM organizations WHERE id = ${orgId})) AS at) t`);
    await tx.execute(sql`INSERT INTO order_lines (id, org_id, order_id, line_no, product_id, sku, name, category, quantity, unit_price_minor, amount_minor)
      SELECT x.id, ${orgId}::uuid, x.order_id, x.line_no, x.product_id, x.sku, x.name, x.category, x.quantity, x.unit_price_minor, x.amount_minor
      FROM json_to_recordset(${JSON.stringify(lineRows)}::json) AS x(id uuid, order_id uuid, line_no int, product_id uuid, sku text, name text, category text, quantity int, unit_price_minor bigint, amount_minor bigint)`);
    await tx.execute(sql`INSERT INTO order_stage_events (id, org_id, order_id, customer_id, stage, from_stage, at, actor_id, note, correction, created_at)
      SELECT x.event_id, ${orgId}::uuid, o.id, o.customer_id, o.stage, NULL, o.ordered_at, ${ctx.actor.userId}::uuid, 'import', false, ${now}::timestamptz
      FROM json_to_recordset(${ordersJson}::json) AS x(id uuid, event_id uuid) JOIN orders o ON o.id = x.id`);
  };

  let committed = false;
  try {
    await ctx.db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      const seen = new Set<string>();
      let current: PendingOrder | null = null;
      let batch: PendingOrder[] = [];
      let batchLines = 0;
      const close = async () => {
        if (!current) return;
        batch.push(current);
        batchLines += current.items.length;
        current = null;
        if (batchLines >= ORDER_IMPORT_BATCH) {
          await flush(tx, batch);
          batch = [];
          batchLines = 0;
          progress();
        }
      };
      for (;;) {
        const r = await iterator.next();
        if (r.done) break;
        const { line, cells } = r.value;
        if (!cells.some((c) => cellText(c) !== '')) continue;
        counts.read++;
        const parsed = parseOrderRow(line, cells, mapping, opts.currency);
        const orderNo = parsed.ok ? parsed.row.orderNo : (() => {
          const c = mapping.columns.find((x) => x.field === 'orderNo');
          return c ? cellText(cells[c.index]) || null : null;
        })();
        const item: RowOrError = parsed.ok ? { row: parsed.row } : { line, errors: parsed.errors };
        const open = current as PendingOrder | null;
        if (open && orderNo !== null && open.orderNo === orderNo) {
          open.items.push(item);
          continue;
        }
        await close();
        if (orderNo !== null && seen.has(orderNo)) {
          // The order's lines were not together: this line cannot join an order already closed.
          errors.push(...('errors' in item ? item.errors : [{ line, column: headerOf('orderNo'), value: orderNo, reason: 'inconsistent_order' as const }]));
          counts.rejected++;
          continue;
        }
        if (orderNo !== null) seen.add(orderNo);
        current = { orderNo, items: [item] };
      }
      await close();
      await flush(tx, batch);
      progress();
      if (opts.dryRun || (opts.mode === 'all-or-nothing' && counts.rejected > 0)) throw new Rollback();
    });
    committed = true;
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  errors.sort((a, b) => a.line - b.line);

  const summaryKey = committed ? 'import.committed' : opts.dryRun ? 'import.dry_run' : 'import.rolled_back';
  const line = (l: 'zh-CN' | 'en') => `${t(l, summaryKey, { rejected: counts.rejected })}${l === 'en' ? '; ' : '；'}${t(l, 'import.orders_counts', { ...counts })}`;
  const report = orderReportCsv(errors, [line('zh-CN'), line('en')]);
  if (!opts.dryRun) {
    await audit(ctx, { action: 'order.import', entityType: 'organization', entityId: ctx.actor.orgId, data: { fileName: opts.fileName, format: opts.format, mode: opts.mode, committed, ...counts } });
  }
  ctx.log.info({ ...counts, committed }, 'order import finished');
  return { ...counts, committed, errors, report, summary: line(ctx.actor.locale), unmappedColumns: mapping.unmapped, encoding: source.encoding };
}
