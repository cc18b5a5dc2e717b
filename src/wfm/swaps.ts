// Shift swaps (换班) and the agent's own schedule. Agent A offers one of their rostered shifts to agent B, in
// exchange for one of B's (or as a give-away); B accepts or declines; a planner approves or rejects. Approval
// re-checks the whole roster with the swap applied (checkRoster: hours, rest, consecutive days, days off,
// availability, and the skills the shift serves) and refuses with the violated rules; only then do the two shift rows change hands.
import { and, asc, eq, or, sql } from 'drizzle-orm';
import { rows } from '../db/open.ts';
import { audit } from '../platform/audit.ts';
import { assertCan, can, type Ctx } from '../platform/context.ts';
import { Conflict, Forbidden, Invalid, NotFound, fieldError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import './messages.ts';
import { checkRoster, type RosterProblem, type RosterViolation } from './model/roster.ts';
import { orgTimeZone } from './history.ts';
import { agentNames, presentRosterShift } from './rosters.ts';
import { createSwapInput, decideSwapInput, scheduleQuery, type CreateSwapInput, type DecideSwapInput, type MyScheduleOutput, type SwapOutput } from './schemas.ts';
import { wfmRosters, wfmRosterShifts, wfmSwapRequests } from './tables.ts';

type SwapRow = typeof wfmSwapRequests.$inferSelect;
type ShiftRow = typeof wfmRosterShifts.$inferSelect;

/** The contact-center agent linked to the acting user, if any. */
export async function ownAgent(ctx: Ctx): Promise<{ id: string; name: string } | null> {
  if (!ctx.actor.userId) return null;
  const [a] = await rows<{ id: string; name: string }>(ctx.db, sql`SELECT id, name FROM cc_agents WHERE org_id = ${ctx.actor.orgId} AND user_id = ${ctx.actor.userId}`);
  return a ?? null;
}

async function shiftById(ctx: Ctx, id: string): Promise<ShiftRow> {
  const [s] = await ctx.db.select().from(wfmRosterShifts).where(and(eq(wfmRosterShifts.orgId, ctx.actor.orgId), eq(wfmRosterShifts.id, id)));
  if (!s) throw new NotFound('wfm_roster_shift');
  return s;
}

async function presentSwaps(ctx: Ctx, swaps: SwapRow[]): Promise<SwapOutput[]> {
  if (!swaps.length) return [];
  const shiftIds = swaps.flatMap((s) => [s.fromShiftId, ...(s.toShiftId ? [s.toShiftId] : [])]);
  const shifts = await ctx.db.select().from(wfmRosterShifts).where(and(eq(wfmRosterShifts.orgId, ctx.actor.orgId), sql`${wfmRosterShifts.id} = ANY(${`{${shiftIds.join(',')}}`}::uuid[])`));
  const byId = new Map(shifts.map((s) => [s.id, s]));
  const names = await agentNames(ctx, [...swaps.flatMap((s) => [s.fromAgentId, s.toAgentId]), ...shifts.map((s) => s.agentId)]);
  return swaps.filter((s) => byId.has(s.fromShiftId)).map((s) => ({
    id: s.id, rosterId: s.rosterId, fromAgentId: s.fromAgentId, fromAgentName: names.get(s.fromAgentId) ?? '', fromShift: presentRosterShift(byId.get(s.fromShiftId)!, names),
    toAgentId: s.toAgentId, toAgentName: names.get(s.toAgentId) ?? '', toShift: s.toShiftId && byId.has(s.toShiftId) ? presentRosterShift(byId.get(s.toShiftId)!, names) : null,
    status: s.status, note: s.note, violations: s.violations as RosterViolation[], version: s.version, createdAt: s.createdAt.toISOString(),
  }));
}

export async function createSwapRequest(ctx: Ctx, raw: CreateSwapInput): Promise<SwapOutput> {
  if (!can(ctx.actor, 'wfm.read_own') && !can(ctx.actor, 'wfm.plan')) throw new Forbidden('wfm.read_own');
  const input = createSwapInput.parse(raw);
  const from = await shiftById(ctx, input.fromShiftId);
  const me = await ownAgent(ctx);
  if (!can(ctx.actor, 'wfm.plan') && from.agentId !== me?.id) throw new Invalid([fieldError('fromShiftId', 'not_your_shift', 'wfm.not_your_shift')]);
  if (input.toAgentId === from.agentId) throw new Invalid([fieldError('toAgentId', 'same_agent', 'wfm.unknown_agent')]);
  const [inRoster] = await rows<{ one: number }>(ctx.db, sql`SELECT 1 AS one FROM wfm_rosters r, jsonb_array_elements(r.problem -> 'agents') a
    WHERE r.org_id = ${ctx.actor.orgId} AND r.id = ${from.rosterId} AND a ->> 'id' = ${input.toAgentId}`);
  if (!inRoster) throw new Invalid([fieldError('toAgentId', 'unknown_agent', 'wfm.unknown_agent')]);
  if (input.toShiftId) {
    const to = await shiftById(ctx, input.toShiftId);
    if (to.agentId !== input.toAgentId || to.rosterId !== from.rosterId) throw new Invalid([fieldError('toShiftId', 'shift_mismatch', 'wfm.shift_mismatch')]);
  }
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.insert(wfmSwapRequests).values({
      id: newId(), orgId: ctx.actor.orgId, rosterId: from.rosterId, fromAgentId: from.agentId, fromShiftId: from.id, toAgentId: input.toAgentId, toShiftId: input.toShiftId,
      note: input.note ?? null, createdAt: ctx.now(), updatedAt: ctx.now(),
    }).returning();
    await audit(ctx, { action: 'wfm_swap.create', entityType: 'wfm_swap', entityId: row.id, data: { ...input } }, tx);
    return (await presentSwaps({ ...ctx, db: tx }, [row]))[0];
  });
}

