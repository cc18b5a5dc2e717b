// One row of an order import file (one order line) → its parsed fields, or the reasons it is
// rejected. Headers in Chinese or English map to fields; pure (no database, no clock).
import { Invalid, fieldError } from '../../platform/errors.ts';
import { normalizeHeader } from '../../customers/import/headers.ts';
import { cellText, type Cell } from '../../customers/import/validate-row.ts';
import { phoneSchema } from '../../customers/schemas.ts';
import { parseMajorAmount } from '../model/money.ts';
import { orderStages, type OrderStage } from '../tables.ts';

export const orderImportFields = ['orderNo', 'phone', 'customerId', 'sku', 'quantity', 'amount', 'unitPrice', 'date', 'channel', 'currency', 'stage'] as const;
export type OrderImportField = (typeof orderImportFields)[number];

const aliases: Record<OrderImportField, string[]> = {
  orderNo: ['订单号', '订单编号', '单号', '订单', 'order_no', 'orderno', 'ordernumber', 'order', 'orderid'],
  phone: ['手机', '手机号', '手机号码', '电话', '联系电话', '客户手机', 'mobile', 'phone', 'tel', 'telephone'],
  customerId: ['客户ID', '客户编号', '客户id', 'customer_id', 'customerid'],
  sku: ['sku', '商品编码', '商品编号', '货号', '商品sku', 'productcode', 'itemcode', 'product_sku'],
  quantity: ['数量', '购买数量', '件数', 'quantity', 'qty'],
  amount: ['金额', '行金额', '小计', '实付金额', '成交金额', 'amount', 'lineamount', 'subtotal'],
  unitPrice: ['单价', '成交单价', 'unitprice', 'price', 'unit_price'],
  date: ['日期', '下单日期', '下单时间', '订单日期', '购买日期', 'date', 'orderdate', 'orderedat', 'ordered_at'],
  channel: ['渠道', '销售渠道', '下单渠道', 'channel', 'saleschannel'],
  currency: ['币种', '货币', 'currency'],
  stage: ['阶段', '订单阶段', '订单状态', 'stage'],
};
const aliasIndex = new Map<string, OrderImportField>();
for (const f of orderImportFields) for (const a of aliases[f]) aliasIndex.set(normalizeHeader(a), f);

const stageNames: Record<string, OrderStage> = {
  已接单: 'received', 接单: 'received', 已分配: 'allocated', 分配: 'allocated', 生产中: 'in_production', 拣货中: 'in_production',
  已发货: 'dispatched', 发货: 'dispatched', 已签收: 'delivered', 签收: 'delivered', 已结算: 'settled', 结算: 'settled', 已回访: 'feedback', 回访: 'feedback',
};

export type OrderRejectReason =
  | 'missing_order_no'
  | 'missing_customer'
  | 'invalid_phone'
  | 'invalid_customer_id'
  | 'missing_sku'
  | 'invalid_quantity'
  | 'invalid_amount'
  | 'invalid_date'
  | 'invalid_currency'
  | 'invalid_stage'
  | 'too_long'
  | 'unknown_customer'
  | 'ambiguous_customer'
  | 'unknown_sku'
  | 'currency_mismatch'
  | 'inconsistent_order'
  | 'order_has_rejected_line';

export interface OrderRowError {
  line: number;
  column: string;
  value: string;
  reason: OrderRejectReason;
}

export interface OrderMapping {
  columns: { index: number; header: string; field: OrderImportField }[];
  unmapped: string[];
}

export function mapOrderHeaders(headers: readonly string[], overrides: Record<string, string> = {}): OrderMapping {
  const byHeader = new Map(Object.entries(overrides).map(([col, field]) => [normalizeHeader(col), field.trim()]));
  const columns: OrderMapping['columns'] = [];
  const unmapped: string[] = [];
  headers.forEach((header, index) => {
    const key = normalizeHeader(header);
    if (!key) return;
    const override = byHeader.get(key);
    if (override === 'ignore') return;
    const field = override !== undefined
      ? ((orderImportFields as readonly string[]).includes(override) ? (override as OrderImportField) : aliasIndex.get(normalizeHeader(override)))
      : aliasIndex.get(key);
    if (override !== undefined && !field) throw new Invalid([fieldError('map', 'unknown_field', 'field.import.unknown_field', { field: override, column: header })]);
    if (!field) unmapped.push(header);
    else columns.push({ index, header, field });
  });
  const seen = new Set<OrderImportField>();
  for (const c of columns) {
    if (seen.has(c.field)) throw new Invalid([fieldError('header', 'duplicate_column', 'field.import.duplicate_field', { field: c.field })]);
    seen.add(c.field);
  }
  const missing = (['orderNo', 'sku', 'quantity'] as const).filter((f) => !seen.has(f));
  if (!seen.has('phone') && !seen.has('customerId')) missing.push('phone' as never);
  if (missing.length) {
    throw new Invalid(missing.map((f) => fieldError('header', 'missing_column', 'field.import.missing_column', { field: f, aliases: aliases[f].slice(0, 2).join('/') })), 'error.import_order_columns');
  }
  return { columns, unmapped };
}

