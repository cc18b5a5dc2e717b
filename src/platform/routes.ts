import { z } from 'zod';
import type { App, RouteDeps } from '../http/app.ts';
import { SESSION_COOKIE } from '../http/app.ts';
import { createUser, createUserInput, listUsers, userOutput } from './create-user.ts';
import { listAudit, listAuditInput, auditEntryOutput } from './list-audit.ts';
import { apiTokenOutput, createApiToken, createApiTokenInput, listApiTokens, login, loginInput, logout, revokeApiToken } from './sessions.ts';
import { setUserTeam, setUserTeamInput } from './set-user-team.ts';
import { createTeam, createTeamInput, listTeams, teamOutput, updateTeam, updateTeamInput } from './teams.ts';
import { createTerritory, createTerritoryInput, listTerritories, territoryOutput } from './territories.ts';
import { roleDefs } from './permissions.ts';
import { regionTree } from './regions.ts';

const errorSchema = z.object({ code: z.string(), message: z.string() }).passthrough();

const meOutput = z.object({
  user: userOutput,
  permissions: z.array(z.string()),
  orgId: z.string(),
});

export async function platformRoutes(app: App, deps: RouteDeps) {
  app.get('/api/health', {
    schema: { tags: ['platform'], response: { 200: z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgres']) }) } },
  }, async () => {
    await deps.database.db.execute('select 1');
    return { status: 'ok' as const, database: deps.database.kind };
  });

  app.post('/api/auth/login', {
    schema: { tags: ['auth'], body: loginInput, response: { 200: z.object({ token: z.string(), user: userOutput }), 401: errorSchema } },
    config: {
      rateLimit: {
        max: deps.config.loginRatePerMinute,
        timeWindow: '1 minute',
        // Per account, counted once the body is parsed (the default onRequest hook sees no body, which
        // keyed the limit by IP alone: one mistyped password locked out a whole call center behind one
        // NAT). Not by IP: with trustProxy the IP comes from X-Forwarded-For, which a client can rotate.
        hook: 'preHandler',
        keyGenerator: (req) => `login|${String((req.body as { email?: string } | undefined)?.email ?? '').trim().toLowerCase()}`,
      },
    },
  }, async (req, reply) => {
    const result = await login(deps.database.db, req.body, { now: deps.now(), sessionHours: deps.config.sessionHours, ip: req.ip });
    reply.setCookie(SESSION_COOKIE, result.token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.config.cookieSecure,
      expires: result.expiresAt,
    });
    return { token: result.token, user: result.user };
  });

  app.post('/api/auth/logout', { schema: { tags: ['auth'], response: { 204: z.null() } } }, async (req, reply) => {
    if (req.authToken) {
      await logout(deps.database.db, req.authToken, deps.now());
      deps.sessionCache.forget(req.authToken);
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send(null);
  });

  app.get('/api/auth/me', { schema: { tags: ['auth'], response: { 200: meOutput } } }, async (req) => {
    const { user, actor } = await deps.sessionCache.authenticate(req.authToken!, deps.now());
    return { user, permissions: [...roleDefs[actor.role].permissions], orgId: actor.orgId };
  });

  app.post('/api/auth/tokens', {
    schema: { tags: ['auth'], body: createApiTokenInput, response: { 201: z.object({ id: z.string(), token: z.string(), name: z.string() }) } },
  }, async (req, reply) => reply.code(201).send(await createApiToken(deps.ctxOf(req), req.body)));

  app.get('/api/auth/tokens', {
    schema: { tags: ['auth'], description: 'Your API tokens (admins: all of the organization), without the secrets.', response: { 200: z.object({ items: z.array(apiTokenOutput) }) } },
  }, async (req) => ({ items: await listApiTokens(deps.ctxOf(req)) }));

  app.delete('/api/auth/tokens/:id', {
    schema: { tags: ['auth'], description: 'Revoke an API token (your own; admins: any of the organization).', params: z.object({ id: z.string() }), response: { 204: z.null(), 404: errorSchema } },
  }, async (req, reply) => {
    const { tokenHash } = await revokeApiToken(deps.ctxOf(req), req.params.id);
    deps.sessionCache.forgetHash(tokenHash);
    return reply.code(204).send(null);
  });

  app.get('/api/users', { schema: { tags: ['users'], response: { 200: z.object({ items: z.array(userOutput) }) } } }, async (req) => ({
    items: await listUsers(deps.ctxOf(req)),
  }));

  app.post('/api/users', { schema: { tags: ['users'], body: createUserInput, response: { 201: userOutput } } }, async (req, reply) =>
    reply.code(201).send(await createUser(deps.ctxOf(req), req.body)));

  app.put('/api/users/:id/team', {
    schema: {
      tags: ['users'],
      description: 'Put a user in a team (班组), or take them out of it with teamId null.',
      params: z.object({ id: z.string().uuid() }),
      body: setUserTeamInput,
      response: { 200: userOutput, 400: errorSchema, 404: errorSchema },
    },
  }, async (req) => setUserTeam(deps.ctxOf(req), req.params.id, req.body));

  app.get('/api/teams', {
    schema: { tags: ['teams'], description: 'Teams (班组) of the organization with their active member counts.', response: { 200: z.object({ items: z.array(teamOutput) }) } },
  }, async (req) => ({ items: await listTeams(deps.ctxOf(req)) }));

  app.post('/api/teams', { schema: { tags: ['teams'], body: createTeamInput, response: { 201: teamOutput, 409: errorSchema } } }, async (req, reply) =>
    reply.code(201).send(await createTeam(deps.ctxOf(req), req.body)));

  app.patch('/api/teams/:id', {
    schema: { tags: ['teams'], description: 'Rename a team; 409 when the version is stale or the name taken.', params: z.object({ id: z.string().uuid() }), body: updateTeamInput, response: { 200: teamOutput, 404: errorSchema, 409: errorSchema } },
  }, async (req) => updateTeam(deps.ctxOf(req), req.params.id, req.body));

  app.get('/api/audit', {
    schema: { tags: ['audit'], querystring: listAuditInput, response: { 200: z.object({ items: z.array(auditEntryOutput), nextCursor: z.string().nullable() }) } },
  }, async (req) => listAudit(deps.ctxOf(req), req.query));

  app.get('/api/territories', { schema: { tags: ['territories'], response: { 200: z.object({ items: z.array(territoryOutput) }) } } }, async (req) => ({
    items: await listTerritories(deps.ctxOf(req)),
  }));

  app.post('/api/territories', { schema: { tags: ['territories'], body: createTerritoryInput, response: { 201: territoryOutput } } }, async (req, reply) =>
    reply.code(201).send(await createTerritory(deps.ctxOf(req), req.body)));

  // GB/T 2260 region tree for address pickers and territory editors (public data, cached by the browser).
  app.get('/api/regions', { schema: { tags: ['platform'], hide: true } }, async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=86400');
    return regionTree();
  });
}
