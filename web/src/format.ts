import { currentLanguage } from './i18n/index.ts';

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(kind: 'datetime' | 'date'): Intl.DateTimeFormat {
  const key = `${currentLanguage()}|${kind}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(currentLanguage() === 'en' ? 'en-CA' : 'zh-CN', {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      ...(kind === 'datetime' ? { hour: '2-digit', minute: '2-digit', hour12: false } : {}),
    });
    cache.set(key, f);
  }
  return f;
}

/** 2025-03-08 14:05, the same shape in both languages (what people expect in a dense table). */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = Object.fromEntries(formatter('datetime').formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour === '24' ? '00' : parts.hour}:${parts.minute}`;
}

export function formatDate(iso: string | null | undefined): string {
  return formatDateTime(iso).slice(0, 10);
}

export function formatNumber(n: number): string {
  return new Intl.NumberFormat(currentLanguage()).format(n);
}

/** A local calendar day (yyyy-mm-dd from a date input) as an ISO timestamp with the browser's offset. */
export function dayToIso(day: string, endOfDay = false): string | undefined {
  if (!day) return undefined;
  const d = new Date(`${day}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}`);
  if (Number.isNaN(d.getTime())) return undefined;
  return d.toISOString();
}

/** A span of minutes as the two largest units, e.g. 2天3小时 / 2d 3h (for SLA countdowns). */
export function formatMinutes(total: number): string {
  const zh = currentLanguage() !== 'en';
  const m = Math.max(0, Math.round(total));
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const min = m % 60;
  const u = zh ? { d: '天', h: '小时', m: '分' } : { d: 'd', h: 'h', m: 'm' };
  const sep = zh ? '' : ' ';
  if (d > 0) return h ? `${d}${u.d}${sep}${h}${u.h}` : `${d}${u.d}`;
  if (h > 0) return min ? `${h}${u.h}${sep}${min}${u.m}` : `${h}${u.h}`;
  return `${min}${u.m}`;
}

const moneyCache = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string): Intl.NumberFormat {
  const key = `${currentLanguage()}|${currency}`;
  let f = moneyCache.get(key);
  if (!f) {
    try {
      f = new Intl.NumberFormat(currentLanguage(), { style: 'currency', currency, currencyDisplay: 'narrowSymbol' });
    } catch {
      f = new Intl.NumberFormat(currentLanguage(), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    moneyCache.set(key, f);
  }
  return f;
}

/** Integer minor units (分) and an ISO currency as money: ¥1,234.50. */
export function formatMoney(minor: number, currency: string): string {
  const f = moneyFormat(currency);
  const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
  return f.format(minor / 10 ** digits);
}

/**
 * What a person typed as an amount ("32.5", "¥1,200") in minor units of the currency, or null when it
 * is not a plain non-negative amount with at most the currency's decimals (the server then names the field).
 */
export function parseMoney(text: string, currency: string): number | null {
  const digits = moneyFormat(currency).resolvedOptions().maximumFractionDigits ?? 2;
  const m = /^(\d+)(?:\.(\d*))?$/.exec(text.trim().replace(/[,，\s]/g, '').replace(/^[¥￥$€£]/, ''));
  if (!m || (m[2] ?? '').length > digits) return null;
  const value = Number(m[1]) * 10 ** digits + Number((m[2] ?? '').padEnd(digits, '0') || '0');
  return Number.isSafeInteger(value) ? value : null;
}