/** An order time as written: a wall-clock time in the organization's time zone, or an instant. */
export type OrderTime = { local: string } | { instant: string };

export interface OrderLineRow {
  line: number;
  orderNo: string;
  phone?: string;
  customerId?: string;
  sku: string;
  quantity: number;
  amountMinor?: number;
  unitPriceMinor?: number;
  orderedAt?: OrderTime;
  channel?: string;
  currency?: string;
  stage?: OrderStage;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parseTime(cell: Cell, raw: string): OrderTime | null {
  // Excel dates carry the wall-clock time in their UTC fields.
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : { local: cell.toISOString().slice(0, 19).replace('T', ' ') };
  // The streaming XLSX reader (styles ignored) gives Excel's serial day number: days since 1899-12-30.
  if (typeof cell === 'number') {
    if (cell < 1 || cell > 2_958_465) return null;
    return { local: new Date(Math.round((cell - 25_569) * 86_400) * 1000).toISOString().slice(0, 19).replace('T', ' ') };
  }
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(raw);
  if (m) {
    const [y, mo, d, h = '0', mi = '0', s = '0'] = m.slice(1);
    const iso = `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}T${h.padStart(2, '0')}:${mi.padStart(2, '0')}:${s.padStart(2, '0')}Z`;
    const t = new Date(iso);
    if (Number.isNaN(t.getTime()) || t.toISOString().slice(0, 19) !== iso.slice(0, 19) || Number(h) > 23) return null;
    return { local: iso.slice(0, 19).replace('T', ' ') };
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(raw)) {
    const t = new Date(raw);
    return Number.isNaN(t.getTime()) ? null : { instant: t.toISOString() };
  }
  return null;
}

export function parseOrderRow(line: number, cells: readonly Cell[], mapping: OrderMapping, defaultCurrency: string):
  { ok: true; row: OrderLineRow } | { ok: false; errors: OrderRowError[] } {
  const errors: OrderRowError[] = [];
  const row: Partial<OrderLineRow> & { line: number } = { line };
  const reject = (column: string, value: string, reason: OrderRejectReason) => errors.push({ line, column, value, reason });
  const get = (f: OrderImportField) => {
    const c = mapping.columns.find((x) => x.field === f);
    return c ? { header: c.header, cell: cells[c.index], raw: cellText(cells[c.index]) } : null;
  };
  const orderNo = get('orderNo');
  if (!orderNo?.raw) reject(orderNo?.header ?? 'order_no', '', 'missing_order_no');
  else if (orderNo.raw.length > 64) reject(orderNo.header, orderNo.raw, 'too_long');
  else row.orderNo = orderNo.raw;
  const phone = get('phone');
  if (phone?.raw) {
    const p = phoneSchema.safeParse(phone.raw);
    if (p.success) row.phone = p.data;
    else reject(phone.header, phone.raw, 'invalid_phone');
  }
  const cid = get('customerId');
  if (cid?.raw) {
    if (UUID_RE.test(cid.raw)) row.customerId = cid.raw.toLowerCase();
    else reject(cid.header, cid.raw, 'invalid_customer_id');
  }
  const sku = get('sku');
  if (!sku?.raw) reject(sku?.header ?? 'sku', '', 'missing_sku');
  else row.sku = sku.raw;
  const qty = get('quantity');
  const q = qty ? Number(qty.raw) : NaN;
  if (!qty || !Number.isInteger(q) || q < 1 || q > 1_000_000) reject(qty?.header ?? 'quantity', qty?.raw ?? '', 'invalid_quantity');
  else row.quantity = q;
  const currency = get('currency');
  if (currency?.raw) {
    const c = currency.raw.toUpperCase();
    if (/^[A-Z]{3}$/.test(c)) row.currency = c;
    else reject(currency.header, currency.raw, 'invalid_currency');
  }
  const cur = row.currency ?? defaultCurrency;
  for (const [field, key] of [['amount', 'amountMinor'], ['unitPrice', 'unitPriceMinor']] as const) {
    const a = get(field);
    if (!a?.raw) continue;
    const v = parseMajorAmount(typeof a.cell === 'number' ? a.cell.toFixed(6) : a.raw, cur);
    if (v === null) reject(a.header, a.raw, 'invalid_amount');
    else row[key] = v;
  }
  const date = get('date');
  if (date?.raw) {
    const t = parseTime(date.cell, date.raw);
    if (t) row.orderedAt = t;
    else reject(date.header, date.raw, 'invalid_date');
  }
  const channel = get('channel');
  if (channel?.raw) {
    if (channel.raw.length > 32) reject(channel.header, channel.raw, 'too_long');
    else row.channel = channel.raw;
  }
  const stage = get('stage');
  if (stage?.raw) {
    const s = stageNames[stage.raw] ?? ((orderStages as readonly string[]).includes(stage.raw.toLowerCase()) ? (stage.raw.toLowerCase() as OrderStage) : undefined);
    if (s) row.stage = s;
    else reject(stage.header, stage.raw, 'invalid_stage');
  }
  return errors.length ? { ok: false, errors } : { ok: true, row: row as OrderLineRow };
}
