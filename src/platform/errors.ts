// Typed domain errors, mapped to HTTP in one place (src/http/errors.ts) with a stable code.
// `messageKey` names a message in src/i18n/messages.ts so the caller gets it in their language.

import { t, type Locale } from '../i18n/messages.ts';

export interface FieldError {
  /** Dotted path of the failing field, e.g. "phones.0". */
  path: string;
  /** Stable machine code of the problem, e.g. "invalid_phone". */
  code: string;
  /** The problem in English (what the CLI and logs show); over HTTP, `messageKey` rendered in the caller's language replaces it. */
  message: string;
  /** Names a server message (mostly src/i18n/field-messages.ts); `params` fill its `{name}` placeholders. */
  messageKey?: string;
  params?: Record<string, string | number>;
}

/** A field error of the domain: its message is a key, so each caller reads it in their own language. */
export type KeyedFieldError = FieldError & Required<Pick<FieldError, 'messageKey' | 'params'>>;

/** A field error whose message is a key, so each caller reads it in their own language. */
export function fieldError(path: string, code: string, messageKey: string, params: Record<string, string | number> = {}): KeyedFieldError {
  return { path, code, messageKey, params, message: t('en', messageKey, params) };
}

/** The field error as a caller in `locale` sees it: path, code and the message in their language. */
export function localizeField(f: FieldError, locale: Locale): FieldError {
  return { path: f.path, code: f.code, message: f.messageKey ? t(locale, f.messageKey, f.params) : f.message };
}

export type ErrorCode = 'not_found' | 'conflict' | 'invalid' | 'forbidden' | 'unauthorized' | 'payload_too_large' | 'rate_limited';

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
  constructor(readonly messageKey: string, readonly params: Record<string, string | number> = {}) {
    super(messageKey);
  }
}

export class NotFound extends DomainError {
  readonly code = 'not_found' as const;
  constructor(readonly entity: string) {
    super('error.not_found', { entity });
  }
}

export class Conflict extends DomainError {
  readonly code = 'conflict' as const;
  constructor(messageKey = 'error.stale_version', params: Record<string, string | number> = {}, readonly current?: unknown) {
    super(messageKey, params);
  }
}

export class Invalid extends DomainError {
  readonly code = 'invalid' as const;
  // Keyed fields only (built by fieldError): an English-only field message cannot slip into a 400.
  constructor(readonly fields: KeyedFieldError[], messageKey = 'error.invalid') {
    super(messageKey);
  }
}

export class Forbidden extends DomainError {
  readonly code = 'forbidden' as const;
  constructor(permission?: string) {
    super('error.forbidden', permission ? { permission } : {});
  }
}

export class Unauthorized extends DomainError {
  readonly code = 'unauthorized' as const;
  constructor(messageKey = 'error.unauthorized') {
    super(messageKey);
  }
}

/**
 * True when a database error (possibly wrapped by the driver or drizzle as `cause`) is a unique
 * violation (SQLSTATE 23505): two writers raced past a "does it exist yet?" check.
 */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}
