// The row-level error report (错误报告): a CSV with a UTF-8 BOM so Excel opens it, one line per
// problem: line number, column, the value as read, and the reason in Chinese and English.
import { registerMessages, t } from '../../i18n/messages.ts';
import type { RejectReason, RowError } from './validate-row.ts';

const reasons: Record<RejectReason, Record<'zh-CN' | 'en', string>> = {
  missing_name: { 'zh-CN': '缺少姓名/名称', en: 'Name is missing' },
  too_long: { 'zh-CN': '内容过长（最多 {max} 个字符）', en: 'Too long (at most {max} characters)' },
  invalid_phone: { 'zh-CN': '电话号码格式不正确', en: 'Not a valid phone number' },
  invalid_email: { 'zh-CN': '邮箱格式不正确', en: 'Not a valid email address' },
  too_many_values: { 'zh-CN': '数量过多（最多 {max} 个）', en: 'Too many values (at most {max})' },
  unknown_region: { 'zh-CN': '无法识别的省市区', en: 'Unknown province, city or district' },
  region_mismatch: { 'zh-CN': '省市区不匹配', en: 'Province, city and district do not match' },
  invalid_kind: { 'zh-CN': '客户类型应为“个人”或“企业”', en: 'Type must be person (个人) or company (企业)' },
  unknown_owner: { 'zh-CN': '负责人不存在（请填写本组织用户的邮箱）', en: 'Unknown owner (use the email of a user of this organization)' },
  missing_required: { 'zh-CN': '必填字段为空', en: 'Required field is empty' },
  invalid_number: { 'zh-CN': '应为数字', en: 'Must be a number' },
  invalid_date: { 'zh-CN': '应为日期（如 2024-05-01）', en: 'Must be a date (e.g. 2024-05-01)' },
  invalid_boolean: { 'zh-CN': '应为“是”或“否”', en: 'Must be yes (是) or no (否)' },
  invalid_option: { 'zh-CN': '不在可选值之内', en: 'Not one of the allowed options' },
};

registerMessages({
  ...Object.fromEntries(Object.entries(reasons).map(([k, v]) => [`import.reason.${k}`, v])),
  'error.import_no_name_column': {
    'zh-CN': '文件中没有姓名/名称列，请用 --map 指定',
    en: 'The file has no name column (姓名/name); map one with --map',
  },
  'error.import_unreadable': { 'zh-CN': '无法读取导入文件：{detail}', en: 'Cannot read the import file: {detail}' },
  'import.rolled_back': {
    'zh-CN': '有 {rejected} 行被拒绝，按“全部成功才导入”模式，本次导入未写入任何数据',
    en: '{rejected} rows were rejected; in all-or-nothing mode nothing was imported',
  },
  'import.dry_run': { 'zh-CN': '试运行：已校验并计数，未写入任何数据', en: 'Dry run: validated and counted, nothing was written' },
  'import.committed': { 'zh-CN': '导入完成', en: 'Import committed' },
  'import.counts': {
    'zh-CN': '读取 {read} 行：新建 {created}，更新 {updated}，跳过 {skipped}，拒绝 {rejected}',
    en: 'read {read}: created {created}, updated {updated}, skipped {skipped}, rejected {rejected}',
  },
});

export function reasonText(e: Pick<RowError, 'reason' | 'max'>, locale: 'zh-CN' | 'en'): string {
  return t(locale, `import.reason.${e.reason}`, e.max ? { max: e.max } : {});
}

export function csvCell(s: string | number): string {
  const v = String(s);
  // A value that Excel would run as a formula is shown as text.
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const MAX_VALUE = 200;

/** The report as CSV text (with BOM). `summary` lines go first so the file explains itself. */
export function reportCsv(errors: readonly RowError[], summary: string[]): string {
  const lines: string[] = [];
  for (const s of summary) lines.push(csvCell(s));
  lines.push(['行号 line', '列 column', '值 value', '原因', 'reason'].join(','));
  for (const e of errors) {
    const value = e.value.length > MAX_VALUE ? `${e.value.slice(0, MAX_VALUE)}…` : e.value;
    lines.push([e.line, csvCell(e.column), csvCell(value), csvCell(reasonText(e, 'zh-CN')), csvCell(reasonText(e, 'en'))].join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
