// Rosters (排班表): named contact-center agents assigned to the shift plan's shift types for whole weeks, honoring
// labor rules, availability, preferences and skills (model/roster.ts, HiGHS in a worker thread, run by the
// `wfm.roster` job: runs.ts). Demand is per skill and interval (roster-demand.ts: each queue's staffing requirement
// under its skill), so an agent serves one skill at a time and only skills held. When the solve ends,
// every rostered shift becomes a row with its local start and end as instants (the organization's time zone),
// which the agent's own schedule, swaps and adherence read.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { rows } from '../db/open.ts';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Invalid, NotFound, fieldError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import './messages.ts';
import { ccAgents, ccSkills } from '../contact-center/tables.ts';
import { orgTimeZone } from './history.ts';
import { assignBreaks, plannedBreaks } from './model/breaks.ts';
import { rosterInputsFromShiftPlan } from './model/plan-to-roster.ts';
import { plannerSkillDemand } from './roster-demand.ts';
import type { RosterAgent, RosterIntervalCoverage, RosterProblem, RosterResult } from './model/roster.ts';
import { createRosterInput, type CreateRosterInput, type RosterOutput, type RosterShiftOutput } from './schemas.ts';
import { storedShiftPlan, type StoredShiftProblem } from './shift-plans.ts';
import { startRun, type RunCtx, type RunSteps, type WfmRunJobData } from './runs.ts';
import { solveRosterInWorker } from './solver-worker.ts';
import { storedPreferences } from './preferences.ts';
import { shiftKinds, wfmRosters, wfmRosterShifts, wfmShiftPlans, type RosterBreaks } from './tables.ts';

type Row = typeof wfmRosters.$inferSelect;
type ShiftRow = typeof wfmRosterShifts.$inferSelect;

export function presentRosterShift(r: ShiftRow, names: Map<string, string>): RosterShiftOutput {
  return {
    id: r.id, rosterId: r.rosterId, agentId: r.agentId, agentName: names.get(r.agentId) ?? '', day: r.day, shiftId: r.shiftId, startsAt: r.startsAt.toISOString(), endsAt: r.endsAt.toISOString(),
    breakStartsAt: r.breakStartsAt?.toISOString() ?? null, breakEndsAt: r.breakEndsAt?.toISOString() ?? null, version: r.version,
    ...(r.skills ? { skills: r.skills } : {}),
  };
}

/** Runs of consecutive under-covered intervals per day and skill with the same figures, in day order. */
function underCoverageRuns(cov: RosterIntervalCoverage[], intervalMinutes: number): RosterOutput['underCoverage'] {
  const short = cov.filter((c) => c.covered < c.required).sort((x, y) => (x.skill ?? '').localeCompare(y.skill ?? '') || x.day - y.day || x.minute - y.minute);
  const out: RosterOutput['underCoverage'] = [];
  for (const c of short) {
    const last = out[out.length - 1];
    if (last && last.skill === c.skill && last.day === c.day && last.toMinute === c.minute && last.required === c.required && last.covered === c.covered) last.toMinute += intervalMinutes;
    else out.push({ day: c.day, fromMinute: c.minute, toMinute: c.minute + intervalMinutes, skill: c.skill, required: c.required, covered: c.covered });
  }
  return out.sort((x, y) => x.day - y.day || x.fromMinute - y.fromMinute || (x.skill ?? '').localeCompare(y.skill ?? ''));
}

