// Agents' scheduling preferences over HTTP: an agent reads and edits their own (403 for a colleague's), a
// planner anyone's; 400 with the failing fields (unknown shift, preferred and unwanted at once, a weekday out of
// range), 409 on a stale version. And one agent's adherence timeline: scheduled work and break beside the states.
import pino from 'pino';
import { expect, it } from 'vitest';
import { describeDb } from '../db/test-harness.ts';
import { buildApp } from '../http/app.ts';
import { recordAgentStates } from '../contact-center/agents.ts';
import { seedCc } from '../contact-center/test-setup.ts';
import { newId } from '../platform/ids.ts';
import { createShiftTemplate } from './shift-templates.ts';
import { wfmRosters, wfmRosterShifts } from './tables.ts';

const config = { sessionHours: 12, maxUploadBytes: 64 * 1024, loginRatePerMinute: 100, cookieSecure: false };

describeDb('wfm agent preferences and adherence timeline', (get) => {
  it('own preferences: 400 field errors, 409 stale version, 403 for a colleague; the timeline of one agent-day', async () => {
    const { db, database } = get();
    const f = await seedCc(db, 'WfmPrefs');
    await createShiftTemplate(f.ctx.supervisor, { name: '早班', kind: 'standard', lengthMinutes: 480, cost: 8 });
    const app = await buildApp({ database, config, log: pino({ level: 'silent' }), webDir: null });
    try {
      const login = async (email: string) => (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: f.password } })).json().token as string;
      const agent = await login(f.emails.agent);
      const sup = await login(f.emails.supervisor);
      const call = (token: string, method: 'GET' | 'PUT', url: string, payload?: object) =>
        app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
      const mine = `/api/wfm/agents/${f.agent1001}/preferences`;

      const empty = await call(agent, 'GET', mine);
      expect(empty.statusCode).toBe(200);
      expect(empty.json()).toMatchObject({ agentId: f.agent1001, version: 0, preferredShifts: [], options: { kinds: expect.arrayContaining(['happy_hour', 'family']), templates: [{ name: '早班', kind: 'standard' }] } });
      expect((await call(agent, 'GET', `/api/wfm/agents/${f.agent2001}/preferences`)).statusCode).toBe(403);
      expect((await call(agent, 'PUT', `/api/wfm/agents/${f.agent2001}/preferences`, { version: 0 })).statusCode).toBe(403);

      const bad = await call(agent, 'PUT', mine, { version: 0, preferredShifts: ['family', '夜宵班'], unwantedShifts: ['family'] });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().fields.map((x: { path: string; code: string }) => `${x.path}:${x.code}`)).toEqual(['preferredShifts.1:unknown_shift', 'unwantedShifts.0:preferred_and_unwanted']);
      const badDay = await call(agent, 'PUT', mine, { version: 0, preferredWeekdaysOff: [7] });
      expect(badDay.statusCode).toBe(400);
      expect(badDay.json().fields.map((x: { path: string }) => x.path)).toContain('body.preferredWeekdaysOff.0');

      const saved = await call(agent, 'PUT', mine, { version: 0, preferredShifts: ['family', 'happy_hour'], unwantedShifts: ['早班'], preferredWeekdaysOff: [6, 5], maxHoursPerWeek: 30 });
      expect(saved.statusCode).toBe(200);
      expect(saved.json()).toMatchObject({ version: 1, preferredShifts: ['family', 'happy_hour'], unwantedShifts: ['早班'], preferredWeekdaysOff: [5, 6], maxHoursPerWeek: 30 });
      expect((await call(agent, 'PUT', mine, { version: 0, preferredShifts: ['night'] })).statusCode).toBe(409);
      // The planner edits it on the agent's behalf, from the version they read.
      const byPlanner = await call(sup, 'PUT', mine, { version: 1, preferredShifts: ['family'], preferredWeekdaysOff: [6] });
      expect(byPlanner.json()).toMatchObject({ version: 2, preferredShifts: ['family'], unwantedShifts: [], maxHoursPerWeek: null });
      expect((await call(agent, 'PUT', mine, { version: 1, note: 'stale' })).statusCode).toBe(409);
      expect((await call(agent, 'GET', mine)).json()).toMatchObject({ version: 2, preferredWeekdaysOff: [6] });

      // Adherence timeline: 09:00–17:00 with a break 12:00–12:30 (Shanghai); in at 09:00, break 12:00, back 12:30,
      // out at 17:00 → 100%.
      const rosterId = newId();
      await db.insert(wfmRosters).values({ id: rosterId, orgId: f.orgId, shiftPlanId: newId(), status: 'optimal', startDate: '2026-03-02', days: 7, problem: { shifts: [], agents: [] } });
      const t = (hm: string) => new Date(`2026-03-02T${hm}:00+08:00`);
      await db.insert(wfmRosterShifts).values({ id: newId(), orgId: f.orgId, rosterId, agentId: f.agent1001, day: 0, shiftId: 'e@09:00', startsAt: t('09:00'), endsAt: t('17:00'), breakStartsAt: t('12:00'), breakEndsAt: t('12:30') });
      await recordAgentStates(f.ctx.admin, { events: [
        { agent: '1001', state: 'available', at: t('09:00').toISOString() },
        { agent: '1001', state: 'break', at: t('12:00').toISOString() },
        { agent: '1001', state: 'on_call', at: t('12:30').toISOString() },
        { agent: '1001', state: 'offline', at: t('17:00').toISOString() },
      ] });
      f.set('2026-03-03T00:00:00+08:00');
      const tl = await call(sup, 'GET', `/api/wfm/rosters/${rosterId}/adherence/timeline?agentId=${f.agent1001}&date=2026-03-02`);
      expect(tl.statusCode).toBe(200);
      expect(tl.json()).toMatchObject({
        schedule: [
          { activity: 'work', from: t('09:00').toISOString(), to: t('12:00').toISOString() },
          { activity: 'break', from: t('12:00').toISOString(), to: t('12:30').toISOString() },
          { activity: 'work', from: t('12:30').toISOString(), to: t('17:00').toISOString() },
        ],
        states: [
          { state: 'available', from: t('09:00').toISOString(), to: t('12:00').toISOString() },
          { state: 'break', from: t('12:00').toISOString(), to: t('12:30').toISOString() },
          { state: 'on_call', from: t('12:30').toISOString(), to: t('17:00').toISOString() },
          { state: 'offline', from: t('17:00').toISOString(), to: t('18:00').toISOString() },
        ],
        scheduledSeconds: 8 * 3600, inAdherenceSeconds: 8 * 3600, adherence: 1,
      });
      expect((await call(agent, 'GET', `/api/wfm/rosters/${rosterId}/adherence/timeline?agentId=${f.agent1001}&date=2026-03-02`)).statusCode).toBe(403);
    } finally {
      await app.close();
    }
  }, 120_000);
});
