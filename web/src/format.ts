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
