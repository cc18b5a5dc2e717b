import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { DEFAULT_TRUST_PROXY, type Config } from '../config.ts';
import type { Database } from '../db/open.ts';
import type { JobQueue } from '../jobs/queue.ts';
import { makeCtx, type Actor, type Ctx } from '../platform/context.ts';
import { Unauthorized } from '../platform/errors.ts';
import { SessionCache } from '../platform/sessions.ts';
import { errorHandler, requestLocale } from './errors.ts';
import { JsonText } from './json-text.ts';
import { t } from '../i18n/messages.ts';
import { platformRoutes } from '../platform/routes.ts';
import { customerRoutes } from '../customers/routes.ts';
import { transferRoutes } from '../customers/transfer-routes.ts';
import { businessCalendarRoutes } from '../service/calendar/routes.ts';
import { messagingRoutes } from '../messaging/routes.ts';
import { serviceRoutes } from '../service/routes.ts';
import { serviceKpiRoutes } from '../service/kpis/routes.ts';
import { orderRoutes } from '../orders/routes.ts';
import { opportunityRoutes } from '../opportunities/routes.ts';
import { contactCenterRoutes } from '../contact-center/routes.ts';
import { analyticsRoutes } from '../analytics/routes.ts';
import { wfmRoutes } from '../wfm/routes.ts';

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

export interface AppDeps {
  database: Database;
  config: Pick<Config, 'sessionHours' | 'maxUploadBytes' | 'loginRatePerMinute' | 'cookieSecure'> & Partial<Pick<Config, 'trustProxy'>>;
  log: Logger;
  now?: () => Date;
  /** Background jobs, when this process runs them: handed to every request's ctx (optional: tests build the app without). */
  jobs?: JobQueue;
  /** Built web UI to serve (web/dist); skipped when absent. */
  webDir?: string | null;
  /**
   * The busiest lists (see TRUSTED_RESPONSES) build their output field by field, so a server may
   * write it with JSON.stringify instead of parsing it through the zod schema first ('serialize';
   * the schema parse cost as much CPU as PostgreSQL spent on the query). 'verify' (the default, and
   * what tests use) still parses and fails when the two would differ, so a stray field cannot slip out.
   * Such a route may also answer a JsonText, the JSON the database wrote: sent as it is, or verified the same way.
   */
  trustedResponses?: 'serialize' | 'verify';
}

/** Routes whose 200 output is built explicitly by their use case (see AppDeps.trustedResponses). */
export const TRUSTED_RESPONSES = new Set(['GET /api/customers', 'GET /api/service-orders']);

type SerializerRoute = Parameters<typeof serializerCompiler>[0] & { httpStatus?: string | number };

/** The response serializer of a route: through its zod schema, or for TRUSTED_RESPONSES as AppDeps.trustedResponses says. */
export function responseSerializer(route: SerializerRoute, trusted: 'serialize' | 'verify'): (data: unknown) => string {
  const viaSchema = serializerCompiler(route);
  if (String(route.httpStatus) !== '200' || !TRUSTED_RESPONSES.has(`${route.method} ${route.url}`)) return viaSchema;
  if (trusted === 'serialize') return (data) => (data instanceof JsonText ? data.text : JSON.stringify(data));
  return (raw) => {
    const data: unknown = raw instanceof JsonText ? JSON.parse(raw.text) : raw;
    const checked = viaSchema(data);
    const direct = JSON.stringify(data);
    if (!isDeepStrictEqual(JSON.parse(checked), JSON.parse(direct))) {
      throw new Error(`${route.method} ${route.url}: the output differs from what its schema lets through, so it cannot skip the schema: ${direct.slice(0, 300)}`);
    }
    return direct;
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
    authToken?: string;
  }
}

export const SESSION_COOKIE = 'kefu_session';

const PUBLIC_PATHS = new Set(['/api/health', '/api/auth/login', '/api/openapi.json']);

export const defaultWebDir = fileURLToPath(new URL('../../web/dist', import.meta.url));

export async function buildApp(deps: AppDeps): Promise<App> {
  const now = deps.now ?? (() => new Date());
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: 2 * 1024 * 1024,
    // X-Forwarded-For only from a proxy we trust: from anyone else it would let a client write any
    // address into the audit log.
    trustProxy: deps.config.trustProxy ?? DEFAULT_TRUST_PROXY,
    // Per-request lines only at debug level: a busy call center would drown the log otherwise.
    logController: new LogController({ disableRequestLogging: !deps.log.isLevelEnabled('debug') }),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler((route) => responseSerializer(route as SerializerRoute, deps.trustedResponses ?? 'verify'));
  app.setErrorHandler(errorHandler);

  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: deps.config.maxUploadBytes, files: 1 } });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Kefu API', description: 'Kefu (客服) customer-service management', version: '0.1.0' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          cookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  const sessionCache = new SessionCache(deps.database.db);
  // Authentication for every /api route except the public ones: Bearer token or session cookie.
  app.addHook('onRequest', async (req) => {
    const url = req.url.split('?')[0];
    if (!url.startsWith('/api/') || PUBLIC_PATHS.has(url) || url.startsWith('/api/docs')) return;
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : req.cookies[SESSION_COOKIE];
    if (!token) throw new Unauthorized();
    const { actor } = await sessionCache.authenticate(token, now());
    actor.ip = req.ip;
    req.actor = actor;
    req.authToken = token;
  });

  const ctxOf = (req: FastifyRequest): Ctx => {
    if (!req.actor) throw new Unauthorized();
    return makeCtx(deps.database.db, req.actor, { now, log: req.log as Logger, jobs: deps.jobs });
  };
  const routeDeps = { ...deps, now, ctxOf, sessionCache };

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(async (scope) => platformRoutes(scope as App, routeDeps));
  await app.register(async (scope) => customerRoutes(scope as App, routeDeps));
  await app.register(async (scope) => transferRoutes(scope as App, routeDeps));
  await app.register(async (scope) => businessCalendarRoutes(scope as App, routeDeps));
  await app.register(async (scope) => messagingRoutes(scope as App, routeDeps));
  await app.register(async (scope) => serviceRoutes(scope as App, routeDeps));
  await app.register(async (scope) => serviceKpiRoutes(scope as App, routeDeps));
  await app.register(async (scope) => orderRoutes(scope as App, routeDeps));
  await app.register(async (scope) => opportunityRoutes(scope as App, routeDeps));
  await app.register(async (scope) => contactCenterRoutes(scope as App, routeDeps));
  await app.register(async (scope) => analyticsRoutes(scope as App, routeDeps));
  await app.register(async (scope) => wfmRoutes(scope as App, routeDeps));

  const webDir = deps.webDir === undefined ? defaultWebDir : deps.webDir;
  const hasWeb = Boolean(webDir && fs.existsSync(path.join(webDir, 'index.html')));
  if (hasWeb) await app.register(fastifyStatic, { root: webDir!, wildcard: false });
  app.setNotFoundHandler((req, reply) => {
    if (hasWeb && !req.url.startsWith('/api/')) return reply.sendFile('index.html');
    return reply.code(404).send({ code: 'not_found', message: t(requestLocale(req), 'error.not_found', { entity: 'route' }) });
  });
  return app;
}

export type RouteDeps = AppDeps & { now: () => Date; ctxOf: (req: FastifyRequest) => Ctx; sessionCache: SessionCache };
