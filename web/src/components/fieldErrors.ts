import { ApiError } from '../api/client.ts';

/** The server's message for one form field (paths look like "body.phones.0" or "phones.0"). */
export function fieldError(err: unknown, field: string): string | undefined {
  if (!(err instanceof ApiError) || !err.body.fields) return undefined;
  const hit = err.body.fields.find((f) => {
    const p = f.path.replace(/^body\./, '');
    return p === field || p.startsWith(`${field}.`);
  });
  return hit?.message;
}

/** Splits what people type into a list: commas (also the Chinese one), semicolons, new lines. */
export function splitList(s: string): string[] {
  return s
    .split(/[,，;；、\n]/)
    .map((x) => x.trim())
    .filter(Boolean);
}
