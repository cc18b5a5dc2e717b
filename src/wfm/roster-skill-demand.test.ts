// The planner's roster by skill (PGlite, and PostgreSQL with TEST_DATABASE_URL): forecast and Erlang requirement
// for two queues (front line → skill general, complaints desk → skill complaints), a shift plan for the front
// line, then a roster of both through the planner flow. The roster must carry per-skill interval demand equal to
// each queue's requirement, never put an agent on a skill the agent lacks, report per-skill coverage equal to
// a recount from the stored shifts' skill plans, give every shift of a template with a break its break, and
// refuse a swap that hands a shift's skill to an agent who lacks it.
import { expect, it } from 'vitest';
import { describeDb } from '../db/test-harness.ts';
import { seedCc } from '../contact-center/test-setup.ts';
import { newId } from '../platform/ids.ts';
import { seedDemoWfm } from './demo/seed-wfm.ts';
import { createForecast } from './forecasts.ts';
import type { RosterProblem } from './model/roster.ts';
import { createRequirement } from './requirements.ts';
import { createRoster, getRoster } from './rosters.ts';
import { createShiftPlan } from './shift-plans.ts';
import { createSwapRequest, decideSwapRequest } from './swaps.ts';
import { wfmRequirements, wfmRosters, wfmRosterShifts, wfmSwapRequests } from './tables.ts';
import { and, eq } from 'drizzle-orm';

