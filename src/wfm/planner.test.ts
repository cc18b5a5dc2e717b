// The WFM planner end to end on PGlite (and PostgreSQL with TEST_DATABASE_URL): history import and its SQL
// aggregation against the file parser, forecast → requirement → shift plan → roster, adherence against a hand
// computation, swaps re-checked by the roster rules, permissions and stale versions.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { describeDb } from '../db/test-harness.ts';
import { createAgent, recordAgentStates } from '../contact-center/agents.ts';
import { seedCc } from '../contact-center/test-setup.ts';
import { newId } from '../platform/ids.ts';
import { rosterAdherence } from './adherence.ts';
import { parseBankCalls } from './bank-calls.ts';
import { seedDemoWfm } from './demo/seed-wfm.ts';
import { createForecast } from './forecasts.ts';
import { importHistory, loadSeries } from './history.ts';
import { aggregateSeries } from './model/forecast.ts';
import { offeredLoad, erlangC } from './model/erlang.ts';
import { createRequirement } from './requirements.ts';
import { createRoster } from './rosters.ts';
import { createShiftPlan } from './shift-plans.ts';
import { createShiftTemplate, listShiftTemplates, updateShiftTemplate } from './shift-templates.ts';
import { createSwapRequest, decideSwapRequest, mySchedule } from './swaps.ts';
import { runWhatIf } from './what-if.ts';
import { wfmRosters, wfmRosterShifts } from './tables.ts';

function sharedData(): string | null {
  for (const d of [process.env.KEFU_SHARED_DATA, path.resolve(import.meta.dirname, '../../../shared/data'), '/work/shared/data']) {
    if (d && fs.existsSync(path.join(d, 'bank_calls.csv'))) return d;
  }
  return null;
}

