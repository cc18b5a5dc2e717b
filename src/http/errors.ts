import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { DomainError, Invalid, isUniqueViolation, localizeField, type FieldError } from '../platform/errors.ts';
import { pickLocale, registerMessages, t, type Locale } from '../i18n/messages.ts';
import { installZodLocales, zodIssueMessage } from '../i18n/zod-messages.ts';

// Zod issues raised from here on carry their message in every locale, so a 400 speaks the caller's language.
installZodLocales();

registerMessages({
  'error.duplicate': { 'zh-CN': '该记录已存在（可能刚被他人创建），请刷新后重试', en: 'This already exists (perhaps just created by someone else); reload and try again' },
});

/** Body of every error response: a stable code, a message in the caller's language and, for 400, the fields. */
export interface ErrorBody {
  code: string;
  message: string;
  fields?: FieldError[];
  current?: unknown;
}

const statusOf: Record<DomainError['code'], number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
};

export function requestLocale(req: FastifyRequest): Locale {
  return req.actor?.locale && !req.headers['accept-language']
    ? req.actor.locale
    : pickLocale(req.headers['accept-language'], req.actor?.locale ?? 'zh-CN');
}

export function fieldsFromZod(err: ZodError, locale: Locale): FieldError[] {
  return err.issues.map((i) => ({ path: i.path.map(String).join('.'), code: i.code, message: zodIssueMessage(i, locale) }));
}

export function errorHandler(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) {
  const locale = requestLocale(req);
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = (err as FastifyError).validationContext ?? 'body';
    const fields = err.validation.map((v) => ({
      path: [where, ...v.instancePath.split('/').filter(Boolean)].join('.'),
      code: String(v.keyword),
      // The provider keeps the rest of the zod issue in `params`, the texts in every locale among it.
      message: zodIssueMessage({ ...v.params, message: v.message ?? 'invalid' }, locale),
    }));
    return reply.code(400).send({ code: 'invalid', message: t(locale, 'error.invalid'), fields } satisfies ErrorBody);
  }
  if (err instanceof ZodError) {
    return reply.code(400).send({ code: 'invalid', message: t(locale, 'error.invalid'), fields: fieldsFromZod(err, locale) } satisfies ErrorBody);
  }
  if (err instanceof DomainError) {
    const body: ErrorBody = { code: err.code, message: t(locale, err.messageKey, err.params) };
    if (err instanceof Invalid) body.fields = err.fields.map((f) => localizeField(f, locale));
    if ('current' in err && err.current !== undefined) body.current = err.current;
    return reply.code(statusOf[err.code]).send(body);
  }
  const fe = err as FastifyError;
  if (fe.statusCode === 413 || fe.code === 'FST_REQ_FILE_TOO_LARGE' || fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return reply.code(413).send({ code: 'payload_too_large', message: t(locale, 'error.payload_too_large') } satisfies ErrorBody);
  }
  if (fe.statusCode === 429) {
    return reply.code(429).send({ code: 'rate_limited', message: t(locale, 'error.rate_limited') } satisfies ErrorBody);
  }
  if (fe.statusCode === 400) {
    // Fastify's own 400s (a body that is not JSON, an empty JSON body): the same shape as ours.
    const fields: FieldError[] = [{ path: 'body', code: fe.code ?? 'bad_request', message: t(locale, 'field.bad_request', { detail: fe.message }) }];
    return reply.code(400).send({ code: 'invalid', message: t(locale, 'error.invalid'), fields } satisfies ErrorBody);
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return reply.code(fe.statusCode).send({ code: fe.code ?? 'bad_request', message: fe.message } satisfies ErrorBody);
  }
  // A race past a use case's own existence check ends at a unique index: a conflict, not a crash.
  if (isUniqueViolation(err)) {
    req.log.info({ err }, 'unique violation answered as 409');
    return reply.code(409).send({ code: 'conflict', message: t(locale, 'error.duplicate') } satisfies ErrorBody);
  }
  req.log.error({ err }, 'unhandled error');
  return reply.code(500).send({ code: 'internal', message: t(locale, 'error.internal') } satisfies ErrorBody);
}
