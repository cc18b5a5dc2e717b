// The service desk over HTTP: concurrent PATCH (one 200, one 409 with the current order), idempotent
// POST under concurrency, invalid transitions, views, callbacks, permissions and other-org 404.
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { expect, it } from 'vitest';
import { describeDb } from '../db/test-harness.ts';
import { seedOrg } from '../db/test-fixtures.ts';
import { buildApp } from '../http/app.ts';
import { serviceOrders } from './tables.ts';
import { seedService } from './test-setup.ts';

const config = { sessionHours: 12, maxUploadBytes: 64 * 1024, loginRatePerMinute: 100, cookieSecure: false };

describeDb('service desk HTTP', (get) => {
  it('two people PATCH the same order: one 200, one 409 with the current state; Idempotency-Key creates once', async () => {
    const { db, database } = get();
    const f = await seedService(db, 'Http');
    const other = await seedOrg(db, 'HttpOther');
    const app = await buildApp({ database, config, log: pino({ level: 'silent' }), webDir: null });
    try {
      const login = async (email: string, password = f.password) =>
        (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } })).json().token as string;
      const agent = await login(f.emails.agent);
      const supervisor = await login(f.emails.supervisor);
      const analyst = await login(f.emails.analyst);
      const otherAdmin = await login(other.emails.admin, other.password);
      const h = (token: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, ...extra });

      await app.inject({ method: 'POST', url: '/api/sla-policies', headers: h(supervisor), payload: { name: '标准', firstResponseMinutes: 60, resolutionMinutes: 240, calendar: '24x7' } });
      const body = { type: 'repair', customerId: f.gdCustomerId, title: '电视黑屏', assigneeUserId: f.userIds.agent };
      const [c1, c2] = await Promise.all([
        app.inject({ method: 'POST', url: '/api/service-orders', headers: h(agent, { 'idempotency-key': 'req-42' }), payload: body }),
        app.inject({ method: 'POST', url: '/api/service-orders', headers: h(agent, { 'idempotency-key': 'req-42' }), payload: body }),
      ]);
      expect([c1.statusCode, c2.statusCode]).toEqual([201, 201]);
      expect(c2.json().id).toBe(c1.json().id);
      expect((await db.select().from(serviceOrders).where(eq(serviceOrders.orgId, f.orgId))).length).toBe(1);
      const reused = await app.inject({ method: 'POST', url: '/api/service-orders', headers: h(agent, { 'idempotency-key': 'req-42', 'accept-language': 'en' }), payload: { ...body, title: '别的' } });
      expect(reused.statusCode).toBe(409);
      expect(reused.json().message).toBe('This Idempotency-Key was already used for a different request');

      const id = c1.json().id as string;
      const [p1, p2] = await Promise.all([
        app.inject({ method: 'PATCH', url: `/api/service-orders/${id}`, headers: h(agent), payload: { version: 1, priority: 'high' } }),
        app.inject({ method: 'PATCH', url: `/api/service-orders/${id}`, headers: h(supervisor), payload: { version: 1, description: '客户补充：有异响' } }),
      ]);
      const codes = [p1.statusCode, p2.statusCode].sort();
      expect(codes).toEqual([200, 409]);
      const loser = p1.statusCode === 409 ? p1 : p2;
      const winner = p1.statusCode === 200 ? p1 : p2;
      expect(loser.json()).toMatchObject({ code: 'conflict', current: { id, version: 2 } });
      expect(loser.json().current).toEqual(winner.json());

      const bad = await app.inject({ method: 'POST', url: `/api/service-orders/${id}/transitions`, headers: h(agent, { 'accept-language': 'en' }), payload: { to: 'closed', version: 2 } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({
        code: 'invalid',
        message: 'A service order cannot go from "assigned" to "closed"; allowed: in_progress, waiting_on_customer, resolved',
        fields: [{ path: 'to', code: 'invalid_transition' }],
        current: { status: 'assigned', allowedTransitions: ['in_progress', 'waiting_on_customer', 'resolved'] },
      });
      const moved = await app.inject({ method: 'POST', url: `/api/service-orders/${id}/transitions`, headers: h(agent), payload: { to: 'resolved', version: 2, resolution: '更换电源板' } });
      expect(moved.statusCode).toBe(200);
      expect(moved.json()).toMatchObject({ status: 'resolved', version: 3 });

      const mine = await app.inject({ method: 'GET', url: '/api/service-orders?view=mine', headers: h(agent) });
      expect(mine.json().items).toEqual([]);
      const resolved = await app.inject({ method: 'GET', url: '/api/service-orders?status=resolved,closed&priority=high,urgent', headers: h(analyst) });
      expect(resolved.statusCode).toBe(200);
      expect(resolved.json().items.map((o: { id: string }) => o.id)).toEqual(p1.statusCode === 200 ? [id] : []);
      expect((await app.inject({ method: 'GET', url: '/api/service-orders?view=nope', headers: h(agent) })).statusCode).toBe(400);

      const cbs = await app.inject({ method: 'GET', url: '/api/callbacks', headers: h(agent) });
      expect(cbs.json().items.length).toBe(1);
      const cbId = cbs.json().items[0].id as string;
      const outcome = await app.inject({ method: 'POST', url: `/api/callbacks/${cbId}/outcome`, headers: h(agent), payload: { outcome: 'satisfied', satisfaction: 4 } });
      expect(outcome.json()).toMatchObject({ status: 'done', outcome: 'satisfied' });
      const closed = await app.inject({ method: 'GET', url: `/api/service-orders/${id}`, headers: h(agent) });
      expect(closed.json()).toMatchObject({ status: 'closed', satisfaction: 4, customerConfirmed: true });

      // Analysts read but do not write; another organization sees nothing.
      expect((await app.inject({ method: 'POST', url: '/api/service-orders', headers: h(analyst), payload: body })).statusCode).toBe(403);
      expect((await app.inject({ method: 'GET', url: `/api/service-orders/${id}`, headers: h(otherAdmin) })).statusCode).toBe(404);
      expect((await app.inject({ method: 'PATCH', url: `/api/service-orders/${id}`, headers: h(otherAdmin), payload: { version: 4, title: 'x' } })).statusCode).toBe(404);
      expect((await app.inject({ method: 'POST', url: `/api/callbacks/${cbId}/outcome`, headers: h(otherAdmin), payload: { outcome: 'reopen' } })).statusCode).toBe(404);

      const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
      for (const p of ['/api/service-orders', '/api/service-orders/{id}', '/api/service-orders/{id}/transitions', '/api/callbacks', '/api/callbacks/{id}/outcome']) {
        expect(Object.keys(doc.paths)).toContain(p);
      }
    } finally {
      await app.close();
    }
  });
});
