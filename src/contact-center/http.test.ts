// The contact center over HTTP: 400 with field errors, 409 on stale versions (queue, IVR), 403 by role,
// CTI ingestion with an API token, IVR versions kept, and the wallboard stream read over a real socket.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { expect, it } from 'vitest';
import { describeDb } from '../db/test-harness.ts';
import { buildApp } from '../http/app.ts';
import { ev, seedCc } from './test-setup.ts';

const config = { sessionHours: 12, maxUploadBytes: 64 * 1024, loginRatePerMinute: 100, cookieSecure: false };

/** Reads server-sent events from a real HTTP request until `count` events arrived. */
function readEvents(url: string, token: string, count: number, onOpen: () => void): Promise<{ status: number; type: string | undefined; events: { event: string; data: unknown }[] }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      let buf = '';
      const events: { event: string; data: unknown }[] = [];
      onOpen();
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
          const data = /^data: (.*)$/m.exec(block)?.[1];
          events.push({ event, data: data ? JSON.parse(data) : null });
          if (events.length >= count) {
            req.destroy();
            resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], events });
          }
        }
      });
      res.on('error', reject);
    });
    req.on('error', (err) => (err.message.includes('socket hang up') ? undefined : reject(err)));
    setTimeout(() => reject(new Error('no events')), 15_000);
  });
}

