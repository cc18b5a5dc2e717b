// The contact center endpoints the "my contact center" page (我的话务) uses, for every role over HTTP with
// real logins: an agent with only contact_center.read_own gets their own agent, state, KPIs, calls and
// schedule, and is refused everyone else's (403 for other agents' figures, 404 for other agents' records,
// which do not exist for them); customer managers get nothing.
import pino from 'pino';
import { expect, it } from 'vitest';
import { describeDb } from '../db/test-harness.ts';
import { buildApp } from '../http/app.ts';
import { roles, type Role } from '../platform/permissions.ts';
import { ingestCtiEvents } from './ingest-cti-events.ts';
import { ev, seedCc } from './test-setup.ts';

const config = { sessionHours: 12, maxUploadBytes: 64 * 1024, loginRatePerMinute: 100, cookieSecure: false };

/** What each role may do here, written out per role (not derived from the permission table under test). */
const access: Record<Role, 'all' | 'own' | 'none'> = { admin: 'all', supervisor: 'all', analyst: 'all', agent: 'own', customer_manager: 'none' };
const manages: Record<Role, boolean> = { admin: true, supervisor: true, analyst: false, agent: false, customer_manager: false };
const hasSchedule: Record<Role, boolean> = { admin: false, supervisor: false, analyst: false, agent: true, customer_manager: false };

describeDb('contact center: permission matrix of the own-figures endpoints', (get) => {
  it('every role gets exactly its scope; read_own never sees another agent\'s data', async () => {
    const { db, database } = get();
    const f = await seedCc(db, 'CcMatrix');
    const own = f.agent1001; // the agent user's agent record
    const other = f.agent2001;
    await ingestCtiEvents(f.ctx.admin, { events: [
      ev('M1', 'offered', 0, { queue: 'front' }), ev('M1', 'answered', 10, { queue: 'front', agent: '1001' }), ev('M1', 'ended', 70, { agent: '1001' }),
      ev('M2', 'offered', 100, { queue: 'front' }), ev('M2', 'answered', 110, { queue: 'front', agent: '2001' }), ev('M2', 'ended', 200, { agent: '2001' }),
      ev('M3', 'offered', 300, { queue: 'front' }), ev('M3', 'answered', 305, { queue: 'front', agent: '2001' }), ev('M3', 'ended', 400, { agent: '2001' }),
    ] });
    const app = await buildApp({ database, config, log: pino({ level: 'silent' }), webDir: null });
    try {
      const P = '/api/contact-center';
      const day = 'from=2026-03-02&to=2026-03-02&source=raw';
      for (const role of roles) {
        const token = (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: f.emails[role], password: f.password } })).json().token as string;
        const call = async (method: 'GET' | 'POST', url: string, expected: number, payload?: object) => {
          const res = await app.inject({ method, url, payload, headers: { authorization: `Bearer ${token}` } });
          expect({ role, call: `${method} ${url}`, status: res.statusCode }).toEqual({ role, call: `${method} ${url}`, status: expected });
          return res;
        };
        const a = access[role];
        const ok = a === 'none' ? 403 : 200;

        const agents = await call('GET', `${P}/agents`, ok);
        if (a !== 'none') expect(agents.json().items.map((x: { id: string }) => x.id).sort(), role).toEqual(a === 'own' ? [own] : [own, other].sort());
        await call('GET', `${P}/agents/${own}`, ok);
        await call('GET', `${P}/agents/${other}`, a === 'all' ? 200 : a === 'own' ? 404 : 403);
        await call('GET', `${P}/agents/${own}/states`, ok);
        await call('GET', `${P}/agents/${other}/states`, a === 'all' ? 200 : a === 'own' ? 404 : 403);
        await call('POST', `${P}/agents/${own}/state`, manages[role] || a === 'own' ? 200 : 403, { state: 'available' });
        await call('POST', `${P}/agents/${other}/state`, manages[role] ? 200 : a === 'own' ? 404 : 403, { state: 'available' });
        await call('GET', `${P}/calendar`, ok);

        // KPIs: an agent's request is narrowed to their own agent; asking for others, teams or queues is 403.
        const kpiAgents = await call('GET', `${P}/kpis?${day}&groupBy=agent`, ok);
        if (a !== 'none') {
          const rows = kpiAgents.json().rows.map((r: { key: string; answered: number }) => [r.key, r.answered]).sort();
          expect(rows, role).toEqual(a === 'own' ? [[own, 1]] : [[own, 1], [other, 2]].sort());
        }
        const kpiDay = await call('GET', `${P}/kpis?${day}&groupBy=day`, ok);
        if (a !== 'none') expect(kpiDay.json().total.answered, role).toBe(a === 'own' ? 1 : 3);
        await call('GET', `${P}/kpis?${day}&groupBy=agent&agentId=${other}`, a === 'all' ? 200 : 403);
        await call('GET', `${P}/kpis?${day}&groupBy=agent&agentId=${own}`, ok);
        await call('GET', `${P}/kpis?${day}&groupBy=team`, a === 'all' ? 200 : 403);
        await call('GET', `${P}/kpis?${day}&groupBy=interval&teamId=${f.teamA}`, a === 'all' ? 200 : 403);
        await call('GET', `${P}/kpis?${day}&groupBy=queue`, a === 'all' ? 200 : 403);
        await call('GET', `${P}/wallboard`, a === 'all' ? 200 : 403);

        // Calls: an agent's list holds their own calls only, even when asking for another agent's.
        const calls = await call('GET', `${P}/calls`, ok);
        if (a !== 'none') expect(calls.json().items.map((c: { callId: string }) => c.callId).sort(), role).toEqual(a === 'own' ? ['M1'] : ['M1', 'M2', 'M3']);
        const otherCalls = await call('GET', `${P}/calls?agentId=${other}`, ok);
        if (a !== 'none') expect(otherCalls.json().items.length, role).toBe(a === 'own' ? 0 : 2);

        // The own schedule (WFM) exists for users who are agents; no one reads another's through it.
        await call('GET', '/api/wfm/my-schedule', hasSchedule[role] ? 200 : role === 'agent' || role === 'supervisor' || role === 'admin' ? 404 : 403);
      }
    } finally {
      await app.close();
    }
  });
});
