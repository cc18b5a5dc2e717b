// Shift plans (班次方案): the minimum-cost set of shifts covering a requirement's scheduled agents per interval,
// an integer program solved by HiGHS in a worker thread (solver-worker.ts). The row is written 'queued' with its
// `wfm.shift_plan` job (runs.ts) and completed by the job, so the API answers 202 at once and the UI polls the status.
import { and, desc, eq, inArray } from 'drizzle-orm';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Invalid, NotFound, type KeyedFieldError, fieldError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import './messages.ts';
import type { ShiftPlan, ShiftProblem, ShiftTemplate } from './model/shifts.ts';
import { createShiftPlanInput, type CreateShiftPlanInput, type ShiftPlanOutput } from './schemas.ts';
import { startRun, type RunCtx, type RunSteps, type WfmRunJobData } from './runs.ts';
import { solveShiftsInWorker } from './solver-worker.ts';
import { wfmRequirements, wfmShiftPlans, wfmShiftTemplates, type ShiftKind } from './tables.ts';

type Row = typeof wfmShiftPlans.$inferSelect;
export type StoredShiftProblem = ShiftProblem & { days: number; kinds: Record<string, ShiftKind>; lengthMinutes: Record<string, number> };

export function presentShiftPlan(r: Row): ShiftPlanOutput {
  const p = r.problem as StoredShiftProblem;
  const width = p.requirements.length / p.days;
  return {
    id: r.id, requirementId: r.requirementId, status: r.status, intervalMinutes: r.intervalMinutes, startDate: r.startDate, days: p.days,
    shiftsUsed: r.shiftsUsed, cost: r.cost, lowerBound: r.lowerBound, gap: r.gap, requirements: p.requirements, coverage: r.result?.coverage ?? [],
    assignments: (r.result?.assignments ?? []).map((a) => ({
      start: a.start, template: a.template, count: a.count, day: Math.floor(a.start / width), startMinute: (a.start % width) * r.intervalMinutes,
      lengthMinutes: p.lengthMinutes[a.template] ?? 0, kind: p.kinds[a.template] ?? 'standard',
    })),
    solveSeconds: r.result?.solveSeconds ?? null, error: r.error, createdAt: r.createdAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

/** The stored result as the model's ShiftPlan (for rosterInputsFromShiftPlan). */
export function storedShiftPlan(r: Row): ShiftPlan {
  const res = r.result;
  if (!res || (r.status !== 'optimal' && r.status !== 'feasible')) throw new Invalid([fieldError('shiftPlanId', 'not_finished', 'field.wfm.not_finished')], 'error.wfm_not_finished');
  return {
    status: r.status, shiftsUsed: r.shiftsUsed ?? 0, cost: r.cost ?? 0, lowerBound: r.lowerBound ?? 0, lpBound: r.lowerBound ?? 0, gap: r.gap ?? 0,
    coverage: res.coverage, surplus: res.coverage.map((c, i) => c - res.requirements[i]), assignments: res.assignments, columns: 0, solveSeconds: res.solveSeconds,
  };
}

export async function createShiftPlan(ctx: Ctx, raw: CreateShiftPlanInput): Promise<{ plan: ShiftPlanOutput; done: Promise<ShiftPlanOutput> }> {
  assertCan(ctx.actor, 'wfm.plan');
  const input = createShiftPlanInput.parse(raw);
  const orgId = ctx.actor.orgId;
  const [req] = await ctx.db.select().from(wfmRequirements).where(and(eq(wfmRequirements.orgId, orgId), eq(wfmRequirements.id, input.requirementId)));
  if (!req) throw new NotFound('wfm_requirement');
  const conds = [eq(wfmShiftTemplates.orgId, orgId), eq(wfmShiftTemplates.active, 1)];
  if (input.templateIds) conds.push(inArray(wfmShiftTemplates.id, input.templateIds));
  const templates = await ctx.db.select().from(wfmShiftTemplates).where(and(...conds));
  if (!templates.length) throw new Invalid([fieldError('templateIds', 'no_templates', 'wfm.no_templates')]);
  const im = req.intervalMinutes;
  const days = req.dates.length;
  const width = 1440 / im;
  const errors: KeyedFieldError[] = [];
  const shiftTemplates: ShiftTemplate[] = templates.map((tpl, k) => {
    if (tpl.lengthMinutes % im !== 0) errors.push(fieldError(`templateIds.${k}`, 'template_length', 'field.wfm.template_length', { name: tpl.name, minutes: im }));
    const out: ShiftTemplate = { name: tpl.name, lengthIntervals: Math.max(1, Math.round(tpl.lengthMinutes / im)), cost: tpl.cost };
    if (tpl.startMinutes) out.starts = [...new Set(Array.from({ length: days }, (_, d) => tpl.startMinutes!.map((m) => d * width + Math.floor(m / im))).flat())].sort((a, b) => a - b);
    if (tpl.breakRule) out.breaks = [{ earliestOffset: Math.floor(tpl.breakRule.earliestMinute / im), latestOffset: Math.floor(tpl.breakRule.latestMinute / im), lengthIntervals: Math.max(1, Math.ceil(tpl.breakRule.lengthMinutes / im)) }];
    if (tpl.maxPerDay) out.maxCount = tpl.maxPerDay * days;
    return out;
  });
  if (errors.length) throw new Invalid(errors);
  const problem: StoredShiftProblem = {
    intervalMinutes: im, cyclic: days % 7 === 0, requirements: req.scheduled.flat(), shiftTemplates, days,
    kinds: Object.fromEntries(templates.map((x) => [x.name, x.kind])), lengthMinutes: Object.fromEntries(templates.map((x) => [x.name, x.lengthMinutes])),
  };
  const id = newId();
  const { row, done } = await startRun(ctx, 'wfm.shift_plan', id, async (tx, jobId) => {
    const [saved] = await tx.insert(wfmShiftPlans).values({ id, orgId, requirementId: req.id, status: 'queued', intervalMinutes: im, startDate: req.dates[0], problem, jobId, createdAt: ctx.now() }).returning();
    await audit(ctx, { action: 'wfm_shift_plan.create', entityType: 'wfm_shift_plan', entityId: id, data: { requirementId: req.id, templates: templates.map((x) => x.name) } }, tx);
    return saved;
  }, shiftPlanSteps, { timeLimitSeconds: input.timeLimitSeconds });
  return { plan: presentShiftPlan(row), done: done.then(() => getShiftPlanUnchecked(ctx, id)) };
}

/** The solve (the `wfm.shift_plan` job, or in-process): claims the row (queued, or left running by an interrupted attempt), solves in a worker thread, stores. */
export async function runShiftPlan(rc: RunCtx, data: WfmRunJobData): Promise<void> {
  const where = and(eq(wfmShiftPlans.orgId, rc.actor.orgId), eq(wfmShiftPlans.id, data.id), inArray(wfmShiftPlans.status, ['queued', 'running']));
  const [r] = await rc.db.update(wfmShiftPlans).set({ status: 'running', error: null }).where(where).returning();
  if (!r) return;
  const problem = r.problem as StoredShiftProblem;
  const { days: _d, kinds: _k, lengthMinutes: _l, ...modelProblem } = problem;
  const plan = await solveShiftsInWorker(modelProblem, { timeLimitSeconds: data.timeLimitSeconds ?? 30 });
  await rc.db.update(wfmShiftPlans).set({
    status: plan.status, shiftsUsed: plan.shiftsUsed, cost: plan.cost, lowerBound: plan.lowerBound, gap: plan.gap,
    result: { coverage: plan.coverage, requirements: problem.requirements, assignments: plan.assignments, solveSeconds: plan.solveSeconds }, finishedAt: rc.now(),
  }).where(and(eq(wfmShiftPlans.orgId, rc.actor.orgId), eq(wfmShiftPlans.id, data.id), eq(wfmShiftPlans.status, 'running')));
}

export async function failShiftPlan(rc: RunCtx, id: string, message: string): Promise<void> {
  await rc.db.update(wfmShiftPlans).set({ status: 'failed', error: message, finishedAt: rc.now() })
    .where(and(eq(wfmShiftPlans.orgId, rc.actor.orgId), eq(wfmShiftPlans.id, id), inArray(wfmShiftPlans.status, ['queued', 'running'])));
}

export const shiftPlanSteps: RunSteps = { run: runShiftPlan, fail: failShiftPlan };

async function getShiftPlanUnchecked(ctx: Ctx, id: string): Promise<ShiftPlanOutput> {
  const [r] = await ctx.db.select().from(wfmShiftPlans).where(and(eq(wfmShiftPlans.orgId, ctx.actor.orgId), eq(wfmShiftPlans.id, id)));
  if (!r) throw new NotFound('wfm_shift_plan');
  return presentShiftPlan(r);
}

export async function getShiftPlan(ctx: Ctx, id: string): Promise<ShiftPlanOutput> {
  assertCan(ctx.actor, 'wfm.read');
  return getShiftPlanUnchecked(ctx, id);
}

export async function listShiftPlans(ctx: Ctx): Promise<ShiftPlanOutput[]> {
  assertCan(ctx.actor, 'wfm.read');
  return (await ctx.db.select().from(wfmShiftPlans).where(eq(wfmShiftPlans.orgId, ctx.actor.orgId)).orderBy(desc(wfmShiftPlans.createdAt)).limit(20)).map(presentShiftPlan);
}
