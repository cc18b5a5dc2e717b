// The permission matrix the issue asks for: every role × every customer endpoint, over HTTP with
// real logins. Another organization's ids are 404 (403 first where the role lacks the permission);
// masked roles never receive a full phone number or email in any response body.
import pino from 'pino';
import { expect, it } from 'vitest';
import { describeDb } from '../db/test-harness.ts';
import { seedOrg } from '../db/test-fixtures.ts';
import { buildApp, type App } from '../http/app.ts';
import { roles, type Role } from '../platform/permissions.ts';
import { addContact } from './add-contact.ts';
import { createCustomer } from './create-customer.ts';
import { updateCustomer } from './update-customer.ts';

const config = { sessionHours: 12, maxUploadBytes: 1024 * 1024, loginRatePerMinute: 100, cookieSecure: false };

interface Call {
  method: 'GET' | 'POST' | 'PATCH';
  url: string;
  payload?: unknown;
}

describeDb('customers: permission matrix over HTTP', (get) => {
  it('gives every role exactly its rights on every customer endpoint, with masking and 404 for foreign ids', async () => {
    const { db, database } = get();
    const org = await seedOrg(db, 'Matrix');
    const other = await seedOrg(db, 'Matrix other');
    const secrets = {
      oldPhone: '13511112222',
      gdPhone: '13522223333',
      gdEmail: 'guangdong.kehu@example.com',
      bjPhone: '13633334444',
      bjEmail: 'beijing.kehu@example.com',
      foreignPhone: '13744445555',
      foreignEmail: 'waibu.kehu@example.com',
      newPhone: '13855556666',
      patchPhone: '13966667777',
    };
    const admin = org.ctx.admin;
    // 广东 (the customer manager's territory) and 北京 (outside it); one customer of another organization.
    const gd = await createCustomer(admin, { name: '粤客户', phones: [secrets.oldPhone], emails: [secrets.gdEmail], districtCode: '440305' });
    await updateCustomer(admin, gd.id, { version: 1, phones: [secrets.gdPhone] });
    await addContact(admin, gd.id, { channel: 'phone', direction: 'outbound', summary: `回拨 ${secrets.gdPhone}，留言 ${secrets.gdEmail}` });
    const bj = await createCustomer(admin, { name: '京客户', phones: [secrets.bjPhone], emails: [secrets.bjEmail], districtCode: '110101' });
    const foreign = await createCustomer(other.ctx.admin, { name: '外部客户', phones: [secrets.foreignPhone], emails: [secrets.foreignEmail], districtCode: '440305' });

    const app: App = await buildApp({ database, config, log: pino({ level: 'silent' }), webDir: null });
    const tokens = {} as Record<Role, string>;
    for (const role of roles) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: org.emails[role], password: org.password } });
      expect(res.statusCode).toBe(200);
      tokens[role] = res.json().token as string;
    }

    const rights = {
      write: (r: Role) => r !== 'analyst',
      reveal: (r: Role) => r !== 'analyst',
      pii: (r: Role) => r === 'admin' || r === 'supervisor',
      allRegions: (r: Role) => r !== 'customer_manager',
    };

    for (const role of roles) {
      const bodies: string[] = [];
      const call = async (c: Call, expected: number) => {
        const res = await app.inject({ method: c.method, url: c.url, payload: c.payload as object | undefined, headers: { authorization: `Bearer ${tokens[role]}` } });
        expect({ role, call: `${c.method} ${c.url}`, status: res.statusCode }).toEqual({ role, call: `${c.method} ${c.url}`, status: expected });
        return res;
      };
      const record = async (c: Call, expected: number) => {
        const res = await call(c, expected);
        bodies.push(res.body);
        return res;
      };
      const write = rights.write(role);
      const current = async (id = gd.id) =>
        (await app.inject({ method: 'GET', url: `/api/customers/${id}`, headers: { authorization: `Bearer ${tokens.admin}` } })).json().version as number;

      // list and search
      const listed = (await record({ method: 'GET', url: '/api/customers?limit=200' }, 200)).json().items.map((c: { id: string }) => c.id);
      expect(listed).toContain(gd.id);
      expect(listed.includes(bj.id)).toBe(rights.allRegions(role));
      expect(listed).not.toContain(foreign.id);
      const found = (await record({ method: 'GET', url: `/api/customers?q=${secrets.gdPhone.slice(-6)}` }, 200)).json();
      expect(found.items.map((c: { id: string }) => c.id)).toEqual([gd.id]);
      expect(found.items[0].masked).toBe(!rights.pii(role));
      expect((await record({ method: 'GET', url: `/api/customers?q=${secrets.foreignPhone.slice(-6)}` }, 200)).json().items).toEqual([]);
      const byPinyin = (await record({ method: 'GET', url: '/api/customers?q=jkh' }, 200)).json().items.map((c: { id: string }) => c.id);
      expect(byPinyin).toEqual(rights.allRegions(role) ? [bj.id] : []);

      // detail
      await record({ method: 'GET', url: `/api/customers/${gd.id}` }, 200);
      await record({ method: 'GET', url: `/api/customers/${bj.id}` }, rights.allRegions(role) ? 200 : 404);
      await record({ method: 'GET', url: `/api/customers/${foreign.id}` }, 404);
      await record({ method: 'GET', url: '/api/customers/not-a-uuid' }, 404);

      // create
      await record({ method: 'POST', url: '/api/customers', payload: { name: `${role} 新客户`, phones: [secrets.newPhone], districtCode: '440305' } }, write ? 201 : 403);

      // patch: success, stale version (409 with a masked `current`), foreign id
      const v = await current();
      await record({ method: 'PATCH', url: `/api/customers/${gd.id}`, payload: { version: v, tags: [`by-${role}`] } }, write ? 200 : 403);
      const stale = await record({ method: 'PATCH', url: `/api/customers/${gd.id}`, payload: { version: 1, name: 'stale' } }, write ? 409 : 403);
      if (write) {
        expect(stale.json().code).toBe('conflict');
        expect(stale.json().current).toMatchObject({ id: gd.id, version: await current(), masked: !rights.pii(role) });
      }
      await record({ method: 'PATCH', url: `/api/customers/${foreign.id}`, payload: { version: 1, name: 'x' } }, write ? 404 : 403);
      await record({ method: 'PATCH', url: `/api/customers/${bj.id}`, payload: { version: await current(bj.id), tags: [`x-${role}`] } }, !write ? 403 : rights.allRegions(role) ? 200 : 404);

      // contacts
      await record({ method: 'GET', url: `/api/customers/${gd.id}/contacts` }, 200);
      await record({ method: 'GET', url: `/api/customers/${foreign.id}/contacts` }, 404);
      await record({ method: 'POST', url: `/api/customers/${gd.id}/contacts`, payload: { channel: 'wechat', direction: 'inbound', summary: `${role} 记录` } }, write ? 201 : 403);
      await record({ method: 'POST', url: `/api/customers/${foreign.id}/contacts`, payload: { channel: 'sms', direction: 'outbound', summary: 'x' } }, write ? 404 : 403);

      // timeline
      const tl = await record({ method: 'GET', url: `/api/customers/${gd.id}/timeline` }, 200);
      expect(tl.json().items.map((i: { kind: string }) => i.kind)).toContain('customer.update');
      await record({ method: 'GET', url: `/api/customers/${foreign.id}/timeline` }, 404);
      await record({ method: 'GET', url: `/api/customers/${bj.id}/timeline` }, rights.allRegions(role) ? 200 : 404);

      // custom fields: everyone reads the definitions, only admins define them
      await record({ method: 'GET', url: '/api/custom-fields' }, 200);
      await record({ method: 'POST', url: '/api/custom-fields', payload: { key: `f_${role}`, labelZh: '字段', labelEn: 'Field', type: 'text' } }, role === 'admin' ? 201 : 403);

      // reveal: full values by design, audited; never for a foreign or out-of-scope id
      await record({ method: 'POST', url: `/api/customers/${foreign.id}/reveal` }, rights.reveal(role) ? 404 : 403);
      const bjReveal = await call({ method: 'POST', url: `/api/customers/${bj.id}/reveal` }, !rights.reveal(role) ? 403 : rights.allRegions(role) ? 200 : 404);
      if (bjReveal.statusCode !== 200) bodies.push(bjReveal.body);
      const revealed = await call({ method: 'POST', url: `/api/customers/${gd.id}/reveal` }, rights.reveal(role) ? 200 : 403);
      if (rights.reveal(role)) {
        expect(revealed.json()).toEqual({ id: gd.id, phones: [secrets.gdPhone], emails: [secrets.gdEmail] });
        const auditRes = await app.inject({ method: 'GET', url: `/api/audit?action=customer.reveal&entityId=${gd.id}`, headers: { authorization: `Bearer ${tokens.admin}` } });
        expect(auditRes.json().items.some((a: { actorId: string }) => a.actorId === org.userIds[role])).toBe(true);
      } else {
        bodies.push(revealed.body);
      }

      const all = bodies.join('\n');
      if (rights.pii(role)) {
        expect(all).toContain(secrets.gdPhone);
        expect(all).toContain(secrets.gdEmail);
      } else {
        for (const [what, secret] of Object.entries(secrets)) expect({ role, what, leaked: all.includes(secret) }).toEqual({ role, what, leaked: false });
        expect(all).toContain(`${secrets.gdPhone.slice(0, 3)}****${secrets.gdPhone.slice(-4)}`);
      }
    }

    // Without a login every endpoint is 401.
    for (const c of [
      { method: 'GET', url: '/api/customers' },
      { method: 'POST', url: '/api/customers', payload: { name: 'x' } },
      { method: 'GET', url: `/api/customers/${gd.id}` },
      { method: 'PATCH', url: `/api/customers/${gd.id}`, payload: { version: 1 } },
      { method: 'GET', url: `/api/customers/${gd.id}/contacts` },
      { method: 'POST', url: `/api/customers/${gd.id}/contacts`, payload: {} },
      { method: 'GET', url: `/api/customers/${gd.id}/timeline` },
      { method: 'POST', url: `/api/customers/${gd.id}/reveal` },
      { method: 'GET', url: '/api/custom-fields' },
    ] as Call[]) {
      expect((await app.inject({ method: c.method, url: c.url, payload: c.payload as object | undefined })).statusCode).toBe(401);
    }
    await app.close();
  });

  it('answers 400 with field paths for invalid bodies and custom fields, in the caller language', async () => {
    const { db, database } = get();
    const org = await seedOrg(db, 'Http400');
    const app: App = await buildApp({ database, config, log: pino({ level: 'silent' }), webDir: null });
    const token = (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: org.emails.admin, password: org.password } })).json().token as string;
    const headers = { authorization: `Bearer ${token}`, 'accept-language': 'en' };
    const field = await app.inject({ method: 'POST', url: '/api/custom-fields', headers, payload: { key: 'level', labelZh: '等级', labelEn: 'Level', type: 'select', options: ['gold'] } });
    expect(field.statusCode).toBe(201);
    const bad = await app.inject({ method: 'POST', url: '/api/customers', headers, payload: { name: '', phones: ['12'], custom: {} } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields.map((f: { path: string }) => f.path).sort()).toEqual(['body.name', 'body.phones.0']);
    const badCustom = await app.inject({ method: 'POST', url: '/api/customers', headers, payload: { name: '客户', custom: { level: 'iron' } } });
    expect(badCustom.statusCode).toBe(400);
    expect(badCustom.json()).toMatchObject({ code: 'invalid', message: 'Some fields are invalid', fields: [{ path: 'custom.level', code: 'invalid_option' }] });
    const created = await app.inject({ method: 'POST', url: '/api/customers', headers, payload: { name: '客户', custom: { level: 'gold' } } });
    expect(created.statusCode).toBe(201);
    const timeline = await app.inject({ method: 'GET', url: `/api/customers/${created.json().id}/timeline`, headers });
    expect(timeline.json().items.map((i: { summary: string }) => i.summary)).toEqual(['Created the customer file']);
    const badCursor = await app.inject({ method: 'GET', url: '/api/customers?cursor=garbage', headers });
    expect(badCursor.statusCode).toBe(400);
    const badFilter = await app.inject({ method: 'GET', url: '/api/customers?custom=notjson', headers });
    expect(badFilter.statusCode).toBe(400);
    await app.close();
  });
});

describeDb('customers: OpenAPI', (get) => {
  it('documents every customer route', async () => {
    const app: App = await buildApp({ database: get().database, config, log: pino({ level: 'silent' }), webDir: null });
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = res.json().paths as Record<string, Record<string, unknown>>;
    expect(Object.keys(paths['/api/customers']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(paths['/api/customers/{id}']).sort()).toEqual(['get', 'patch']);
    expect(Object.keys(paths['/api/customers/{id}/contacts']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(paths['/api/customers/{id}/timeline'])).toEqual(['get']);
    expect(Object.keys(paths['/api/customers/{id}/reveal'])).toEqual(['post']);
    expect(Object.keys(paths['/api/custom-fields']).sort()).toEqual(['get', 'post']);
    await app.close();
  });
});
