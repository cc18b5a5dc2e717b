// Typed domain errors, mapped to HTTP in one place (src/http/errors.ts) with a stable code.
// `messageKey` names a message in src/i18n/messages.ts so the caller gets it in their language.

export interface FieldError {
  /** Dotted path of the failing field, e.g. "phones.0". */
  path: string;
  /** Stable machine code of the problem, e.g. "invalid_phone". */
  code: string;
  message: string;
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
  constructor(readonly fields: FieldError[], messageKey = 'error.invalid') {
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
