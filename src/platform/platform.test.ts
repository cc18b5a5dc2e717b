import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { describeDb } from '../db/test-harness.ts';
import { seedOrg } from '../db/test-fixtures.ts';
import { buildApp } from '../http/app.ts';
import { isUniqueViolation } from './errors.ts';
import { newId } from './ids.ts';
import { territories } from './tables.ts';

const config = { sessionHours: 12, maxUploadBytes: 1024 * 1024, loginRatePerMinute: 5, cookieSecure: false };

describeDb('platform: auth, users, audit', (get) => {
  it('logs in with email and password, then reads /api/auth/me with the bearer token and the cookie', async () => {
    const { db, database } = get();
    const org = await seedOrg(db, 'Acme');
    const app = await buildApp({ database, config, log: pino({ level: 'silent' }), webDir: null });
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: org.emails.agent, password: org.password } });
    expect(res.statusCode).toBe(200);
    const { token, user } = res.json();
    expect(user.role).toBe('agent');
    expect(res.cookies.find((c) => c.name === 'kefu_session')?.httpOnly).toBe(true);
    const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json().permissions).toContain('customer.read');
    const meCookie = await app.inject({ method: 'GET', url: '/api/auth/me', cookies: { kefu_session: token } });
    expect(meCookie.statusCode).toBe(200);
    // Logout revokes the token.
    await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { authorization: `Bearer ${token}` } });
    const after = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
    expect(after.statusCode).toBe(401);
    await app.close();
  });

  it('rejects a wrong password with 401 in the caller language and rate-limits with 429', async () => {
    const { db, database } = get();
    const org = await seedOrg(db, 'Beta');
    const app = await buildApp({ database, config, log: pino({ level: 'silent' }), webDir: null });
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'accept-language': 'en' },
        payload: { email: org.emails.admin, password: 'wrong-password' },
      });
      codes.push(r.statusCode);
      if (i === 0) expect(r.json()).toEqual({ code: 'unauthorized', message: 'Wrong email or password' });
    }
    expect(codes).toEqual([401, 401, 401, 401, 401, 429]);
    await app.close();
  });

  it('counts failed logins per account: colleagues behind the same address still log in, a rotated X-Forwarded-For does not reset it', async () => {
    const { db, database } = get();
    const org = await seedOrg(db, 'Limit');
    const app = await buildApp({ database, config, log: pino({ level: 'silent' }), webDir: null });
    const attempt = (email: string, password: string, ip: string) =>
      app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-forwarded-for': ip }, payload: { email, password } });
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await attempt(org.emails.admin, 'wrong-password', `10.0.0.${i}`)).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 401, 429, 429]);
    // Same client address as the failures above, another account: not locked out.
    expect((await attempt(org.emails.agent, org.password, '10.0.0.1')).statusCode).toBe(200);
    // The same account in another case and with spaces is the same account.
    expect((await attempt(` ${org.emails.admin.toUpperCase()}`, org.password, '10.9.9.9')).statusCode).toBe(429);
    await app.close();
  });

  it('answers a body that is not JSON and an unknown API route in the usual error shape, in the caller language', async () => {
    const { db, database } = get();
    const org = await seedOrg(db, 'Shape');
    const app = await buildApp({ database, config, log: pino({ level: 'silent' }), webDir: null });
    const notJson = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      payload: '{"email": ',
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json()).toMatchObject({ code: 'invalid', message: 'Some fields are invalid', fields: [{ path: 'body' }] });
    const token = (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: org.emails.agent, password: org.password } })).json().token as string;
    const missing = await app.inject({ method: 'GET', url: '/api/no-such-thing', headers: { authorization: `Bearer ${token}`, 'accept-language': 'zh-CN' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ code: 'not_found', message: '未找到接口' });
    await app.close();
  });

  it('answers 400 with field-level errors for a malformed body', async () => {
    const { database } = get();
    const app = await buildApp({ database, config, log: pino({ level: 'silent' }), webDir: null });
    const r = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'accept-language': 'zh-CN' }, payload: { email: 'not-an-email' } });
    expect(r.statusCode).toBe(400);
    const body = r.json();
    expect(body.code).toBe('invalid');
    expect(body.fields.map((f: { path: string }) => f.path).sort()).toEqual(['body.email', 'body.password']);
    await app.close();
  });

  it('lets only admins create users and read the audit log', async () => {
    const { db, database } = get();
    const org = await seedOrg(db, 'Gamma');
    const app = await buildApp({ database, config, log: pino({ level: 'silent' }), webDir: null });
    const login = async (email: string) =>
      (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: org.password } })).json().token as string;
    const adminToken = await login(org.emails.admin);
    const agentToken = await login(org.emails.agent);
    const body = { email: 'new@gamma.test', password: 'another-pass-1', name: '新人', role: 'agent' };
    const forbidden = await app.inject({ method: 'POST', url: '/api/users', headers: { authorization: `Bearer ${agentToken}` }, payload: body });
    expect(forbidden.statusCode).toBe(403);
    const created = await app.inject({ method: 'POST', url: '/api/users', headers: { authorization: `Bearer ${adminToken}` }, payload: body });
    expect(created.statusCode).toBe(201);
    const dup = await app.inject({ method: 'POST', url: '/api/users', headers: { authorization: `Bearer ${adminToken}` }, payload: body });
    expect(dup.statusCode).toBe(409);
    const auditRes = await app.inject({ method: 'GET', url: '/api/audit?action=user.create', headers: { authorization: `Bearer ${adminToken}` } });
    expect(auditRes.statusCode).toBe(200);
    expect(auditRes.json().items.some((e: { data: { email?: string } }) => e.data.email === 'new@gamma.test')).toBe(true);
    const agentAudit = await app.inject({ method: 'GET', url: '/api/audit', headers: { authorization: `Bearer ${agentToken}` } });
    expect(agentAudit.statusCode).toBe(403);
    await app.close();
  });
});