/** The roster's assignments with the swap applied, and the hard-rule violations that touch the two agents. */
export async function swapViolations(ctx: Ctx, swap: SwapRow): Promise<RosterViolation[]> {
  const [roster] = await ctx.db.select().from(wfmRosters).where(and(eq(wfmRosters.orgId, ctx.actor.orgId), eq(wfmRosters.id, swap.rosterId)));
  if (!roster) throw new NotFound('wfm_roster');
  const problem = roster.problem as RosterProblem;
  const shifts = await ctx.db.select().from(wfmRosterShifts).where(and(eq(wfmRosterShifts.orgId, ctx.actor.orgId), eq(wfmRosterShifts.rosterId, swap.rosterId)));
  const assignments = shifts.map((s) => {
    let agentId = s.agentId;
    if (s.id === swap.fromShiftId) agentId = swap.toAgentId;
    else if (s.id === swap.toShiftId) agentId = swap.fromAgentId;
    // The skill plan moves with the shift: an agent lacking a skill it serves breaks the 'skill' rule.
    return s.skills ? { agentId, day: s.day, shift: s.shiftId, skillPlan: s.skills } : { agentId, day: s.day, shift: s.shiftId };
  });
  return checkRoster(problem, assignments).filter((v) => v.agentId === swap.fromAgentId || v.agentId === swap.toAgentId);
}

export async function decideSwapRequest(ctx: Ctx, id: string, raw: DecideSwapInput): Promise<SwapOutput> {
  const input = decideSwapInput.parse(raw);
  const [swap] = await ctx.db.select().from(wfmSwapRequests).where(and(eq(wfmSwapRequests.orgId, ctx.actor.orgId), eq(wfmSwapRequests.id, id)));
  if (!swap) throw new NotFound('wfm_swap');
  const me = await ownAgent(ctx);
  const planner = can(ctx.actor, 'wfm.plan');
  const step: Record<DecideSwapInput['decision'], { from: SwapRow['status'][]; to: SwapRow['status']; allowed: boolean }> = {
    accept: { from: ['pending'], to: 'accepted', allowed: me?.id === swap.toAgentId },
    decline: { from: ['pending'], to: 'declined', allowed: me?.id === swap.toAgentId },
    cancel: { from: ['pending', 'accepted'], to: 'cancelled', allowed: me?.id === swap.fromAgentId || planner },
    approve: { from: ['accepted'], to: 'approved', allowed: planner },
    reject: { from: ['pending', 'accepted'], to: 'rejected', allowed: planner },
  };
  const s = step[input.decision];
  if (!s.allowed) throw new Forbidden(input.decision === 'approve' || input.decision === 'reject' ? 'wfm.plan' : 'wfm.read_own');
  if (swap.version !== input.version) throw new Conflict('error.stale_version', {}, (await presentSwaps(ctx, [swap]))[0]);
  if (!s.from.includes(swap.status)) throw new Conflict('error.wfm_swap_state', { status: swap.status });
  if (input.decision === 'approve' || input.decision === 'accept') {
    const violations = await swapViolations(ctx, swap);
    if (violations.length) {
      await ctx.db.update(wfmSwapRequests).set({ violations, updatedAt: ctx.now() }).where(eq(wfmSwapRequests.id, id));
      throw new Conflict('error.wfm_swap_breaks_rules', { rules: [...new Set(violations.map((v) => v.rule))].join(', ') }, { violations });
    }
  }
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.update(wfmSwapRequests).set({ status: s.to, violations: [], version: swap.version + 1, updatedAt: ctx.now() })
      .where(and(eq(wfmSwapRequests.id, id), eq(wfmSwapRequests.version, input.version))).returning();
    if (!row) throw new Conflict('error.stale_version');
    if (s.to === 'approved') {
      const moved = await tx.update(wfmRosterShifts).set({ agentId: swap.toAgentId, version: sql`${wfmRosterShifts.version} + 1` })
        .where(and(eq(wfmRosterShifts.id, swap.fromShiftId), eq(wfmRosterShifts.agentId, swap.fromAgentId))).returning({ id: wfmRosterShifts.id });
      if (!moved.length) throw new Conflict('error.stale_version');
      if (swap.toShiftId) {
        const back = await tx.update(wfmRosterShifts).set({ agentId: swap.fromAgentId, version: sql`${wfmRosterShifts.version} + 1` })
          .where(and(eq(wfmRosterShifts.id, swap.toShiftId), eq(wfmRosterShifts.agentId, swap.toAgentId))).returning({ id: wfmRosterShifts.id });
        if (!back.length) throw new Conflict('error.stale_version');
      }
    }
    await audit(ctx, { action: `wfm_swap.${input.decision}`, entityType: 'wfm_swap', entityId: id, data: { status: s.to } }, tx);
    return (await presentSwaps({ ...ctx, db: tx }, [row]))[0];
  });
}

