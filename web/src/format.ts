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

/** Integer minor units (分) and an ISO currency as money: ¥1,234.50. */
export function formatMoney(minor: number, currency: string): string {
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
  const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
  return f.format(minor / 10 ** digits);
}
