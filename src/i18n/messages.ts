// Server-side messages in both languages. Keys are stable; `{name}` placeholders are filled from params.
import { fieldMessages } from './field-messages.ts';

export type Locale = 'zh-CN' | 'en';

const messages: Record<string, Record<Locale, string>> = {
  'error.not_found': { 'zh-CN': '未找到{entity}', en: '{entity} not found' },
  'error.stale_version': {
    'zh-CN': '该记录已被他人修改，请刷新后重试',
    en: 'This record was changed by someone else; reload and try again',
  },
  'error.invalid': { 'zh-CN': '输入有误，请检查标出的字段', en: 'Some fields are invalid' },
  'error.forbidden': { 'zh-CN': '没有权限执行此操作', en: 'You do not have permission to do this' },
  'error.unauthorized': { 'zh-CN': '请先登录', en: 'Please sign in' },
  'error.bad_credentials': { 'zh-CN': '邮箱或密码错误', en: 'Wrong email or password' },
  'error.rate_limited': { 'zh-CN': '尝试次数过多，请稍后再试', en: 'Too many attempts; try again later' },
  'error.payload_too_large': { 'zh-CN': '文件过大', en: 'The upload is too large' },
  'error.email_taken': { 'zh-CN': '邮箱 {email} 已被使用', en: 'The email {email} is already in use' },
  'error.org_exists': { 'zh-CN': '组织 {name} 已存在', en: 'Organization {name} already exists' },
  'error.duplicate_customer': { 'zh-CN': '已有相同手机号或邮箱的客户', en: 'A customer with the same phone or email exists' },
  'error.internal': { 'zh-CN': '服务器内部错误', en: 'Internal server error' },
  'entity.customer': { 'zh-CN': '客户', en: 'customer' },
  'entity.user': { 'zh-CN': '用户', en: 'user' },
  'entity.import': { 'zh-CN': '导入记录', en: 'import' },
  'entity.route': { 'zh-CN': '接口', en: 'route' },
  ...fieldMessages,
};

export function t(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
  const entry = messages[key];
  if (!entry) return key;
  return entry[locale].replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) return '';
    // Entity names are themselves message keys.
    const nested = messages[`entity.${v}`];
    return nested ? nested[locale] : String(v);
  });
}

export function pickLocale(acceptLanguage: string | undefined, fallback: Locale = 'zh-CN'): Locale {
  if (!acceptLanguage) return fallback;
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  if (first.startsWith('en')) return 'en';
  if (first.startsWith('zh')) return 'zh-CN';
  return fallback;
}

export function registerMessages(extra: Record<string, Record<Locale, string>>): void {
  Object.assign(messages, extra);
}

/** The raw template of a message (`{name}` placeholders unfilled), e.g. to render it in SQL (sql-messages.ts). */
export function messageTemplate(locale: Locale, key: string): string | undefined {
  return messages[key]?.[locale];
}
