import { ApiError, type FieldError } from '../api/client.ts';

/** The server's error for one form field (paths look like "body.phones.0" or "phones.0"): its code and message. */
export function fieldErrorOf(err: unknown, field: string): FieldError | undefined {
  if (!(err instanceof ApiError) || !err.body.fields) return undefined;
  return err.body.fields.find((f) => {
    const p = f.path.replace(/^body\./, '');
    return p === field || p.startsWith(`${field}.`);
  });
}

/** The server's message for one form field. */
export function fieldError(err: unknown, field: string): string | undefined {
  return fieldErrorOf(err, field)?.message;
}

/** Splits what people type into a list: commas (also the Chinese one), semicolons, new lines. */
export function splitList(s: string): string[] {
  return s
    .split(/[,，;；、\n]/)
    .map((x) => x.trim())
    .filter(Boolean);
}
