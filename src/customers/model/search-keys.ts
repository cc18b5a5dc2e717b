// Search keys derived from a customer's name, phones and emails, stored beside the row so that
// PostgreSQL indexes answer every search (pg_trgm on pinyin/initials/phones/emails, GIN on name grams).
// pg_trgm cannot index patterns shorter than three characters and Chinese names are two or three,
// so the name's one- and two-character grams are stored too (see ARCHITECTURE.md, "Search").
import { pinyin } from 'pinyin-pro';

export interface SearchKeys {
  namePinyin: string;
  nameInitials: string;
  nameGrams: string[];
  phoneText: string;
  emailText: string;
}

/** Lower-cased, whitespace-free form of a name used for grams and matching. */
export function normalizeName(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/** All 1- and 2-character grams of a (normalized) string, deduplicated. */
export function nameGrams(name: string): string[] {
  const s = [...normalizeName(name)];
  const grams = new Set<string>();
  for (let i = 0; i < s.length; i++) {
    grams.add(s[i]);
    if (i + 1 < s.length) grams.add(s[i] + s[i + 1]);
  }
  return [...grams];
}

/** Grams a query must contain, all of them, for the name to possibly contain the query. */
export function queryGrams(q: string): string[] {
  const s = [...normalizeName(q)];
  if (s.length === 1) return s;
  const grams: string[] = [];
  for (let i = 0; i + 1 < s.length; i++) grams.push(s[i] + s[i + 1]);
  return [...new Set(grams)];
}

export function namePinyin(name: string, kind: 'person' | 'company' = 'person'): { full: string; initials: string } {
  const n = normalizeName(name);
  // Non-Chinese characters (latin company names, digits) pass through unchanged.
  const syllables = pinyin(n, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true, surname: kind === 'person' ? 'head' : 'off' });
  const full = syllables.join('').toLowerCase().replace(/[^a-z0-9]/g, '');
  const initials = syllables
    .map((s) => s.trim()[0] ?? '')
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
  return { full, initials };
}

export function digitsOnly(s: string): string {
  return s.replace(/\D/g, '');
}

export function searchKeys(input: { name: string; kind?: 'person' | 'company'; phones: readonly string[]; emails: readonly string[] }): SearchKeys {
  const py = namePinyin(input.name, input.kind ?? 'person');
  return {
    namePinyin: py.full,
    nameInitials: py.initials,
    nameGrams: nameGrams(input.name),
    phoneText: input.phones.map(digitsOnly).join(' '),
    emailText: input.emails.map((e) => e.toLowerCase()).join(' '),
  };
}
