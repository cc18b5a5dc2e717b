// Agents' scheduling preferences (排班偏好): preferred and unwanted shifts (a shift kind such as the organization's
// humane happy-hour and family shifts, a template name, or a shift id), preferred weekdays off and a personal
// weekly-hours cap. An agent edits their own; a planner edits anyone's. Rosters use them (rosters.ts) unless the
// roster request gives an agent's preferences itself. Edits carry the version they read (409 when it moved).
import { and, asc, eq, sql } from 'drizzle-orm';
import { rows } from '../db/open.ts';
import { audit } from '../platform/audit.ts';
import { assertCan, can, type Ctx } from '../platform/context.ts';
import { Conflict, Forbidden, Invalid, NotFound, isUniqueViolation, type KeyedFieldError, fieldError } from '../platform/errors.ts';
import './messages.ts';
import { saveAgentPreferencesInput, type AgentPreferencesOutput, type SaveAgentPreferencesInput } from './schemas.ts';
import { ownAgent } from './swaps.ts';
import { shiftKinds, wfmAgentPreferences, wfmShiftTemplates } from './tables.ts';

type Row = typeof wfmAgentPreferences.$inferSelect;

/** A planner, or the agent linked to the acting user. */
async function assertMayEdit(ctx: Ctx, agentId: string): Promise<{ id: string; name: string }> {
  const [agent] = await rows<{ id: string; name: string }>(ctx.db, sql`SELECT id, name FROM cc_agents WHERE org_id = ${ctx.actor.orgId} AND id = ${agentId}`);
  if (can(ctx.actor, 'wfm.plan')) {
    if (!agent) throw new NotFound('cc_agent');
    return agent;
  }
  assertCan(ctx.actor, 'wfm.read_own');
  const own = await ownAgent(ctx);
  if (!own || own.id !== agentId) throw new Forbidden('wfm.plan');
  return own;
}

async function options(ctx: Ctx): Promise<AgentPreferencesOutput['options']> {
  const templates = await ctx.db.select({ name: wfmShiftTemplates.name, kind: wfmShiftTemplates.kind }).from(wfmShiftTemplates)
    .where(and(eq(wfmShiftTemplates.orgId, ctx.actor.orgId), eq(wfmShiftTemplates.active, 1))).orderBy(asc(wfmShiftTemplates.name));
  return { kinds: [...shiftKinds], templates };
}

function present(agent: { id: string; name: string }, r: Row | undefined, opts: AgentPreferencesOutput['options']): AgentPreferencesOutput {
  return {
    agentId: agent.id, agentName: agent.name, preferredShifts: r?.preferredShifts ?? [], unwantedShifts: r?.unwantedShifts ?? [], preferredWeekdaysOff: r?.preferredWeekdaysOff ?? [],
    maxHoursPerWeek: r?.maxHoursPerWeek ?? null, note: r?.note ?? null, version: r?.version ?? 0, updatedAt: r?.updatedAt.toISOString() ?? null, options: opts,
  };
}

async function load(ctx: Ctx, agentId: string): Promise<Row | undefined> {
  const [r] = await ctx.db.select().from(wfmAgentPreferences).where(and(eq(wfmAgentPreferences.orgId, ctx.actor.orgId), eq(wfmAgentPreferences.agentId, agentId)));
  return r;
}

export async function getAgentPreferences(ctx: Ctx, agentId: string): Promise<AgentPreferencesOutput> {
  const agent = await assertMayEdit(ctx, agentId);
  return present(agent, await load(ctx, agentId), await options(ctx));
}

/** Version 0 creates the agent's first preferences. */
export async function saveAgentPreferences(ctx: Ctx, agentId: string, raw: SaveAgentPreferencesInput): Promise<AgentPreferencesOutput> {
  const agent = await assertMayEdit(ctx, agentId);
  const input = saveAgentPreferencesInput.parse(raw);
  const opts = await options(ctx);
  const known = new Set<string>([...opts.kinds, ...opts.templates.map((x) => x.name)]);
  const errors: KeyedFieldError[] = [];
  input.preferredShifts.forEach((s, i) => { if (!known.has(s) && !s.includes('@')) errors.push(fieldError(`preferredShifts.${i}`, 'unknown_shift', 'wfm.unknown_shift', { shift: s })); });
  input.unwantedShifts.forEach((s, i) => {
    if (!known.has(s) && !s.includes('@')) errors.push(fieldError(`unwantedShifts.${i}`, 'unknown_shift', 'wfm.unknown_shift', { shift: s }));
    else if (input.preferredShifts.includes(s)) errors.push(fieldError(`unwantedShifts.${i}`, 'preferred_and_unwanted', 'wfm.preferred_and_unwanted', { shift: s }));
  });
  if (input.preferredWeekdaysOff.length > 5) errors.push(fieldError('preferredWeekdaysOff', 'too_many_days_off', 'wfm.too_many_days_off'));
  if (errors.length) throw new Invalid(errors);
  const values = {
    preferredShifts: [...new Set(input.preferredShifts)], unwantedShifts: [...new Set(input.unwantedShifts)], preferredWeekdaysOff: [...new Set(input.preferredWeekdaysOff)].sort(),
    maxHoursPerWeek: input.maxHoursPerWeek, note: input.note, updatedBy: ctx.actor.userId, updatedAt: ctx.now(),
  };
  const saved = await ctx.db.transaction(async (tx) => {
    let r: Row | undefined;
    if (input.version === 0) {
      try {
        [r] = await tx.insert(wfmAgentPreferences).values({ orgId: ctx.actor.orgId, agentId, ...values }).returning();
      } catch (err) {
        if (isUniqueViolation(err)) throw new Conflict();
        throw err;
      }
    } else {
      [r] = await tx.update(wfmAgentPreferences).set({ ...values, version: sql`${wfmAgentPreferences.version} + 1` })
        .where(and(eq(wfmAgentPreferences.orgId, ctx.actor.orgId), eq(wfmAgentPreferences.agentId, agentId), eq(wfmAgentPreferences.version, input.version))).returning();
    }
    if (!r) throw new Conflict();
    await audit(ctx, { action: 'wfm_preferences.save', entityType: 'cc_agent', entityId: agentId, data: { version: r.version } }, tx);
    return r;
  });
  return present(agent, saved, opts);
}

/** Stored preferences of these agents (rosters.ts). */
export async function storedPreferences(ctx: Ctx, agentIds: string[]): Promise<Map<string, Row>> {
  if (!agentIds.length) return new Map();
  const found = await ctx.db.select().from(wfmAgentPreferences)
    .where(and(eq(wfmAgentPreferences.orgId, ctx.actor.orgId), sql`${wfmAgentPreferences.agentId} = ANY(${`{${agentIds.join(',')}}`}::uuid[])`));
  return new Map(found.map((r) => [r.agentId, r]));
}