describeDb('platform: API tokens', (get) => {
  it('lists API tokens without secrets and revokes them: the owner their own, an admin any of the organization, at once', async () => {
    const { db, database } = get();
    const org = await seedOrg(db, 'Tokens');
    const other = await seedOrg(db, 'Tokens other');
    const app = await buildApp({ database, config: { ...config, loginRatePerMinute: 100 }, log: pino({ level: 'silent' }), webDir: null });
    const login = async (email: string) =>
      (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: org.password } })).json().token as string;
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const agent = await login(org.emails.agent);
    const supervisor = await login(org.emails.supervisor);
    const admin = await login(org.emails.admin);
    const otherAdmin = await login(other.emails.admin);
    const created = (await app.inject({ method: 'POST', url: '/api/auth/tokens', headers: bearer(agent), payload: { name: 'CRM sync' } })).json();
    // The token works (and is now in the session cache).
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(created.token) })).statusCode).toBe(200);
    const listed = await app.inject({ method: 'GET', url: '/api/auth/tokens', headers: bearer(agent) });
    expect(listed.json().items).toEqual([{ id: created.id, name: 'CRM sync', userId: org.userIds.agent, createdAt: expect.any(String), revokedAt: null }]);
    expect(listed.body).not.toContain(created.token);
    expect((await app.inject({ method: 'GET', url: '/api/auth/tokens', headers: bearer(supervisor) })).json().items).toEqual([]);
    // A colleague, another organization's admin, a malformed id: not found.
    for (const [token, id] of [[supervisor, created.id], [otherAdmin, created.id], [admin, 'nope']] as const) {
      expect((await app.inject({ method: 'DELETE', url: `/api/auth/tokens/${id}`, headers: bearer(token) })).statusCode).toBe(404);
    }
    expect((await app.inject({ method: 'GET', url: '/api/auth/tokens', headers: bearer(admin) })).json().items.map((t: { id: string }) => t.id)).toEqual([created.id]);
    expect((await app.inject({ method: 'DELETE', url: `/api/auth/tokens/${created.id}`, headers: bearer(admin) })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(created.token) })).statusCode).toBe(401);
    expect((await app.inject({ method: 'DELETE', url: `/api/auth/tokens/${created.id}`, headers: bearer(agent) })).statusCode).toBe(404);
    const auditRes = await app.inject({ method: 'GET', url: '/api/audit?action=api_token.revoke', headers: bearer(admin) });
    expect(auditRes.json().items).toMatchObject([{ entityId: created.id, actorId: org.userIds.admin, data: { name: 'CRM sync', userId: org.userIds.agent } }]);
    await app.close();
  });
});

