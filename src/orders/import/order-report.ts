// The row-level error report of an order import: CSV with a UTF-8 BOM, one line per problem, the
// same shape as the customer import's report (line, column, value, reason in Chinese and English).
import { registerMessages, t } from '../../i18n/messages.ts';
import { csvCell } from '../../customers/import/report.ts';
import type { OrderRejectReason, OrderRowError } from './order-row.ts';

const reasons: Record<OrderRejectReason, Record<'zh-CN' | 'en', string>> = {
  missing_order_no: { 'zh-CN': '缺少订单号', en: 'Order number is missing' },
  missing_customer: { 'zh-CN': '缺少客户手机号或客户ID', en: 'Customer phone or id is missing' },
  invalid_phone: { 'zh-CN': '电话号码格式不正确', en: 'Not a valid phone number' },
  invalid_customer_id: { 'zh-CN': '客户ID格式不正确', en: 'Not a valid customer id' },
  missing_sku: { 'zh-CN': '缺少商品编码', en: 'SKU is missing' },
  invalid_quantity: { 'zh-CN': '数量应为正整数', en: 'Quantity must be a positive whole number' },
  invalid_amount: { 'zh-CN': '金额格式不正确（如 128.00）', en: 'Not a valid amount (e.g. 128.00)' },
  invalid_date: { 'zh-CN': '应为日期（如 2024-05-01 或 2024-05-01 14:30）', en: 'Must be a date (e.g. 2024-05-01 or 2024-05-01 14:30)' },
  invalid_currency: { 'zh-CN': '币种应为三位字母代码（如 CNY）', en: 'Currency must be a three-letter code (e.g. CNY)' },
  invalid_stage: { 'zh-CN': '无法识别的订单阶段', en: 'Unknown order stage' },
  too_long: { 'zh-CN': '内容过长', en: 'Too long' },
  unknown_customer: { 'zh-CN': '找不到该客户（请先导入客户）', en: 'No such customer (import the customers first)' },
  ambiguous_customer: { 'zh-CN': '该手机号对应多个客户，请改用客户ID', en: 'Several customers have this phone; use the customer id' },
  unknown_sku: { 'zh-CN': '商品编码不存在', en: 'Unknown SKU' },
  currency_mismatch: { 'zh-CN': '商品币种与订单币种不一致', en: 'The product is priced in another currency' },
  inconsistent_order: { 'zh-CN': '同一订单的客户、日期、渠道或币种不一致，或订单行不连续', en: 'Lines of one order disagree on customer, date, channel or currency, or are not together' },
  order_has_rejected_line: { 'zh-CN': '同一订单的其他行有错误，整单未导入', en: 'Another line of this order was rejected, so the whole order was not imported' },
};

registerMessages({
  ...Object.fromEntries(Object.entries(reasons).map(([k, v]) => [`import.order_reason.${k}`, v])),
  'error.import_order_columns': {
    'zh-CN': '文件缺少必需的列：订单号、商品编码、数量，以及手机号或客户ID',
    en: 'The file lacks required columns: order number, SKU, quantity, and phone or customer id',
  },
  'import.orders_counts': {
    'zh-CN': '读取 {read} 行：导入 {imported} 行（{orders} 个订单），跳过 {skipped}（订单已存在），拒绝 {rejected}',
    en: 'read {read}: imported {imported} lines ({orders} orders), skipped {skipped} (order exists), rejected {rejected}',
  },
});

export function orderReasonText(e: Pick<OrderRowError, 'reason'>, locale: 'zh-CN' | 'en'): string {
  return t(locale, `import.order_reason.${e.reason}`);
}

export function orderReportCsv(errors: readonly OrderRowError[], summary: string[]): string {
  const lines: string[] = summary.map((s) => csvCell(s));
  lines.push(['行号 line', '列 column', '值 value', '原因', 'reason'].join(','));
  for (const e of errors) {
    const value = e.value.length > 200 ? `${e.value.slice(0, 200)}…` : e.value;
    lines.push([e.line, csvCell(e.column), csvCell(value), csvCell(orderReasonText(e, 'zh-CN')), csvCell(orderReasonText(e, 'en'))].join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