export async function listSwapRequests(ctx: Ctx, filter: { rosterId?: string } = {}): Promise<SwapOutput[]> {
  const conds = [eq(wfmSwapRequests.orgId, ctx.actor.orgId)];
  if (filter.rosterId) conds.push(eq(wfmSwapRequests.rosterId, filter.rosterId));
  if (!can(ctx.actor, 'wfm.read')) {
    assertCan(ctx.actor, 'wfm.read_own');
    const me = await ownAgent(ctx);
    if (!me) return [];
    conds.push(or(eq(wfmSwapRequests.fromAgentId, me.id), eq(wfmSwapRequests.toAgentId, me.id))!);
  }
  const found = await ctx.db.select().from(wfmSwapRequests).where(and(...conds)).orderBy(asc(wfmSwapRequests.createdAt)).limit(200);
  return presentSwaps(ctx, found);
}

/** The acting agent's rostered shifts in a date range (default: from 7 days ago for 5 weeks), their swaps and their roster colleagues. */
export async function mySchedule(ctx: Ctx, raw: { from?: string; to?: string } = {}): Promise<MyScheduleOutput> {
  if (!can(ctx.actor, 'wfm.read_own')) throw new Forbidden('wfm.read_own');
  const q = scheduleQuery.parse(raw);
  const me = await ownAgent(ctx);
  if (!me) throw new NotFound('cc_agent');
  const tz = await orgTimeZone(ctx.db, ctx.actor.orgId);
  const from = q.from ? sql`(${q.from}::date)::timestamp AT TIME ZONE ${tz}` : sql`${new Date(ctx.now().getTime() - 7 * 86_400_000).toISOString()}::timestamptz`;
  const to = q.to ? sql`(${q.to}::date)::timestamp AT TIME ZONE ${tz}` : sql`${new Date(ctx.now().getTime() + 35 * 86_400_000).toISOString()}::timestamptz`;
  const shifts = await ctx.db.select().from(wfmRosterShifts)
    .where(and(eq(wfmRosterShifts.orgId, ctx.actor.orgId), eq(wfmRosterShifts.agentId, me.id), sql`${wfmRosterShifts.startsAt} >= ${from}`, sql`${wfmRosterShifts.startsAt} < ${to}`))
    .orderBy(asc(wfmRosterShifts.startsAt));
  const rosterIds = [...new Set(shifts.map((s) => s.rosterId))];
  const colleagues = rosterIds.length ? await rows<{ id: string; name: string }>(ctx.db, sql`
    SELECT DISTINCT a ->> 'id' AS id, a ->> 'name' AS name FROM wfm_rosters r, jsonb_array_elements(r.problem -> 'agents') a
    WHERE r.org_id = ${ctx.actor.orgId} AND r.id = ANY(${`{${rosterIds.join(',')}}`}::uuid[]) AND a ->> 'id' <> ${me.id} ORDER BY 2`) : [];
  const names = new Map([[me.id, me.name]]);
  return { agentId: me.id, agentName: me.name, shifts: shifts.map((s) => presentRosterShift(s, names)), swaps: await listSwapRequests(ctx), colleagues };
}

/** Shifts of a colleague in the same roster (so an agent can pick one to swap for). */
export async function agentShifts(ctx: Ctx, rosterId: string, agentId: string): Promise<ReturnType<typeof presentRosterShift>[]> {
  if (!can(ctx.actor, 'wfm.read_own') && !can(ctx.actor, 'wfm.read')) throw new Forbidden('wfm.read_own');
  const found = await ctx.db.select().from(wfmRosterShifts).where(and(eq(wfmRosterShifts.orgId, ctx.actor.orgId), eq(wfmRosterShifts.rosterId, rosterId), eq(wfmRosterShifts.agentId, agentId))).orderBy(asc(wfmRosterShifts.startsAt));
  const names = await agentNames(ctx, [agentId]);
  return found.map((s) => presentRosterShift(s, names));
}
