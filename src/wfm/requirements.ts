// Staffing requirements (人力需求): agents per day and interval by Erlang C (or Erlang A with patience) from a
// forecast's calls and AHT, then scheduled agents after shrinkage: what the shift plan must cover.
import { and, desc, eq } from 'drizzle-orm';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { NotFound } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import './messages.ts';
import { getDoneForecast } from './forecasts.ts';
import { staffGrid } from './model/staffing.ts';
import { createRequirementInput, type CreateRequirementInput, type RequirementOutput, type RequirementSummary } from './schemas.ts';
import { wfmForecasts, wfmRequirements } from './tables.ts';

type Row = typeof wfmRequirements.$inferSelect;
const present = (r: Row): RequirementOutput => ({
  id: r.id, forecastId: r.forecastId, intervalMinutes: r.intervalMinutes, target: { ...r.target, targetSeconds: r.target.targetSeconds }, dates: r.dates, agents: r.agents, scheduled: r.scheduled, createdAt: r.createdAt.toISOString(),
});

export async function createRequirement(ctx: Ctx, raw: CreateRequirementInput): Promise<RequirementOutput> {
  assertCan(ctx.actor, 'wfm.plan');
  const input = createRequirementInput.parse(raw);
  const fc = await getDoneForecast(ctx, input.forecastId);
  // An interval with (almost) no AHT history gets the forecast's mean AHT.
  let wSum = 0;
  let cSum = 0;
  fc.mean.forEach((r, i) => r.forEach((c, j) => { wSum += c * fc.ahtSeconds[i][j]; cSum += c; }));
  const meanAht = cSum > 0 && wSum > 0 ? wSum / cSum : 240;
  const aht = fc.ahtSeconds.map((r) => r.map((a) => (a > 0 ? a : meanAht)));
  const grid = staffGrid(fc.mean, aht, fc.intervalMinutes, input.target);
  const row = {
    id: newId(), orgId: ctx.actor.orgId, forecastId: fc.id, intervalMinutes: fc.intervalMinutes, target: input.target, dates: fc.dates,
    agents: grid.map((r, i) => r.map((s, j) => (fc.mean[i][j] > 0 ? s.agents : 0))),
    scheduled: grid.map((r, i) => r.map((s, j) => (fc.mean[i][j] > 0 ? s.scheduledAgents : 0))),
    createdAt: ctx.now(),
  };
  return ctx.db.transaction(async (tx) => {
    const [saved] = await tx.insert(wfmRequirements).values(row).returning();
    await audit(ctx, { action: 'wfm_requirement.create', entityType: 'wfm_requirement', entityId: saved.id, data: { forecastId: fc.id, target: input.target } }, tx);
    return present(saved);
  });
}

export async function getRequirement(ctx: Ctx, id: string): Promise<RequirementOutput> {
  assertCan(ctx.actor, 'wfm.read');
  const [r] = await ctx.db.select().from(wfmRequirements).where(and(eq(wfmRequirements.orgId, ctx.actor.orgId), eq(wfmRequirements.id, id)));
  if (!r) throw new NotFound('wfm_requirement');
  return present(r);
}

/** The latest requirements with their queue (series), newest first: what a roster can add as other queues' demand. */
export async function listRequirements(ctx: Ctx): Promise<RequirementSummary[]> {
  assertCan(ctx.actor, 'wfm.read');
  const found = await ctx.db.select({ id: wfmRequirements.id, forecastId: wfmRequirements.forecastId, series: wfmForecasts.series, intervalMinutes: wfmRequirements.intervalMinutes, dates: wfmRequirements.dates, createdAt: wfmRequirements.createdAt })
    .from(wfmRequirements).innerJoin(wfmForecasts, and(eq(wfmForecasts.orgId, wfmRequirements.orgId), eq(wfmForecasts.id, wfmRequirements.forecastId)))
    .where(eq(wfmRequirements.orgId, ctx.actor.orgId)).orderBy(desc(wfmRequirements.createdAt)).limit(50);
  return found.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}
