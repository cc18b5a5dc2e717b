// Per-skill interval demand for a planner's roster (技能分时需求): the shift plan's staffing requirement and any
// other queues' requirements for the same days, each queue's scheduled agents per interval (after shrinkage, so
// breaks and other absence stay inside the figures, as the roster model expects) counted against the queue's
// skill. A forecast's series is a queue key (calls or an upload named after the queue); a series no queue
// carries, or a queue without a skill, is demand any agent can meet. Queues sharing a skill add up. Agents'
// skills come from the contact center's agent records, so an agent lacking a skill never covers its demand.
import { and, eq, inArray } from 'drizzle-orm';
import type { Ctx } from '../platform/context.ts';
import { Invalid, NotFound, type KeyedFieldError, fieldError } from '../platform/errors.ts';
import './messages.ts';
import { ccQueues, ccSkills } from '../contact-center/tables.ts';
import type { RosterIntervalDemand } from './model/roster-types.ts';
import { wfmForecasts, wfmRequirements } from './tables.ts';

export interface PlannerSkillDemand {
  intervalDemand: RosterIntervalDemand;
  /** Skill id → skill key, to give agents their skills by key. */
  skillKeys: Map<string, string>;
  /** Which requirement (queue) fed which skill row, for the audit entry. */
  sources: { requirementId: string; series: string; skill: string | null }[];
}

/** `planRequirementId` first; `extra` are other queues' requirements (field errors name `requirementIds.i`). */
export async function plannerSkillDemand(ctx: Ctx, planRequirementId: string, extra: string[]): Promise<PlannerSkillDemand> {
  const orgId = ctx.actor.orgId;
  const ids = [planRequirementId, ...extra.filter((x) => x !== planRequirementId)];
  const reqs = await ctx.db.select({ id: wfmRequirements.id, forecastId: wfmRequirements.forecastId, intervalMinutes: wfmRequirements.intervalMinutes, dates: wfmRequirements.dates, scheduled: wfmRequirements.scheduled })
    .from(wfmRequirements).where(and(eq(wfmRequirements.orgId, orgId), inArray(wfmRequirements.id, ids)));
  const byId = new Map(reqs.map((r) => [r.id, r]));
  const base = byId.get(planRequirementId);
  if (!base) throw new NotFound('wfm_requirement');
  const errors: KeyedFieldError[] = [];
  extra.forEach((id, i) => {
    const r = byId.get(id);
    if (!r) errors.push(fieldError(`requirementIds.${i}`, 'not_found', 'wfm.unknown_requirement'));
    else if (r.intervalMinutes !== base.intervalMinutes || r.dates.join() !== base.dates.join()) {
      errors.push(fieldError(`requirementIds.${i}`, 'requirement_mismatch', 'wfm.requirement_mismatch', { from: base.dates[0], days: base.dates.length, minutes: base.intervalMinutes }));
    }
  });
  if (errors.length) throw new Invalid(errors);
  const forecasts = await ctx.db.select({ id: wfmForecasts.id, series: wfmForecasts.series }).from(wfmForecasts)
    .where(and(eq(wfmForecasts.orgId, orgId), inArray(wfmForecasts.id, [...new Set(reqs.map((r) => r.forecastId))])));
  const seriesOf = new Map(forecasts.map((f) => [f.id, f.series]));
  const queues = await ctx.db.select({ key: ccQueues.key, skillId: ccQueues.skillId }).from(ccQueues).where(eq(ccQueues.orgId, orgId));
  const skills = await ctx.db.select({ id: ccSkills.id, key: ccSkills.key }).from(ccSkills).where(eq(ccSkills.orgId, orgId));
  const skillKeys = new Map(skills.map((s) => [s.id, s.key]));
  const queueSkill = new Map(queues.map((q) => [q.key, q.skillId ? skillKeys.get(q.skillId) ?? null : null]));
  const rowsBySkill = new Map<string, number[]>();
  const sources: PlannerSkillDemand['sources'] = [];
  for (const id of ids) {
    const r = byId.get(id)!;
    const series = seriesOf.get(r.forecastId) ?? '';
    const skill = queueSkill.get(series) ?? null;
    sources.push({ requirementId: id, series, skill });
    const values = r.scheduled.flat();
    const acc = rowsBySkill.get(skill ?? '');
    if (acc) values.forEach((v, i) => (acc[i] += v));
    else rowsBySkill.set(skill ?? '', [...values]);
  }
  const requirements = [...rowsBySkill].map(([skill, values]) => (skill ? { skill, values } : { values }));
  return { intervalDemand: { intervalMinutes: base.intervalMinutes, requirements }, skillKeys, sources };
}
