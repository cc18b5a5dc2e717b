// Money display: integer minor units → text with the currency's symbol and thousands separators.
// ISO 4217 minor-unit exponents for the currencies that are not 2 (JPY, KRW: 0; KWD, BHD: 3).
const exponents: Record<string, number> = { JPY: 0, KRW: 0, VND: 0, KWD: 3, BHD: 3, OMR: 3, JOD: 3, TND: 3 };
const symbols: Record<string, string> = { CNY: '¥', HKD: 'HK$', USD: '$', EUR: '€', GBP: '£', JPY: '¥' };

export function formatMoney(minor: number, currency: string): string {
  const exp = exponents[currency] ?? 2;
  const negative = minor < 0;
  const abs = Math.abs(minor);
  const unit = 10 ** exp;
  const whole = Math.floor(abs / unit).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const frac = exp ? `.${String(abs % unit).padStart(exp, '0')}` : '';
  const symbol = symbols[currency];
  const text = symbol ? `${symbol}${whole}${frac}` : `${whole}${frac} ${currency}`;
  return negative ? `-${text}` : text;
}

/** A decimal amount as written in a file ("12.5", "1,234.00") → minor units, or null when not exact. */
export function parseMajorAmount(text: string, currency: string): number | null {
  const exp = exponents[currency] ?? 2;
  const s = text.trim().replace(/[,，\s]/g, '').replace(/^[¥￥$€£]/, '');
  const m = /^(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return null;
  const frac = m[2] ?? '';
  if (frac.length > exp && /[1-9]/.test(frac.slice(exp))) return null;
  const value = Number(m[1]) * 10 ** exp + Number((frac.slice(0, exp) || '0').padEnd(exp, '0'));
  return Number.isSafeInteger(value) ? value : null;
}