describeDb('wfm roster by skill per interval', (get) => {
  it('a planner roster covers each queue\'s skill per interval; coverage per skill equals a recount from the assignments', async () => {
    const { db } = get();
    const f = await seedCc(db, 'WfmSkills');
    f.set('2026-03-30T00:00:00.000Z');
    const sup = f.ctx.supervisor;
    // Front line: 1001 (general), 2001 (complaints + general) and 6 added general-only agents; complaints desk:
    // 2 added complaints-only agents. Complaints people are scarce on purpose: a skill-blind roster would look
    // staffed with idle general agents while the desk is short.
    await seedDemoWfm(sup, { series: 'front', days: 35, peakPer15Min: 4, minAgents: 8 });
    await seedDemoWfm(sup, { series: 'complaints', days: 35, peakPer15Min: 2, minAgents: 10 });
    const target = { targetSeconds: 20, serviceLevel: 0.8, shrinkage: 0.25 };
    const frontFc = await (await createForecast(sup, { series: 'front', intervalMinutes: 30, horizonDays: 7, holdoutDays: 7 })).done;
    const complaintsFc = await (await createForecast(sup, { series: 'complaints', intervalMinutes: 30, horizonDays: 7, holdoutDays: 7 })).done;
    expect(complaintsFc.dates).toEqual(frontFc.dates);
    const frontReq = await createRequirement(sup, { forecastId: frontFc.id, target });
    const complaintsReq = await createRequirement(sup, { forecastId: complaintsFc.id, target });
    const plan = await (await createShiftPlan(sup, { requirementId: frontReq.id, timeLimitSeconds: 20 })).done;
    expect(['optimal', 'feasible']).toContain(plan.status);

    // Another queue's requirement must be for the plan's days and interval; an unknown one is named by its field.
    const hourly = newId();
    await db.insert(wfmRequirements).values({ id: hourly, orgId: f.orgId, forecastId: complaintsFc.id, intervalMinutes: 60, target, dates: complaintsFc.dates, agents: [], scheduled: [] });
    await expect(createRoster(sup, { shiftPlanId: plan.id, requirementIds: [complaintsReq.id, hourly] })).rejects.toMatchObject({ code: 'invalid', fields: [{ path: 'requirementIds.1', code: 'requirement_mismatch' }] });
    await expect(createRoster(sup, { shiftPlanId: plan.id, requirementIds: [newId()] })).rejects.toMatchObject({ code: 'invalid', fields: [{ path: 'requirementIds.0', code: 'not_found' }] });

    const r = await (await createRoster(sup, { shiftPlanId: plan.id, requirementIds: [complaintsReq.id], timeLimitSeconds: 30 })).done;
    expect(['optimal', 'feasible']).toContain(r.status);
    expect(r.violations).toEqual([]);
    expect(r.demandMode).toBe('interval');

    // The solver got each queue's scheduled agents per interval under the queue's skill, and each agent's skills.
    const [row] = await db.select().from(wfmRosters).where(and(eq(wfmRosters.orgId, f.orgId), eq(wfmRosters.id, r.id)));
    const problem = row.problem as RosterProblem;
    expect(problem.demand).toEqual([]);
    expect(problem.intervalDemand).toEqual({ intervalMinutes: 30, requirements: [
      { skill: 'general', values: frontReq.scheduled.flat() },
      { skill: 'complaints', values: complaintsReq.scheduled.flat() },
    ] });
    const skillsOf = new Map(problem.agents.map((a) => [a.id, new Set(a.skills)]));
    expect(skillsOf.get(f.agent1001)).toEqual(new Set(['general']));
    expect(skillsOf.get(f.agent2001)).toEqual(new Set(['general', 'complaints']));
    const generalOnly = [...skillsOf].filter(([, s]) => !s.has('complaints')).map(([id]) => id);
    const complaintsOnly = [...skillsOf].filter(([, s]) => !s.has('general')).map(([id]) => id);
    expect([generalOnly.length, complaintsOnly.length]).toEqual([7, 2]);

    // Recount from the stored shifts' skill plans: an agent serves one skill at a time, only skills held, only
    // inside the shift; per skill and interval, covered = agents serving it, capped at the requirement.
    const im = 30;
    const perDay = 1440 / im;
    const served = new Map<string, number[]>([['general', new Array(7 * perDay).fill(0)], ['complaints', new Array(7 * perDay).fill(0)]]);
    const types = new Map(r.shiftTypes.map((t) => [t.id, t]));
    let generalOnlyOnComplaints = 0;
    for (const s of r.shifts) {
      const type = types.get(s.shiftId)!;
      expect(s.skills, `${s.agentName} day ${s.day}`).toBeDefined();
      let last = -1;
      for (const seg of s.skills!) {
        expect(seg.skill).not.toBeNull();
        expect(skillsOf.get(s.agentId)!.has(seg.skill!)).toBe(true);
        if (seg.skill === 'complaints' && generalOnly.includes(s.agentId)) generalOnlyOnComplaints++;
        expect(seg.fromMinute).toBeGreaterThanOrEqual(Math.max(last, type.startMinute));
        expect(seg.toMinute).toBeLessThanOrEqual(type.startMinute + type.lengthMinutes);
        last = seg.toMinute;
        for (let m = seg.fromMinute; m < seg.toMinute; m += im) {
          const t = s.day * perDay + m / im;
          if (t < 7 * perDay) served.get(seg.skill!)![t]++;
        }
      }
    }
    expect(generalOnlyOnComplaints).toBe(0);
    const required = { general: frontReq.scheduled.flat(), complaints: complaintsReq.scheduled.flat() };
    const recount = (['general', 'complaints'] as const).map((skill) => {
      let req = 0;
      let cov = 0;
      required[skill].forEach((need, t) => { req += need; cov += Math.min(need, served.get(skill)![t]); });
      return { skill, requiredHours: (req * im) / 60, coveredHours: (cov * im) / 60, shortfallHours: ((req - cov) * im) / 60 };
    });
    expect(r.skillCoverage.map(({ skillName: _n, ...c }) => c)).toEqual(recount);
    expect(r.skillCoverage.map((c) => c.skillName)).toEqual(['综合', '投诉']);
    // Two complaints-only agents and 2001 cannot staff the desk every open interval of the week: it is short,
    // and the under-covered runs listed add up to exactly the shortfall.
    const complaints = r.skillCoverage.find((c) => c.skill === 'complaints')!;
    expect(complaints.requiredHours).toBeGreaterThan(0);
    expect(complaints.shortfallHours).toBeGreaterThan(0);
    for (const c of r.skillCoverage) {
      const runs = r.underCoverage.filter((u) => u.skill === c.skill);
      expect(runs.reduce((h, u) => h + ((u.toMinute - u.fromMinute) / 60) * (u.required - u.covered), 0)).toBeCloseTo(c.shortfallHours, 6);
    }

    // Breaks: every rostered shift of a template with a break rule has its break inside the rule's window,
    // also on days the plan did not staff that shift type (the roster chose it for interval demand).
    const standard = r.shifts.filter((s) => types.get(s.shiftId)!.kind === 'standard');
    expect(standard.length).toBeGreaterThan(0);
    for (const s of r.shifts) {
      if (types.get(s.shiftId)!.kind !== 'standard') { expect(s.breakStartsAt).toBeNull(); continue; }
      const offset = (Date.parse(s.breakStartsAt!) - Date.parse(s.startsAt)) / 60_000;
      expect(offset).toBeGreaterThanOrEqual(180);
      expect(offset).toBeLessThanOrEqual(300);
      expect((Date.parse(s.breakEndsAt!) - Date.parse(s.breakStartsAt!)) / 60_000).toBe(30);
    }

    // The skill plan stays with the shift: giving a shift that serves complaints to a general-only agent who is
    // free that day is refused at approval with the 'skill' rule.
    const desk = r.shifts.find((s) => s.skills!.some((g) => g.skill === 'complaints') && generalOnly.some((a) => !r.shifts.some((x) => x.agentId === a && x.day === s.day)))!;
    const taker = generalOnly.find((a) => !r.shifts.some((x) => x.agentId === a && x.day === desk.day))!;
    const swap = await createSwapRequest(sup, { fromShiftId: desk.id, toAgentId: taker });
    await db.update(wfmSwapRequests).set({ status: 'accepted' }).where(eq(wfmSwapRequests.id, swap.id));
    const refused = decideSwapRequest(sup, swap.id, { version: swap.version, decision: 'approve' });
    await expect(refused).rejects.toMatchObject({ code: 'conflict', messageKey: 'error.wfm_swap_breaks_rules', params: { rules: expect.stringMatching(/\bskill\b/) } });
  }, 240_000);

  it('a roster solved per shift before skills (no interval demand, no skill figures, shifts without skill plans) still reads', async () => {
    const { db } = get();
    const f = await seedCc(db, 'WfmLegacy');
    const problem = {
      days: 7, startWeekday: 0, shifts: [{ id: 'e@09:00', startMinute: 540, lengthMinutes: 480 }], agents: [{ id: f.agent1001, name: '坐席一' }],
      rules: { maxHoursPerWeek: 40, minRestHours: 12, maxConsecutiveDays: 6, minDaysOffPerWeek: 2 }, demand: [{ day: 0, shift: 'e@09:00', count: 1 }],
    };
    // The result as stored then: per-shift coverage, no skillCoverage, no intervalCoverage, no skill plans.
    const result = {
      status: 'optimal', objective: 8, roster: [{ agentId: f.agent1001, name: '坐席一', days: ['e@09:00', null, null, null, null, null, null], hoursPerWeek: [8] }],
      assignments: [{ agentId: f.agent1001, day: 0, shift: 'e@09:00' }], violations: [], coverage: [], understaffing: [], shortfall: 0,
      preferenceSatisfaction: { overall: 1, satisfied: 0, total: 0, perAgent: [] },
    };
    const id = newId();
    await db.insert(wfmRosters).values({ id, orgId: f.orgId, shiftPlanId: newId(), status: 'optimal', startDate: '2026-03-02', days: 7, problem, result });
    await db.insert(wfmRosterShifts).values({ id: newId(), orgId: f.orgId, rosterId: id, agentId: f.agent1001, day: 0, shiftId: 'e@09:00',
      startsAt: new Date('2026-03-02T01:00:00Z'), endsAt: new Date('2026-03-02T09:00:00Z'), breakStartsAt: new Date('2026-03-02T04:00:00Z'), breakEndsAt: new Date('2026-03-02T04:30:00Z') });
    const r = await getRoster(f.ctx.supervisor, id);
    expect(r).toMatchObject({ demandMode: 'shift', skillCoverage: [], underCoverage: [], shortfall: 0 });
    expect(r.shifts).toHaveLength(1);
    expect(r.shifts[0]).toMatchObject({ breakStartsAt: '2026-03-02T04:00:00.000Z', breakEndsAt: '2026-03-02T04:30:00.000Z' });
    expect(r.shifts[0].skills).toBeUndefined();
  });
});