describeDb('contact center HTTP', (get) => {
  it('queues, agents, IVR and ingestion: 201, 400, 403, 409 and the versions kept', async () => {
    const { db, database } = get();
    const f = await seedCc(db, 'CcHttp');
    const app = await buildApp({ database, config, log: pino({ level: 'silent' }), webDir: null });
    try {
      const login = async (email: string) => (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: f.password } })).json().token as string;
      const sup = await login(f.emails.supervisor);
      const agent = await login(f.emails.agent);
      const h = (token: string) => ({ authorization: `Bearer ${token}`, 'accept-language': 'en' });
      const P = '/api/contact-center';

      const bad = await app.inject({ method: 'POST', url: `${P}/queues`, headers: h(sup), payload: { key: 'has space', name: '', kind: 'nope', targetSeconds: -1 } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().fields.map((x: { path: string }) => x.path).sort()).toEqual(['body.key', 'body.kind', 'body.name', 'body.targetSeconds']);
      expect((await app.inject({ method: 'POST', url: `${P}/queues`, headers: h(agent), payload: { key: 'devices', name: '终端', kind: 'specialist' } })).statusCode).toBe(403);
      const created = await app.inject({ method: 'POST', url: `${P}/queues`, headers: h(sup), payload: { key: 'devices', name: '终端', kind: 'specialist', targetSeconds: 30 } });
      expect(created.statusCode).toBe(201);
      expect((await app.inject({ method: 'POST', url: `${P}/queues`, headers: h(sup), payload: { key: 'devices', name: 'again', kind: 'specialist' } })).statusCode).toBe(409);
      const id = created.json().id as string;
      const [p1, p2] = await Promise.all([
        app.inject({ method: 'PATCH', url: `${P}/queues/${id}`, headers: h(sup), payload: { version: 1, targetSeconds: 15 } }),
        app.inject({ method: 'PATCH', url: `${P}/queues/${id}`, headers: h(sup), payload: { version: 1, targetSeconds: 25 } }),
      ]);
      expect([p1.statusCode, p2.statusCode].sort()).toEqual([200, 409]);
      const stale = p1.statusCode === 409 ? p1 : p2;
      expect(stale.json().current.version).toBe(2);
      expect((await app.inject({ method: 'GET', url: `${P}/queues`, headers: h(agent) })).json().items).toHaveLength(3);

      // Agents: the agent sees only themself and may change only their own state.
      expect((await app.inject({ method: 'GET', url: `${P}/agents`, headers: h(agent) })).json().items.map((a: { extension: string }) => a.extension)).toEqual(['1001']);
      const mine = await app.inject({ method: 'POST', url: `${P}/agents/${f.agent1001}/state`, headers: h(agent), payload: { state: 'break', reason: '午餐' } });
      expect(mine.statusCode).toBe(200);
      expect(mine.json().state).toBe('break');
      expect((await app.inject({ method: 'POST', url: `${P}/agents/${f.agent2001}/state`, headers: h(agent), payload: { state: 'break' } })).statusCode).toBe(404);
      const badSkill = await app.inject({ method: 'POST', url: `${P}/agents`, headers: h(sup), payload: { extension: '3001', name: 'x', skills: [{ skillId: f.front, proficiency: 6 }] } });
      expect(badSkill.statusCode).toBe(400);
      expect(badSkill.json().fields[0].path).toBe('body.skills.0.proficiency');

      // IVR: invalid trees are 400 per problem; a stale base version is 409; old versions stay.
      const tree = { root: 'main', nodes: [
        { id: 'main', prompt: { zh: '欢迎致电，业务请按1，投诉请按2', en: 'Welcome: 1 services, 2 complaints' }, options: [
          { digit: '1', target: { type: 'menu', menu: 'biz' } }, { digit: '2', target: { type: 'queue', queue: 'complaints' } }] },
        { id: 'biz', prompt: { zh: '流量业务请按1', en: 'Data services: 1' }, options: [{ digit: '1', target: { type: 'queue', queue: 'front' } }, { digit: '*', target: { type: 'menu', menu: 'main' } }] },
      ] };
      const cyc = await app.inject({ method: 'POST', url: `${P}/ivr`, headers: h(sup), payload: { baseVersion: 0, tree } });
      expect(cyc.statusCode).toBe(400);
      // Field messages follow Accept-Language like the top-level one (en here).
      expect(cyc.json().message).toBe('The IVR menu is not valid');
      expect(cyc.json().fields).toEqual([{ path: 'tree.nodes.1.options.1.target', code: 'cycle', message: 'The menus form a cycle: main → biz → main' }]);
      tree.nodes[1].options[1] = { digit: '9', target: { type: 'queue', queue: 'nosuch' } };
      const dry = await app.inject({ method: 'POST', url: `${P}/ivr/validate`, headers: h(sup), payload: tree });
      expect(dry.json()).toEqual({ valid: false, errors: [{ path: 'tree.nodes.1.options.1.target', code: 'unknown_queue', message: 'The digit leads to the unknown queue nosuch' }] });
      tree.nodes[1].options[1] = { digit: '9', target: { type: 'queue', queue: 'devices' } };
      const v1 = await app.inject({ method: 'POST', url: `${P}/ivr`, headers: h(sup), payload: { baseVersion: 0, tree, note: 'first' } });
      expect(v1.statusCode).toBe(201);
      expect(v1.json().version).toBe(1);
      expect((await app.inject({ method: 'POST', url: `${P}/ivr`, headers: h(sup), payload: { baseVersion: 0, tree } })).statusCode).toBe(409);
      expect((await app.inject({ method: 'POST', url: `${P}/ivr`, headers: h(agent), payload: { baseVersion: 1, tree } })).statusCode).toBe(403);
      const v2 = await app.inject({ method: 'POST', url: `${P}/ivr`, headers: h(sup), payload: { baseVersion: 1, tree: { ...tree, nodes: [tree.nodes[0], { ...tree.nodes[1], prompt: { zh: '改', en: 'changed' } }] } } });
      expect(v2.json().version).toBe(2);
      expect((await app.inject({ method: 'GET', url: `${P}/ivr/versions`, headers: h(agent) })).json().items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
      expect((await app.inject({ method: 'GET', url: `${P}/ivr/versions/1`, headers: h(sup) })).json().tree.nodes[1].prompt.en).toBe('Data services: 1');
      expect((await app.inject({ method: 'GET', url: `${P}/ivr`, headers: h(sup) })).json().version).toBe(2);
      const audit = await app.inject({ method: 'GET', url: '/api/audit?action=cc_ivr.publish', headers: h(await login(f.emails.admin)) });
      expect(audit.json().items).toHaveLength(2);

      // CTI ingestion with an API token of an integration user (supervisor role); agents may not.
      const token = (await app.inject({ method: 'POST', url: '/api/auth/tokens', headers: h(sup), payload: { name: 'Asterisk' } })).json().token as string;
      const batch = { events: [ev('H1', 'offered', 0, { queue: 'front', phone: '13800000001' }), ev('H1', 'answered', 8, { queue: 'front', agent: '1001' })] };
      const r = await app.inject({ method: 'POST', url: `${P}/cti-events`, headers: h(token), payload: batch });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toEqual({ received: 2, accepted: 2, duplicates: 0, calls: 1 });
      expect((await app.inject({ method: 'POST', url: `${P}/cti-events`, headers: h(token), payload: batch })).json()).toEqual({ received: 2, accepted: 0, duplicates: 2, calls: 0 });
      expect((await app.inject({ method: 'POST', url: `${P}/cti-events`, headers: h(agent), payload: batch })).statusCode).toBe(403);
      const badEv = await app.inject({ method: 'POST', url: `${P}/cti-events`, headers: h(token), payload: { events: [{ ...batch.events[0], type: 'ringing' }] } });
      expect(badEv.statusCode).toBe(400);
      const calls = await app.inject({ method: 'GET', url: `${P}/calls`, headers: h(sup) });
      expect(calls.json().items[0]).toMatchObject({ callId: 'H1', waitSeconds: 8, customerId: f.gdCustomerId });
      expect((await app.inject({ method: 'GET', url: `${P}/calls`, headers: h(agent) })).json().items.map((c: { callId: string }) => c.callId)).toEqual(['H1']);
      // Agent states from the PBX by extension; KPIs over HTTP: 400 on a bad interval, 403 for an agent asking for queues.
      const states = await app.inject({ method: 'POST', url: `${P}/agent-states`, headers: h(token), payload: { events: [{ agent: '2001', state: 'available', at: new Date().toISOString() }, { agent: 'nobody', state: 'break', at: new Date().toISOString() }] } });
      expect(states.json()).toEqual({ received: 2, recorded: 1 });
      expect((await app.inject({ method: 'GET', url: `${P}/agents/${f.agent2001}`, headers: h(sup) })).json().state).toBe('available');
      const range = 'from=2026-03-02T00:00:00Z&to=2026-03-03T00:00:00Z';
      const badKpi = await app.inject({ method: 'GET', url: `${P}/kpis?${range}&intervalMinutes=20`, headers: h(sup) });
      expect(badKpi.statusCode).toBe(400);
      expect(badKpi.json().fields[0].path).toBe('querystring.intervalMinutes');
      expect((await app.inject({ method: 'GET', url: `${P}/kpis?${range}&groupBy=queue`, headers: h(agent) })).statusCode).toBe(403);
      const kpi = await app.inject({ method: 'GET', url: `${P}/kpis?${range}&groupBy=queue&source=raw`, headers: h(sup) });
      expect(kpi.statusCode).toBe(200);
      expect(kpi.json()).toMatchObject({ timezone: 'Asia/Shanghai', groupBy: 'queue', source: 'raw' });
      // Days (YYYY-MM-DD) are the organization's: 2 March in Shanghai, whatever the client's time zone.
      const byDay = await app.inject({ method: 'GET', url: `${P}/kpis?from=2026-03-02&to=2026-03-02&groupBy=day&source=raw`, headers: h(sup) });
      expect(byDay.json()).toMatchObject({ from: '2026-03-01T16:00:00.000Z', to: '2026-03-02T16:00:00.000Z', rows: [{ key: '2026-03-02', offered: 1 }] });
      expect((await app.inject({ method: 'GET', url: `${P}/kpis?from=2026-3-2&to=2026-03-02`, headers: h(sup) })).statusCode).toBe(400);
      const agg = await app.inject({ method: 'POST', url: `${P}/kpis/aggregate`, headers: h(sup), payload: { from: '2026-03-02', to: '2026-03-02' } });
      expect(agg.json()).toMatchObject({ from: '2026-03-01T16:00:00.000Z', to: '2026-03-02T16:00:00.000Z' });
      const cal = await app.inject({ method: 'GET', url: `${P}/calendar`, headers: h(agent) });
      expect(cal.json()).toMatchObject({ timezone: 'Asia/Shanghai', today: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
      // Settings: 409 on a stale version.
      expect((await app.inject({ method: 'PUT', url: `${P}/settings`, headers: h(sup), payload: { version: 0, fcrWindowHours: 48 } })).json()).toEqual({ fcrWindowHours: 48, version: 1 });
      expect((await app.inject({ method: 'PUT', url: `${P}/settings`, headers: h(sup), payload: { version: 0, fcrWindowHours: 72 } })).statusCode).toBe(409);
    } finally {
      await app.close();
    }
  });

  it('the wallboard streams queue state over server-sent events and pushes again on ingestion', async () => {
    const { db, database } = get();
    const f = await seedCc(db, 'CcWallboard');
    const app = await buildApp({ database, config, log: pino({ level: 'silent' }), webDir: null });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = app.server.address() as AddressInfo;
      const token = (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: f.emails.supervisor, password: f.password } })).json().token as string;
      const agentToken = (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: f.emails.agent, password: f.password } })).json().token as string;
      const denied = await app.inject({ method: 'GET', url: '/api/contact-center/wallboard/stream', headers: { authorization: `Bearer ${agentToken}` } });
      expect(denied.statusCode).toBe(403);
      const now = Date.now();
      const iso = (s: number) => new Date(now + s * 1000).toISOString();
      // Two calls waiting in front (one since 40 s), one answered today; agents: 1001 on a call.
      const events = [
        { eventId: 'w1', callId: 'W1', type: 'offered' as const, at: iso(-40), queue: 'front' },
        { eventId: 'w2', callId: 'W2', type: 'offered' as const, at: iso(-10), queue: 'front' },
        { eventId: 'w3', callId: 'W3', type: 'offered' as const, at: iso(-30), queue: 'front' },
        { eventId: 'w4', callId: 'W3', type: 'answered' as const, at: iso(-25), queue: 'front', agent: '1001' },
      ];
      await app.inject({ method: 'POST', url: '/api/contact-center/cti-events', headers: { authorization: `Bearer ${token}` }, payload: { events } });
      await app.inject({ method: 'POST', url: `/api/contact-center/agents/${f.agent1001}/state`, headers: { authorization: `Bearer ${token}` }, payload: { state: 'on_call' } });
      const url = `http://127.0.0.1:${port}/api/contact-center/wallboard/stream?intervalSeconds=60`;
      const got = await readEvents(url, token, 2, () => {
        // After the first snapshot, a new call arrives: the stream pushes at once (not after 60 s).
        setTimeout(() => {
          void app.inject({ method: 'POST', url: '/api/contact-center/cti-events', headers: { authorization: `Bearer ${token}` }, payload: { eventId: 'w5', callId: 'W5', type: 'offered', at: iso(0), queue: 'front' } });
        }, 300);
      });
      expect(got.status).toBe(200);
      expect(got.type).toMatch(/^text\/event-stream/);
      const [first, second] = got.events as { event: string; data: { queues: { key: string; waiting: number; longestWaitSeconds: number; offeredToday: number; answeredToday: number; serviceLevelToday: number }[]; agents: Record<string, number> } }[];
      expect(first.event).toBe('wallboard');
      const front = first.data.queues.find((q) => q.key === 'front')!;
      expect(front.waiting).toBe(2);
      expect(front.longestWaitSeconds).toBeGreaterThanOrEqual(40);
      expect(front.longestWaitSeconds).toBeLessThan(50);
      expect(front.answeredToday).toBe(1);
      expect(first.data.agents).toMatchObject({ on_call: 1, offline: 1 });
      expect(second.data.queues.find((q) => q.key === 'front')!.waiting).toBe(3);
    } finally {
      await app.close();
    }
  });
});
