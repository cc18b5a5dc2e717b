// 脱敏: masking applied on the server, so a role without `customer.pii` never receives full values.

/**
 * Mainland mobile 13812341234 → 138****1234; other numbers keep up to the first 3 and last 4
 * digits, but always hide at least 4 (a 7-digit +number keeps only its last 3).
 */
export function maskPhone(phone: string): string {
  let digits = phone.replace(/\D/g, '');
  if (digits.length === 13 && digits.startsWith('86')) digits = digits.slice(2);
  if (digits.length >= 11) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  const end = Math.min(4, Math.max(0, digits.length - 4));
  const start = Math.min(3, Math.max(0, digits.length - 4 - end));
  return `${digits.slice(0, start)}${'*'.repeat(digits.length - start - end)}${end ? digits.slice(-end) : ''}`;
}

/** zhang.san@example.com → z***@example.com; a one-letter name is hidden entirely. */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at <= 0) return '***';
  return `${at > 1 ? email[0] : ''}***${email.slice(at)}`;
}

/** 18-digit resident ID → first 6 and last 4 kept. */
export function maskIdCard(id: string): string {
  if (id.length < 10) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}
