import { uuidv7 } from 'uuidv7';

/** Time-ordered UUIDv7, generated in the application so PGlite and PostgreSQL 15 agree. */
export function newId(): string {
  return uuidv7();
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(s: string): boolean {
  return UUID_RE.test(s);
}
