// 脱敏: masking applied on the server, so a role without `customer.pii` never receives full values.

/** Mainland mobile 13812341234 → 138****1234; other numbers keep the first 3 and last 4 digits where possible. */
export function maskPhone(phone: string): string {
  let digits = phone.replace(/\D/g, '');
  if (digits.length === 13 && digits.startsWith('86')) digits = digits.slice(2);
  if (digits.length >= 11) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  if (digits.length >= 7) return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}****`.slice(0, digits.length - 4) + digits.slice(-4);
  return '*'.repeat(digits.length);
}

/** zhang.san@example.com → z***@example.com */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** 18-digit resident ID → first 6 and last 4 kept. */
export function maskIdCard(id: string): string {
  if (id.length < 10) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}