describeDb('wfm planner', (get) => {
  it('imports bank-calls history; the SQL day × interval grid equals the file aggregated in memory', async () => {
    const dir = sharedData();
    if (!dir) return;
    const { db } = get();
    const f = await seedCc(db, 'WfmHist');
    // Six weeks of the bank's 5-minute arrivals.
    const text = fs.readFileSync(path.join(dir, 'bank_calls.csv'), 'utf8').split('\n').slice(0, 1 + 169 * 30).join('\n');
    const r = await importHistory(f.ctx.supervisor, { series: 'bank', content: text });
    expect(r).toEqual({ series: 'bank', days: 30, intervals: 169 * 30 });
    const loaded = await loadSeries(f.ctx.supervisor, 'bank', 'history', 30);
    const expected = aggregateSeries(parseBankCalls(text), 5);
    expect(loaded.calls.days.map((d) => d.date)).toEqual(expected.days.map((d) => d.date));
    // 07:00 is slot 14 of 30-minute slots (the file starts each day at 07:00); its first six 5-minute intervals fall in it.
    for (const [i, day] of expected.days.entries()) {
      const want = day.values.slice(0, 6).reduce((a, b) => a + b, 0);
      expect(loaded.calls.days[i].values[14]).toBe(want);
      expect(loaded.calls.days[i].values.reduce((a, b) => a + b, 0)).toBe(day.values.reduce((a, b) => a + b, 0));
    }
    await expect(importHistory(f.ctx.agent, { series: 'x', content: text })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(importHistory(f.ctx.supervisor, { series: 'x', content: 'a,b\n1,2' })).rejects.toMatchObject({ code: 'invalid' });
  });

  it('forecast → Erlang requirement → shift plan (HiGHS in a worker) → roster of a week', async () => {
    const { db } = get();
    const f = await seedCc(db, 'WfmFlow');
    f.set('2026-03-30T00:00:00.000Z'); // Monday 08:00 in Shanghai
    for (let i = 0; i < 8; i++) await createAgent(f.ctx.supervisor, { extension: `30${i}`, name: `坐席${i}` });
    const seeded = await seedDemoWfm(f.ctx.supervisor, { days: 35, peakPer15Min: 5, minAgents: 10 });
    expect(seeded).toEqual({ intervals: 35 * 56, templates: 4, agentsAdded: 0 });
    expect(await seedDemoWfm(f.ctx.supervisor, { days: 35, peakPer15Min: 5, minAgents: 11 })).toEqual({ intervals: 0, templates: 0, agentsAdded: 1 });
    await expect(createForecast(f.ctx.agent, { series: 'front' })).rejects.toMatchObject({ code: 'forbidden' });
    const run = await createForecast(f.ctx.supervisor, { series: 'front', intervalMinutes: 30, horizonDays: 7, holdoutDays: 7 });
    expect(run.forecast).toMatchObject({ status: 'queued', progress: 0, mean: [] });
    const fc = await run.done;
    expect(fc).toMatchObject({ status: 'done', progress: 1, error: null });
    expect(fc.dates).toEqual(['2026-03-30', '2026-03-31', '2026-04-01', '2026-04-02', '2026-04-03', '2026-04-04', '2026-04-05']);
    expect(fc.mean[0]).toHaveLength(48);
    expect(fc.accuracy!.mape).toBeLessThan(fc.baseline!.mape); // beats the weekly seasonal naive on the held-out week
    for (const [i, row] of fc.mean.entries()) row.forEach((m, j) => { expect(fc.lower[i][j]).toBeLessThanOrEqual(Math.ceil(m)); expect(fc.upper[i][j]).toBeGreaterThanOrEqual(Math.floor(m)); });
    const req = await createRequirement(f.ctx.supervisor, { forecastId: fc.id, target: { targetSeconds: 20, serviceLevel: 0.8, shrinkage: 0.25 } });
    // Independent check of one busy interval: the requirement is the least N with SL ≥ 80% by the Erlang C formula.
    const [d, j] = [0, 21];
    const a = offeredLoad(fc.mean[d][j], 30, fc.ahtSeconds[d][j]);
    const sl = (n: number) => 1 - erlangC(n, a) * Math.exp(-(n - a) * 20 / fc.ahtSeconds[d][j]);
    const n = req.agents[d][j];
    expect(n).toBeGreaterThan(a);
    expect(sl(n)).toBeGreaterThanOrEqual(0.8);
    if (n - 1 > a) expect(sl(n - 1)).toBeLessThan(0.8);
    expect(req.scheduled[d][j]).toBe(Math.ceil(n / 0.75 - 1e-9));
    expect(req.scheduled[0][2]).toBe(0); // 01:00, closed

    const { plan, done } = await createShiftPlan(f.ctx.supervisor, { requirementId: req.id, timeLimitSeconds: 20 });
    expect(plan.status).toBe('queued');
    const solved = await done;
    expect(['optimal', 'feasible']).toContain(solved.status);
    solved.coverage.forEach((c, i) => expect(c).toBeGreaterThanOrEqual(solved.requirements[i]));
    expect(solved.cost!).toBeGreaterThanOrEqual(solved.lowerBound! - 1e-6);
    expect(solved.assignments.reduce((s, x) => s + x.count, 0)).toBe(solved.shiftsUsed);

    const { roster, done: rosterDone } = await createRoster(f.ctx.supervisor, { shiftPlanId: solved.id, timeLimitSeconds: 20 });
    expect(roster.status).toBe('queued');
    const r = await rosterDone;
    expect(['optimal', 'feasible']).toContain(r.status);
    expect(r.violations).toEqual([]);
    expect(r.agents).toHaveLength(11);
    expect(r.shifts.length).toBeGreaterThan(0);
    // Every stored shift starts at its shift type's local time on its day (Asia/Shanghai, UTC+8).
    const types = new Map(r.shiftTypes.map((t) => [t.id, t]));
    for (const s of r.shifts) {
      const t = types.get(s.shiftId)!;
      expect(Date.parse(s.startsAt)).toBe(Date.parse('2026-03-30T00:00:00+08:00') + s.day * 86_400_000 + t.startMinute * 60_000);
      expect(Date.parse(s.endsAt) - Date.parse(s.startsAt)).toBe(t.lengthMinutes * 60_000);
    }
    const perAgentDay = new Set(r.shifts.map((s) => `${s.agentId}|${s.day}`));
    expect(perAgentDay.size).toBe(r.shifts.length);
    // Breaks: the demo's 8-hour templates have a 30-minute break starting 3–5 h into the shift (the plan placed
    // it); the short happy-hour and family shifts have none.
    const withBreak = r.shifts.filter((s) => s.breakStartsAt);
    expect(withBreak.length).toBeGreaterThan(0);
    for (const s of r.shifts) {
      const kind = types.get(s.shiftId)!.kind;
      if (kind !== 'standard') { expect(s.breakStartsAt).toBeNull(); continue; }
      const offset = (Date.parse(s.breakStartsAt!) - Date.parse(s.startsAt)) / 60_000;
      expect(offset).toBeGreaterThanOrEqual(180);
      expect(offset).toBeLessThanOrEqual(300);
      expect((Date.parse(s.breakEndsAt!) - Date.parse(s.breakStartsAt!)) / 60_000).toBe(30);
    }
  }, 120_000);

  it('adherence per agent and day equals a hand computation; swaps are re-checked by the roster rules', async () => {
    const { db } = get();
    const f = await seedCc(db, 'WfmAdh');
    const orgId = f.orgId;
    const shifts = [{ id: 'e@09:00', startMinute: 540, lengthMinutes: 480 }, { id: 'l@14:00', startMinute: 840, lengthMinutes: 480 }];
    const problem = {
      days: 7, startWeekday: 0, shifts,
      agents: [{ id: f.agent1001, name: '坐席一' }, { id: f.agent2001, name: '投诉专员' }],
      rules: { maxHoursPerWeek: 40, minRestHours: 12, maxConsecutiveDays: 6, minDaysOffPerWeek: 2 }, demand: [],
    };
    const rosterId = newId();
    await db.insert(wfmRosters).values({ id: rosterId, orgId, shiftPlanId: newId(), status: 'optimal', startDate: '2026-03-02', days: 7, problem });
    const shift = (agentId: string, day: number, s: (typeof shifts)[number]) => {
      const start = Date.parse('2026-03-02T00:00:00+08:00') + day * 86_400_000 + s.startMinute * 60_000;
      return { id: newId(), orgId, rosterId, agentId, day, shiftId: s.id, startsAt: new Date(start), endsAt: new Date(start + s.lengthMinutes * 60_000) };
    };
    // Agent 1001: early shifts Mon–Fri; agent 2001: late shifts Mon–Wed and Sat.
    const rowsA = [0, 1, 2, 3, 4].map((d) => shift(f.agent1001, d, shifts[0]));
    const rowsB = [0, 1, 2, 5].map((d) => shift(f.agent2001, d, shifts[1]));
    await db.insert(wfmRosterShifts).values([...rowsA, ...rowsB]);
    // Monday: 1001 logs in 08:50, break 12:00–12:30, offline at 16:30 → 8 h − 30 min − 30 min = 7 h in adherence of 8 h.
    await recordAgentStates(f.ctx.admin, { events: [
      { agent: '1001', state: 'available', at: '2026-03-02T00:50:00.000Z' },
      { agent: '1001', state: 'on_call', at: '2026-03-02T02:00:00.000Z' },
      { agent: '1001', state: 'break', at: '2026-03-02T04:00:00.000Z' },
      { agent: '1001', state: 'after_call_work', at: '2026-03-02T04:30:00.000Z' },
      { agent: '1001', state: 'offline', at: '2026-03-02T08:30:00.000Z' },
      // 2001 starts 15 minutes late on Monday (14:15) and works to the end.
      { agent: '2001', state: 'available', at: '2026-03-02T06:15:00.000Z' },
      { agent: '2001', state: 'offline', at: '2026-03-02T14:30:00.000Z' },
    ] });
    f.set('2026-03-02T16:00:00.000Z'); // Tuesday 00:00 local: only Monday's shifts have happened
    const adh = await rosterAdherence(f.ctx.supervisor, rosterId);
    expect(adh.items.map((x) => [x.agentName, x.date, x.scheduledSeconds, x.inAdherenceSeconds])).toEqual([
      ['坐席一', '2026-03-02', 8 * 3600, 7 * 3600],
      ['投诉专员', '2026-03-02', 8 * 3600, 8 * 3600 - 15 * 60],
    ]);
    await expect(rosterAdherence(f.ctx.agent, rosterId)).rejects.toMatchObject({ code: 'forbidden' });

    // The agent (1001) offers Thursday's early shift (09:00) to 2001, who works Wednesday late (until 22:00):
    // 11 h of rest < 12 h, so approval is refused with min_rest. Friday early for 2001's Saturday late is fine.
    f.set('2026-03-01T00:00:00.000Z');
    const mine = await mySchedule(f.ctx.agent);
    expect(mine.shifts.map((s) => s.day)).toEqual([0, 1, 2, 3, 4]);
    expect(mine.colleagues.map((c) => c.id)).toEqual([f.agent2001]);
    const bad = await createSwapRequest(f.ctx.agent, { fromShiftId: rowsA[3].id, toAgentId: f.agent2001 });
    expect(bad.status).toBe('pending');
    const supervisorIsNotB = decideSwapRequest(f.ctx.agent, bad.id, { version: bad.version, decision: 'accept' });
    await expect(supervisorIsNotB).rejects.toMatchObject({ code: 'forbidden' });
    // 2001 has no user; a planner acts for the steps here (cancel allowed), approval needs 'accepted' first.
    await expect(decideSwapRequest(f.ctx.supervisor, bad.id, { version: bad.version, decision: 'approve' })).rejects.toMatchObject({ code: 'conflict', messageKey: 'error.wfm_swap_state' });
    await db.execute(sql`UPDATE wfm_swap_requests SET status = 'accepted' WHERE id = ${bad.id}`);
    await expect(decideSwapRequest(f.ctx.supervisor, bad.id, { version: bad.version, decision: 'approve' })).rejects.toMatchObject({ code: 'conflict', messageKey: 'error.wfm_swap_breaks_rules', params: { rules: 'min_rest' } });
    await expect(decideSwapRequest(f.ctx.supervisor, bad.id, { version: bad.version + 5, decision: 'reject' })).rejects.toMatchObject({ code: 'conflict', messageKey: 'error.stale_version' });

    const good = await createSwapRequest(f.ctx.agent, { fromShiftId: rowsA[4].id, toAgentId: f.agent2001, toShiftId: rowsB[3].id });
    await db.execute(sql`UPDATE wfm_swap_requests SET status = 'accepted' WHERE id = ${good.id}`);
    const approved = await decideSwapRequest(f.ctx.supervisor, good.id, { version: good.version, decision: 'approve' });
    expect(approved.status).toBe('approved');
    const after = await mySchedule(f.ctx.agent);
    expect(after.shifts.map((s) => `${s.day}:${s.shiftId}`)).toEqual(['0:e@09:00', '1:e@09:00', '2:e@09:00', '3:e@09:00', '5:l@14:00']);
    await expect(createSwapRequest(f.ctx.agent, { fromShiftId: rowsB[0].id, toAgentId: f.agent1001 })).rejects.toMatchObject({ code: 'invalid' });
  });

  it('adherence counts scheduled breaks: on break during the break is adherent, available during it is not (hand-computed)', async () => {
    const { db } = get();
    const f = await seedCc(db, 'WfmBreaks');
    const orgId = f.orgId;
    const shiftType = { id: 'e@09:00', startMinute: 540, lengthMinutes: 480 };
    const problem = { days: 7, startWeekday: 0, shifts: [shiftType], agents: [{ id: f.agent1001, name: '坐席一' }, { id: f.agent2001, name: '投诉专员' }], rules: { maxHoursPerWeek: 40, minRestHours: 12, maxConsecutiveDays: 6, minDaysOffPerWeek: 2 }, demand: [] };
    const rosterId = newId();
    await db.insert(wfmRosters).values({ id: rosterId, orgId, shiftPlanId: newId(), status: 'optimal', startDate: '2026-03-02', days: 7, problem });
    // 09:00–17:00 Shanghai with a break 12:00–12:30.
    const local = (day: number, hm: string) => new Date(Date.parse(`2026-03-0${2 + day}T${hm}:00+08:00`));
    const shift = (agentId: string, day: number) => ({ id: newId(), orgId, rosterId, agentId, day, shiftId: shiftType.id, startsAt: local(day, '09:00'), endsAt: local(day, '17:00'), breakStartsAt: local(day, '12:00'), breakEndsAt: local(day, '12:30') });
    await db.insert(wfmRosterShifts).values([shift(f.agent1001, 0), shift(f.agent1001, 1), shift(f.agent2001, 0)]);
    const at = (day: number, hm: string) => local(day, hm).toISOString();
    await recordAgentStates(f.ctx.admin, { events: [
      // Monday, 1001 keeps the schedule: in at 08:50, break 12:00–12:30, out at 17:00 → 8 h of 8 h.
      { agent: '1001', state: 'available', at: at(0, '08:50') },
      { agent: '1001', state: 'break', at: at(0, '12:00') },
      { agent: '1001', state: 'available', at: at(0, '12:30') },
      { agent: '1001', state: 'offline', at: at(0, '17:00') },
      // Tuesday, 1001 is 10 minutes late and takes the break 12:05–12:35:
      // 09:10–12:00 work 170 min + 12:05–12:30 on break in the break 25 min + 12:35–17:00 work 265 min = 460 min
      // (12:00–12:05 available during the break and 12:30–12:35 on break after it are out of adherence).
      { agent: '1001', state: 'available', at: at(1, '09:10') },
      { agent: '1001', state: 'break', at: at(1, '12:05') },
      { agent: '1001', state: 'on_call', at: at(1, '12:35') },
      { agent: '1001', state: 'offline', at: at(1, '17:00') },
      // Monday, 2001 works through the scheduled break and takes it 13:00–13:30 instead:
      // 09:00–12:00 180 min + 12:30–13:00 30 min + 13:30–17:00 210 min = 420 min.
      { agent: '2001', state: 'available', at: at(0, '09:00') },
      { agent: '2001', state: 'break', at: at(0, '13:00') },
      { agent: '2001', state: 'available', at: at(0, '13:30') },
      { agent: '2001', state: 'offline', at: at(0, '17:00') },
    ] });
    f.set('2026-03-04T00:00:00+08:00');
    const adh = await rosterAdherence(f.ctx.supervisor, rosterId);
    expect(adh.items.map((x) => [x.agentName, x.date, x.scheduledSeconds, x.scheduledBreakSeconds, x.inAdherenceSeconds])).toEqual([
      ['坐席一', '2026-03-02', 480 * 60, 30 * 60, 480 * 60],
      ['坐席一', '2026-03-03', 480 * 60, 30 * 60, 460 * 60],
      ['投诉专员', '2026-03-02', 480 * 60, 30 * 60, 420 * 60],
    ]);
    expect(adh.items.map((x) => x.adherence)).toEqual([1, 460 / 480, 0.875]);
  });

  it('shift templates: 409 on a stale version, duplicate names refused; what-if simulation agrees with Erlang C', async () => {
    const { db } = get();
    const f = await seedCc(db, 'WfmTpl');
    const tpl = await createShiftTemplate(f.ctx.supervisor, { name: '早班', lengthMinutes: 480, cost: 8 });
    await expect(createShiftTemplate(f.ctx.supervisor, { name: '早班', lengthMinutes: 240, cost: 4 })).rejects.toMatchObject({ code: 'conflict' });
    await expect(createShiftTemplate(f.ctx.supervisor, { name: 'x', lengthMinutes: 240, cost: 4, breakRule: { earliestMinute: 200, latestMinute: 230, lengthMinutes: 30 } })).rejects.toThrow();
    const upd = await updateShiftTemplate(f.ctx.supervisor, tpl.id, { version: 1, cost: 9 });
    expect(upd).toMatchObject({ version: 2, cost: 9 });
    await expect(updateShiftTemplate(f.ctx.supervisor, tpl.id, { version: 1, cost: 10 })).rejects.toMatchObject({ code: 'conflict' });
    expect((await listShiftTemplates(f.ctx.analyst)).map((t) => t.name)).toEqual(['早班']);
    // Erlang C reference (issue): 100 calls / 30 min, AHT 180 s, 14 agents → SL(20 s) 0.888.
    const res = runWhatIf(f.ctx.supervisor, { durationMinutes: 600, replications: 8, seed: 7, queues: [{ id: 'q', arrivalsPerHour: 200, ahtSeconds: 180, patienceSeconds: null, targetSeconds: 20 }], agents: [{ count: 14, skills: ['q'] }] });
    const [lo, hi] = res.queues[0].serviceLevelCi95!;
    expect(lo - 0.02).toBeLessThan(0.888);
    expect(hi + 0.02).toBeGreaterThan(0.888);
    expect(() => runWhatIf(f.ctx.agent, { durationMinutes: 60, replications: 1, seed: 1, queues: [{ id: 'q', arrivalsPerHour: 10, ahtSeconds: 60, patienceSeconds: null, targetSeconds: 20 }], agents: [{ count: 1, skills: ['q'] }] })).toThrow();
  });
});
