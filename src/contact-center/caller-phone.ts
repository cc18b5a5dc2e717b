// Caller numbers from a PBX (CLID) in the form customers store phones (src/customers/schemas.ts):
// separators removed, a +86 / 0086 / 86 country prefix or a trunk's leading 0 dropped before a mobile.
export function normalizeCallerPhone(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let s = raw.trim().replace(/[\s\-()]/g, '');
  s = s.replace(/^(\+86|0086|86)(?=1[3-9]\d{9}$)/, '').replace(/^0(?=1[3-9]\d{9}$)/, '');
  return s.length > 0 ? s : null;
}