function presentRoster(r: Row, shifts: ShiftRow[], skillNames: Map<string, string>): RosterOutput {
  const p = r.problem as RosterProblem;
  // Results stored before per-skill demand lack skillCoverage (and interval coverage): they read as empty.
  const res = r.result as (Omit<RosterResult, 'skillCoverage'> & { skillCoverage?: RosterResult['skillCoverage'] }) | null;
  const names = new Map(p.agents.map((a) => [a.id, a.name]));
  const perAgent = new Map((res?.preferenceSatisfaction.perAgent ?? []).map((s) => [s.agentId, s.ratio]));
  const hours = new Map((res?.roster ?? []).map((x) => [x.agentId, x.hoursPerWeek]));
  return {
    id: r.id, shiftPlanId: r.shiftPlanId, status: r.status, startDate: r.startDate, days: r.days, objective: r.objective, version: r.version,
    agents: p.agents.map((a) => ({ id: a.id, name: a.name, hoursPerWeek: hours.get(a.id) ?? [], preference: perAgent.get(a.id) ?? null })),
    shiftTypes: p.shifts.map((s) => ({ id: s.id, startMinute: s.startMinute, lengthMinutes: s.lengthMinutes, kind: s.kind ?? null })),
    shifts: shifts.map((s) => presentRosterShift(s, names)),
    violations: res?.violations ?? [], shortfall: res?.shortfall ?? null, preferenceSatisfaction: res?.preferenceSatisfaction.overall ?? null,
    understaffing: (res?.understaffing ?? []).map((u) => ({ day: u.day, shift: u.shift, required: u.required, assigned: u.assigned })),
    demandMode: p.intervalDemand ? 'interval' : 'shift',
    skillCoverage: (res?.skillCoverage ?? []).map((c) => ({ ...c, skillName: c.skill === null ? null : skillNames.get(c.skill) ?? c.skill })),
    underCoverage: p.intervalDemand && res?.intervalCoverage ? underCoverageRuns(res.intervalCoverage, p.intervalDemand.intervalMinutes) : [],
    error: r.error, createdAt: r.createdAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

/** Writes the rostered shifts of a finished solve with their breaks (model/breaks.ts), set-based, local times converted in SQL. */
async function storeRosterShifts(ctx: Ctx, rosterId: string, startDate: string, problem: RosterProblem, result: RosterResult, breaks: { planDays: number; placements: RosterBreaks } | null): Promise<void> {
  const tz = await orgTimeZone(ctx.db, ctx.actor.orgId);
  const byId = new Map(problem.shifts.map((s) => [s.id, s]));
  const placed = breaks ? assignBreaks(result.assignments, breaks.placements, breaks.planDays) : [];
  const items = result.assignments.map((a, i) => {
    const s = byId.get(a.shift)!;
    const b = placed[i] ?? null;
    return { id: newId(), agent: a.agentId, day: a.day, shift: a.shift, start: s.startMinute, len: s.lengthMinutes, bstart: b ? s.startMinute + b.offset : null, blen: b?.lengthMinutes ?? null, skills: a.skillPlan ?? null };
  });
  if (!items.length) return;
  const local = (mins: ReturnType<typeof sql>) => sql`((${startDate}::date + x.day)::timestamp + make_interval(mins => ${mins})) AT TIME ZONE ${tz}`;
  await ctx.db.execute(sql`
    INSERT INTO wfm_roster_shifts (id, org_id, roster_id, agent_id, day, shift_id, starts_at, ends_at, break_starts_at, break_ends_at, skills)
    SELECT x.id, ${ctx.actor.orgId}, ${rosterId}, x.agent, x.day, x.shift, ${local(sql`x.start`)}, ${local(sql`x.start + x.len`)},
           CASE WHEN x.bstart IS NULL THEN NULL ELSE ${local(sql`x.bstart`)} END,
           CASE WHEN x.bstart IS NULL THEN NULL ELSE ${local(sql`x.bstart + x.blen`)} END, x.skills
    FROM jsonb_to_recordset(${JSON.stringify(items)}::jsonb) AS x(id uuid, agent uuid, day int, shift text, start int, len int, bstart int, blen int, skills jsonb)`);
}

export async function createRoster(ctx: Ctx, raw: CreateRosterInput): Promise<{ roster: RosterOutput; done: Promise<RosterOutput> }> {
  assertCan(ctx.actor, 'wfm.plan');
  const input = createRosterInput.parse(raw);
  const orgId = ctx.actor.orgId;
  const [plan] = await ctx.db.select().from(wfmShiftPlans).where(and(eq(wfmShiftPlans.orgId, orgId), eq(wfmShiftPlans.id, input.shiftPlanId)));
  if (!plan) throw new NotFound('wfm_shift_plan');
  const sp = plan.problem as StoredShiftProblem;
  const modelPlan = storedShiftPlan(plan);
  if (sp.days % 7 !== 0) throw new Invalid([fieldError('shiftPlanId', 'whole_weeks', 'field.wfm.whole_weeks')]);
  const inputs = rosterInputsFromShiftPlan(sp, modelPlan, { weeks: sp.days / 7 });
  for (const s of inputs.shifts) s.kind = sp.kinds[s.id.split('@')[0]] ?? 'standard';
  const agentConds = [eq(ccAgents.orgId, orgId), eq(ccAgents.active, true)];
  if (input.agentIds) agentConds.push(inArray(ccAgents.id, input.agentIds));
  // Per-skill interval demand from the plan's requirement and the other queues' (roster-demand.ts) in place of
  // the plan's per-shift counts: the roster then picks shifts so that every queue's skill is covered per interval.
  const skillDemand = await plannerSkillDemand(ctx, plan.requirementId, input.requirementIds ?? []);
  const agentRows = await ctx.db.select({ id: ccAgents.id, name: ccAgents.name, skills: ccAgents.skills }).from(ccAgents).where(and(...agentConds)).orderBy(asc(ccAgents.extension));
  if (!agentRows.length || (input.agentIds && agentRows.length !== new Set(input.agentIds).size)) {
    throw new Invalid([fieldError('agentIds', 'no_agents', agentRows.length ? 'wfm.unknown_agent' : 'wfm.no_agents')]);
  }
  const prefs = new Map(input.preferences.map((p) => [p.agentId, p]));
  // Agents' own saved preferences (preferences.ts) where the request gives none; template names become its shift ids.
  const stored = await storedPreferences(ctx, agentRows.filter((a) => !prefs.has(a.id)).map((a) => a.id));
  const expand = (list: string[]) => list.flatMap((x) => (x.includes('@') || (shiftKinds as readonly string[]).includes(x) ? [x] : inputs.shifts.filter((s) => s.id.split('@')[0] === x).map((s) => s.id)));
  const agents: RosterAgent[] = agentRows.map((a) => {
    const p = prefs.get(a.id);
    const agent: RosterAgent = { id: a.id, name: a.name, skills: a.skills.map((x) => skillDemand.skillKeys.get(x.skillId)).filter((k): k is string => !!k) };
    const own = stored.get(a.id);
    if (!p && own) {
      if (own.maxHoursPerWeek) agent.maxHoursPerWeek = own.maxHoursPerWeek;
      const preferences: RosterAgent['preferences'] = {};
      if (own.preferredShifts.length) preferences.preferredShifts = expand(own.preferredShifts);
      if (own.unwantedShifts.length) preferences.unwantedShifts = expand(own.unwantedShifts);
      if (own.preferredWeekdaysOff.length) preferences.preferredWeekdaysOff = own.preferredWeekdaysOff;
      agent.preferences = preferences;
    }
    if (p) {
      const { agentId: _a, maxHoursPerWeek, allowedKinds, ...preferences } = p;
      if (maxHoursPerWeek) agent.maxHoursPerWeek = maxHoursPerWeek;
      if (allowedKinds) agent.allowedShifts = inputs.shifts.filter((s) => allowedKinds.includes(s.kind as (typeof allowedKinds)[number])).map((s) => s.id);
      agent.preferences = preferences;
    }
    return agent;
  });
  const start = new Date(`${plan.startDate}T00:00:00Z`);
  const problem: RosterProblem = { days: inputs.days, startWeekday: (start.getUTCDay() + 6) % 7, shifts: inputs.shifts, agents, rules: input.rules, demand: [], intervalDemand: skillDemand.intervalDemand };
  const id = newId();
  const { row, done } = await startRun(ctx, 'wfm.roster', id, async (tx, jobId) => {
    const [saved] = await tx.insert(wfmRosters).values({ id, orgId, shiftPlanId: plan.id, status: 'queued', startDate: plan.startDate, days: inputs.days, problem, breaks: plannedBreaks(sp, modelPlan.assignments), jobId, createdAt: ctx.now() }).returning();
    await audit(ctx, { action: 'wfm_roster.create', entityType: 'wfm_roster', entityId: id, data: { shiftPlanId: plan.id, agents: agents.length, rules: input.rules, demand: skillDemand.sources } }, tx);
    return saved;
  }, rosterSteps, { timeLimitSeconds: input.timeLimitSeconds });
  return { roster: presentRoster(row, [], new Map()), done: done.then(() => getRosterUnchecked(ctx, id)) };
}

/**
 * The solve (the `wfm.roster` job, or in-process): claims the row (queued, or left running by an interrupted
 * attempt), solves in a worker thread, and writes the rostered shifts with the result in one transaction (a
 * resumed run replaces what nothing else could have written).
 */
export async function runRoster(rc: RunCtx, data: WfmRunJobData): Promise<void> {
  const where = and(eq(wfmRosters.orgId, rc.actor.orgId), eq(wfmRosters.id, data.id), inArray(wfmRosters.status, ['queued', 'running']));
  const [r] = await rc.db.update(wfmRosters).set({ status: 'running', error: null }).where(where).returning();
  if (!r) return;
  const problem = r.problem as RosterProblem;
  const result = await solveRosterInWorker(problem, { timeLimitSeconds: data.timeLimitSeconds ?? 45 });
  await rc.db.transaction(async (tx) => {
    const txc: RunCtx = { ...rc, db: tx };
    await tx.delete(wfmRosterShifts).where(and(eq(wfmRosterShifts.orgId, rc.actor.orgId), eq(wfmRosterShifts.rosterId, data.id)));
    await storeRosterShifts(txc, data.id, r.startDate, problem, result, r.breaks ? { planDays: await planDays(txc, r.shiftPlanId), placements: r.breaks } : null);
    await tx.update(wfmRosters).set({ status: result.status, objective: result.objective, result, finishedAt: rc.now() })
      .where(and(eq(wfmRosters.orgId, rc.actor.orgId), eq(wfmRosters.id, data.id), eq(wfmRosters.status, 'running')));
  });
}

async function planDays(ctx: Ctx, shiftPlanId: string): Promise<number> {
  const [p] = await ctx.db.select({ problem: wfmShiftPlans.problem }).from(wfmShiftPlans).where(and(eq(wfmShiftPlans.orgId, ctx.actor.orgId), eq(wfmShiftPlans.id, shiftPlanId)));
  return (p?.problem as StoredShiftProblem | undefined)?.days ?? 7;
}

export async function failRoster(rc: RunCtx, id: string, message: string): Promise<void> {
  await rc.db.update(wfmRosters).set({ status: 'failed', error: message, finishedAt: rc.now() })
    .where(and(eq(wfmRosters.orgId, rc.actor.orgId), eq(wfmRosters.id, id), inArray(wfmRosters.status, ['queued', 'running'])));
}

export const rosterSteps: RunSteps = { run: runRoster, fail: failRoster };

async function getRosterUnchecked(ctx: Ctx, id: string): Promise<RosterOutput> {
  const [r] = await ctx.db.select().from(wfmRosters).where(and(eq(wfmRosters.orgId, ctx.actor.orgId), eq(wfmRosters.id, id)));
  if (!r) throw new NotFound('wfm_roster');
  const shifts = await ctx.db.select().from(wfmRosterShifts).where(and(eq(wfmRosterShifts.orgId, ctx.actor.orgId), eq(wfmRosterShifts.rosterId, id))).orderBy(asc(wfmRosterShifts.startsAt));
  const skills = await ctx.db.select({ key: ccSkills.key, name: ccSkills.name }).from(ccSkills).where(eq(ccSkills.orgId, ctx.actor.orgId));
  return presentRoster(r, shifts, new Map(skills.map((x) => [x.key, x.name])));
}

export async function getRoster(ctx: Ctx, id: string): Promise<RosterOutput> {
  assertCan(ctx.actor, 'wfm.read');
  return getRosterUnchecked(ctx, id);
}

export async function listRosters(ctx: Ctx): Promise<Pick<RosterOutput, 'id' | 'shiftPlanId' | 'status' | 'startDate' | 'days' | 'objective' | 'createdAt'>[]> {
  assertCan(ctx.actor, 'wfm.read');
  const found = await ctx.db.select({ id: wfmRosters.id, shiftPlanId: wfmRosters.shiftPlanId, status: wfmRosters.status, startDate: wfmRosters.startDate, days: wfmRosters.days, objective: wfmRosters.objective, createdAt: wfmRosters.createdAt })
    .from(wfmRosters).where(eq(wfmRosters.orgId, ctx.actor.orgId)).orderBy(desc(wfmRosters.createdAt)).limit(20);
  return found.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

/** Agent names by id (the roster's agents), for presenting shifts and swaps. */
export async function agentNames(ctx: Ctx, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const found = await rows<{ id: string; name: string }>(ctx.db, sql`SELECT id, name FROM cc_agents WHERE org_id = ${ctx.actor.orgId} AND id = ANY(${`{${[...new Set(ids)].join(',')}}`}::uuid[])`);
  return new Map(found.map((r) => [r.id, r.name]));
}
