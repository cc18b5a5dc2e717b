// The WFM planner over HTTP: 400 with field errors, 403 by role, 409 on a stale template version, a shift plan
// answered 202 'running' and finished by polling, the agent's own schedule (404 without a linked agent record
// for users who have none), a roster read back with its coverage per skill and its breaks, and the what-if simulation.
import pino from 'pino';
import { expect, it } from 'vitest';
import { describeDb } from '../db/test-harness.ts';
import { buildApp } from '../http/app.ts';
import { seedCc } from '../contact-center/test-setup.ts';
import { seedDemoWfm } from './demo/seed-wfm.ts';

const config = { sessionHours: 12, maxUploadBytes: 64 * 1024, loginRatePerMinute: 100, cookieSecure: false };

describeDb('wfm planner HTTP', (get) => {
  it('forecast → requirement → 202 shift plan polled to the end; 400/403/409; my schedule; what-if', async () => {
    const { db, database } = get();
    const f = await seedCc(db, 'WfmHttp');
    f.set('2026-03-30T00:00:00.000Z');
    await seedDemoWfm(f.ctx.supervisor, { days: 28, peakPer15Min: 4, minAgents: 0 });
    const app = await buildApp({ database, config, log: pino({ level: 'silent' }), webDir: null });
    try {
      const login = async (email: string) => (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: f.password } })).json().token as string;
      const sup = await login(f.emails.supervisor);
      const agent = await login(f.emails.agent);
      const call = (token: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
        app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });

      const series = await call(sup, 'GET', '/api/wfm/series');
      expect(series.statusCode).toBe(200);
      expect(series.json().items).toContainEqual(expect.objectContaining({ series: 'front', source: 'history', days: 28 }));
      const bad = await call(sup, 'POST', '/api/wfm/forecasts', { series: 'front', intervalMinutes: 20 });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().fields.map((x: { path: string }) => x.path)).toContain('body.intervalMinutes');
      expect((await call(agent, 'POST', '/api/wfm/forecasts', { series: 'front' })).statusCode).toBe(403);
      expect((await call(agent, 'GET', '/api/wfm/shift-templates')).statusCode).toBe(403);
      const poll = async (url: string) => {
        let body = (await call(sup, 'GET', url)).json();
        for (let i = 0; i < 240 && (body.status === 'queued' || body.status === 'running'); i++) {
          await new Promise((r) => setTimeout(r, 250));
          body = (await call(sup, 'GET', url)).json();
        }
        return body;
      };
      // Without a job runner (this app has none) the run happens in-process; a series without history fails.
      const tooShort = await call(sup, 'POST', '/api/wfm/forecasts', { series: 'nothing' });
      expect(tooShort.statusCode).toBe(202);
      expect(await poll(`/api/wfm/forecasts/${tooShort.json().id}`)).toMatchObject({ status: 'failed', error: expect.stringMatching(/21/) });

      const fc = await call(sup, 'POST', '/api/wfm/forecasts', { series: 'front', intervalMinutes: 60, horizonDays: 7, holdoutDays: 7 });
      expect(fc.statusCode).toBe(202);
      // A requirement needs a finished forecast.
      const early = await call(sup, 'POST', '/api/wfm/requirements', { forecastId: fc.json().id });
      expect(early.statusCode).toBe(400);
      expect(await poll(`/api/wfm/forecasts/${fc.json().id}`)).toMatchObject({ status: 'done', progress: 1 });
      const req = await call(sup, 'POST', '/api/wfm/requirements', { forecastId: fc.json().id });
      expect(req.statusCode).toBe(201);
      const templates = (await call(sup, 'GET', '/api/wfm/shift-templates')).json().items as { id: string; version: number }[];
      expect(templates).toHaveLength(4);
      const upd = await call(sup, 'PATCH', `/api/wfm/shift-templates/${templates[0].id}`, { version: templates[0].version + 1, cost: 3 });
      expect(upd.statusCode).toBe(409);

      const started = await call(sup, 'POST', '/api/wfm/shift-plans', { requirementId: req.json().id, timeLimitSeconds: 20 });
      expect(started.statusCode).toBe(202);
      expect(started.json().status).toBe('queued');
      let plan = started.json();
      for (let i = 0; i < 120 && (plan.status === 'queued' || plan.status === 'running'); i++) {
        await new Promise((r) => setTimeout(r, 500));
        plan = (await call(sup, 'GET', `/api/wfm/shift-plans/${plan.id}`)).json();
      }
      expect(['optimal', 'feasible']).toContain(plan.status);
      expect(plan.gap).toBeLessThanOrEqual(0.01 + 1e-9);

      // The roster: other queues' requirements are named by id (400 with the failing field), and the roster
      // read back carries its per-skill coverage, each shift's skill plan and its scheduled break.
      expect((await call(sup, 'GET', '/api/wfm/requirements')).json().items).toContainEqual(expect.objectContaining({ id: req.json().id, series: 'front', intervalMinutes: 60, dates: req.json().dates }));
      const badIds = await call(sup, 'POST', '/api/wfm/rosters', { shiftPlanId: plan.id, requirementIds: ['nope'] });
      expect(badIds.statusCode).toBe(400);
      expect(badIds.json().fields.map((x: { path: string }) => x.path)).toContain('body.requirementIds.0');
      const unknownReq = await call(sup, 'POST', '/api/wfm/rosters', { shiftPlanId: plan.id, requirementIds: [fc.json().id] });
      expect(unknownReq.statusCode).toBe(400);
      expect(unknownReq.json().fields).toMatchObject([{ path: 'requirementIds.0', code: 'not_found' }]);
      const rosterRun = await call(sup, 'POST', '/api/wfm/rosters', { shiftPlanId: plan.id, timeLimitSeconds: 20 });
      expect(rosterRun.statusCode).toBe(202);
      const roster = await poll(`/api/wfm/rosters/${rosterRun.json().id}`);
      expect(['optimal', 'feasible']).toContain(roster.status);
      expect(roster.demandMode).toBe('interval');
      expect(roster.skillCoverage).toMatchObject([{ skill: 'general', skillName: '综合' }]);
      const standard = (roster.shifts as { shiftId: string; breakStartsAt: string | null; skills?: { skill: string | null }[] }[]).filter((x) => x.shiftId.startsWith('早班') || x.shiftId.startsWith('中班'));
      expect(standard.length).toBeGreaterThan(0);
      for (const x of standard) {
        expect(x.breakStartsAt).toEqual(expect.any(String));
        expect(x.skills!.every((g) => g.skill === 'general')).toBe(true);
      }

      const mine = await call(agent, 'GET', '/api/wfm/my-schedule');
      expect(mine.statusCode).toBe(200);
      expect(mine.json()).toMatchObject({ agentId: f.agent1001, shifts: [] });

      const whatIf = await call(sup, 'POST', '/api/wfm/what-if', { durationMinutes: 120, replications: 3, seed: 1, queues: [{ id: 'q', arrivalsPerHour: 60, ahtSeconds: 180, patienceSeconds: null, targetSeconds: 20 }], agents: [{ count: 5, skills: ['q'] }] });
      expect(whatIf.statusCode).toBe(200);
      expect(whatIf.json().queues[0].serviceLevelCi95).toHaveLength(2);
      expect(whatIf.json().queues[0].callbacks).toBeUndefined();
      // With callbacks offered from the first second of wait and always accepted, callers are called back instead of waiting.
      const cb = await call(sup, 'POST', '/api/wfm/what-if', { durationMinutes: 120, replications: 3, seed: 1, queues: [{ id: 'q', arrivalsPerHour: 60, ahtSeconds: 180, patienceSeconds: null, targetSeconds: 20, callback: { offerWhenExpectedWaitSeconds: 0, acceptProbability: 1 } }], agents: [{ count: 5, skills: ['q'] }] });
      expect(cb.statusCode).toBe(200);
      const cbq = cb.json().queues[0];
      expect(cbq.callbacks.accepted).toBeGreaterThan(0);
      expect(cbq.callbacks.accepted).toBe(cbq.callbacks.offered);
      expect(cbq.answered + cbq.abandoned + cbq.callbacks.accepted).toBeCloseTo(cbq.offered, 6);
    } finally {
      await app.close();
    }
  }, 180_000);
});
