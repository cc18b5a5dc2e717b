// Opaque keyset cursors: base64url of the last row's sort key and id. Clients pass them back as is.
import { Invalid, fieldError } from '../platform/errors.ts';
import './messages.ts';

export function encodeCursor(parts: readonly string[]): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

/** The cursor's parts, checked to be `n` strings whose first one equals `tag` when given. */
export function decodeCursor(cursor: string, n: number, tag?: string): string[] {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parts = null;
  }
  if (!Array.isArray(parts) || parts.length !== n || !parts.every((p) => typeof p === 'string') || (tag !== undefined && parts[0] !== tag)) {
    throw new Invalid([fieldError('cursor', 'bad_cursor', 'field.bad_cursor')], 'error.bad_cursor');
  }
  return parts as string[];
}

/** A timestamptz as PostgreSQL prints it (`::text`), the form timestamp cursors carry. */
export const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/;