describeDb('platform: client address', (get) => {
  it('believes X-Forwarded-For from a local reverse proxy only, so a client cannot forge the address in the audit log', async () => {
    const { db, database } = get();
    const org = await seedOrg(db, 'Proxy');
    const app = await buildApp({ database, config: { ...config, loginRatePerMinute: 100 }, log: pino({ level: 'silent' }), webDir: null });
    const token = (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: org.emails.admin, password: org.password } })).json().token as string;
    const mint = (name: string, remoteAddress: string) =>
      app.inject({
        method: 'POST',
        url: '/api/auth/tokens',
        remoteAddress,
        headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': '198.51.100.7' },
        payload: { name },
      });
    expect((await mint('direct', '203.0.113.5')).statusCode).toBe(201);
    expect((await mint('proxied', '127.0.0.1')).statusCode).toBe(201);
    const items = (await app.inject({ method: 'GET', url: '/api/audit?action=api_token.create', headers: { authorization: `Bearer ${token}` } })).json()
      .items as { ip: string; data: { name: string } }[];
    expect(Object.fromEntries(items.map((i) => [i.data.name, i.ip]))).toEqual({ direct: '203.0.113.5', proxied: '198.51.100.7' });
    await app.close();
  });
});

describeDb('platform: duplicates are conflicts', (get) => {
  it('answers 409 for a duplicate territory name and 400 for a parent territory of another organization', async () => {
    const { db, database } = get();
    const org = await seedOrg(db, 'Terr');
    const other = await seedOrg(db, 'Terr other');
    const app = await buildApp({ database, config: { ...config, loginRatePerMinute: 100 }, log: pino({ level: 'silent' }), webDir: null });
    const token = (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: org.emails.admin, password: org.password } })).json().token as string;
    const post = (payload: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: '/api/territories', headers: { authorization: `Bearer ${token}`, 'accept-language': 'en' }, payload });
    const dup = await post({ name: '广东', regionCodes: ['440000'] }); // seedOrg made 广东 already
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toEqual({ code: 'conflict', message: 'The territory 广东 already exists' });
    const foreignParent = await post({ name: '深圳', parentId: other.territoryId, regionCodes: ['440300'] });
    expect(foreignParent.statusCode).toBe(400);
    expect(foreignParent.json().fields).toEqual([{ path: 'parentId', code: 'unknown_territory', message: 'Unknown territory' }]);
    const ok = await post({ name: '深圳', parentId: org.territoryId, regionCodes: ['440300'] });
    expect(ok.statusCode).toBe(201);
    await app.close();
  });

  it('recognizes a unique violation from the database, and the HTTP layer answers it as 409 instead of 500', async () => {
    const { db, database } = get();
    const org = await seedOrg(db, 'Uniq');
    const err = await db.insert(territories).values({ id: newId(), orgId: org.orgId, name: '广东', regionCodes: ['440000'] }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isUniqueViolation(err)).toBe(true);
    expect(isUniqueViolation(new Error('other'))).toBe(false);
    const app = await buildApp({ database, config, log: pino({ level: 'silent' }), webDir: null });
    // A route whose existence check lost the race: the insert hits the unique index.
    app.get('/raced', async () => {
      await db.insert(territories).values({ id: newId(), orgId: org.orgId, name: '广东', regionCodes: ['440000'] });
      return {};
    });
    const r = await app.inject({ method: 'GET', url: '/raced', headers: { 'accept-language': 'en' } });
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe('conflict');
    await app.close();
  });
});

describe('organizations', () => {
  it('refuses a time zone that exports could not format dates in', async () => {
    const { createOrganizationInput } = await import('./create-organization.ts');
    const base = { name: 'TZ', adminEmail: 'a@tz.test', adminPassword: 'long-enough-1' };
    expect(createOrganizationInput.safeParse({ ...base, timezone: 'Mars/Olympus' }).success).toBe(false);
    expect(createOrganizationInput.parse({ ...base, timezone: 'Asia/Urumqi' }).timezone).toBe('Asia/Urumqi');
    expect(createOrganizationInput.parse(base).timezone).toBe('Asia/Shanghai');
  });
});

describe('health', () => {
  it('reports the database kind', async () => {
    const { openTestDatabase } = await import('../db/test-harness.ts');
    const { handle, drop } = await openTestDatabase('pglite');
    const app = await buildApp({ database: handle.database, config, log: pino({ level: 'silent' }), webDir: null });
    const r = await app.inject({ method: 'GET', url: '/api/health' });
    expect(r.json()).toEqual({ status: 'ok', database: 'pglite' });
    await app.close();
    await drop();
  });
});
