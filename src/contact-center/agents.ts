// Agents (坐席): a user with a PBX extension, a team, skills (proficiency 1–5) and a current state.
// States are kept as events (cc_agent_state_events); the agent row holds the latest one.
import { and, asc, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { rows, type Db } from '../db/open.ts';
import { audit } from '../platform/audit.ts';
import { assertCan, can, type Ctx } from '../platform/context.ts';
import { Conflict, Forbidden, Invalid, NotFound, isUniqueViolation, type KeyedFieldError, fieldError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { teams, users } from '../platform/tables.ts';
import './messages.ts';
import {
  agentStateBatchInput, agentStateInput, createAgentInput, updateAgentInput,
  type AgentOutput, type CreateAgentInput, type UpdateAgentInput,
} from './schemas.ts';
import { ccAgents, ccAgentStateEvents, ccSkills, type AgentState } from './tables.ts';

type AgentRow = typeof ccAgents.$inferSelect;

export function presentAgent(r: AgentRow): AgentOutput {
  return {
    id: r.id, userId: r.userId, extension: r.extension, name: r.name, teamId: r.teamId, skills: r.skills, state: r.state,
    stateSince: r.stateSince ? r.stateSince.toISOString() : null, active: r.active, version: r.version,
  };
}

async function checkRefs(ctx: Ctx, db: Db, input: { userId?: string | null; teamId?: string | null; skills?: { skillId: string }[] }): Promise<void> {
  const errors: KeyedFieldError[] = [];
  if (input.userId) {
    const [u] = await db.select({ id: users.id }).from(users).where(and(eq(users.orgId, ctx.actor.orgId), eq(users.id, input.userId)));
    if (!u) errors.push(fieldError('userId', 'unknown_user', 'cc.unknown_user'));
  }
  if (input.teamId) {
    const [tm] = await db.select({ id: teams.id }).from(teams).where(and(eq(teams.orgId, ctx.actor.orgId), eq(teams.id, input.teamId)));
    if (!tm) errors.push(fieldError('teamId', 'unknown_team', 'cc.unknown_team'));
  }
  if (input.skills?.length) {
    const ids = input.skills.map((s) => s.skillId);
    const found = new Set((await db.select({ id: ccSkills.id }).from(ccSkills).where(and(eq(ccSkills.orgId, ctx.actor.orgId), inArray(ccSkills.id, ids)))).map((r) => r.id));
    const seen = new Set<string>();
    input.skills.forEach((s, i) => {
      if (!found.has(s.skillId) || seen.has(s.skillId)) errors.push(fieldError(`skills.${i}.skillId`, 'unknown_skill', 'cc.unknown_skill'));
      seen.add(s.skillId);
    });
  }
  if (errors.length) throw new Invalid(errors);
}

export async function createAgent(ctx: Ctx, raw: CreateAgentInput): Promise<AgentOutput> {
  assertCan(ctx.actor, 'contact_center.manage');
  const input = createAgentInput.parse(raw);
  try {
    return await ctx.db.transaction(async (tx) => {
      await checkRefs(ctx, tx, input);
      const [row] = await tx.insert(ccAgents).values({
        id: newId(), orgId: ctx.actor.orgId, ...input, userId: input.userId ?? null, teamId: input.teamId ?? null, createdAt: ctx.now(), updatedAt: ctx.now(),
      }).returning();
      await audit(ctx, { action: 'cc_agent.create', entityType: 'cc_agent', entityId: row.id, data: { ...input } }, tx);
      return presentAgent(row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new Conflict('error.cc_agent_exists', { extension: input.extension });
    throw err;
  }
}

/** Everyone's agents with contact_center.read; with only read_own, the actor's own agent record. */
export async function listAgents(ctx: Ctx, filter: { teamId?: string } = {}): Promise<AgentOutput[]> {
  const conds = [eq(ccAgents.orgId, ctx.actor.orgId)];
  if (!can(ctx.actor, 'contact_center.read')) {
    assertCan(ctx.actor, 'contact_center.read_own');
    conds.push(eq(ccAgents.userId, ctx.actor.userId ?? '00000000-0000-0000-0000-000000000000'));
  }
  if (filter.teamId) conds.push(eq(ccAgents.teamId, filter.teamId));
  return (await ctx.db.select().from(ccAgents).where(and(...conds)).orderBy(asc(ccAgents.extension))).map(presentAgent);
}

/** The agent, if the actor may see it: everyone's with contact_center.read, else only their own. */
export async function findAgentInScope(ctx: Ctx, db: Db, id: string): Promise<AgentRow> {
  const [row] = await db.select().from(ccAgents).where(and(eq(ccAgents.orgId, ctx.actor.orgId), eq(ccAgents.id, id)));
  if (!row) throw new NotFound('cc_agent');
  if (can(ctx.actor, 'contact_center.read')) return row;
  if (can(ctx.actor, 'contact_center.read_own') && row.userId !== null && row.userId === ctx.actor.userId) return row;
  throw new NotFound('cc_agent');
}

export async function getAgent(ctx: Ctx, id: string): Promise<AgentOutput> {
  if (!can(ctx.actor, 'contact_center.read') && !can(ctx.actor, 'contact_center.read_own')) throw new Forbidden('contact_center.read');
  return presentAgent(await findAgentInScope(ctx, ctx.db, id));
}

export async function updateAgent(ctx: Ctx, id: string, raw: UpdateAgentInput): Promise<AgentOutput> {
  assertCan(ctx.actor, 'contact_center.manage');
  const { version, ...changes } = updateAgentInput.parse(raw);
  try {
    return await ctx.db.transaction(async (tx) => {
      const [before] = await tx.select().from(ccAgents).where(and(eq(ccAgents.orgId, ctx.actor.orgId), eq(ccAgents.id, id))).for('update');
      if (!before) throw new NotFound('cc_agent');
      if (before.version !== version) throw new Conflict('error.stale_version', {}, presentAgent(before));
      await checkRefs(ctx, tx, changes);
      const [row] = await tx.update(ccAgents).set({ ...changes, version: before.version + 1, updatedAt: ctx.now() }).where(eq(ccAgents.id, id)).returning();
      await audit(ctx, { action: 'cc_agent.update', entityType: 'cc_agent', entityId: id, data: { version: row.version, changes } }, tx);
      return presentAgent(row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new Conflict('error.cc_agent_exists', { extension: changes.extension ?? '' });
    throw err;
  }
}

/**
 * An agent's state change (available, on_call, after_call_work, break, offline): supervisors for anyone,
 * an agent for themself. Recorded as an event; the current state moves only when the event is the newest.
 */
export async function setAgentState(ctx: Ctx, id: string, raw: z.input<typeof agentStateInput>): Promise<AgentOutput> {
  // Without any contact center right: 403 before looking the agent up (not a 404 that tells nothing).
  if (!can(ctx.actor, 'contact_center.manage') && !can(ctx.actor, 'contact_center.read_own')) throw new Forbidden('contact_center.manage');
  const input = agentStateInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const agent = await findAgentInScope(ctx, tx, id);
    const own = agent.userId !== null && agent.userId === ctx.actor.userId;
    if (!can(ctx.actor, 'contact_center.manage') && !(own && can(ctx.actor, 'contact_center.read_own'))) throw new Forbidden('contact_center.manage');
    const at = input.at ? new Date(input.at) : ctx.now();
    await tx.insert(ccAgentStateEvents).values({ id: newId(), orgId: ctx.actor.orgId, agentId: id, state: input.state, reason: input.reason ?? null, at, recordedAt: ctx.now() });
    const [row] = await tx.update(ccAgents).set({ state: sql`CASE WHEN state_since IS NULL OR state_since <= ${at.toISOString()}::timestamptz THEN ${input.state} ELSE state END`, stateSince: sql`GREATEST(state_since, ${at.toISOString()}::timestamptz)` })
      .where(eq(ccAgents.id, id)).returning();
    return presentAgent(row);
  });
}

/**
 * States from the PBX integration, by extension, in one statement: events are written and each agent's
 * current state moves to its newest event when that is newer. Unknown extensions are counted, not stored.
 */
export async function recordAgentStates(ctx: Ctx, raw: z.input<typeof agentStateBatchInput>): Promise<{ received: number; recorded: number }> {
  assertCan(ctx.actor, 'cti.ingest');
  const input = agentStateBatchInput.parse(raw);
  const payload = JSON.stringify(input.events.map((e) => ({ id: newId(), agent: e.agent, state: e.state, reason: e.reason ?? null, at: e.at })));
  const [res] = await rows<{ recorded: number }>(ctx.db, sql`
    WITH input AS (
      SELECT x.id, a.id AS agent_id, x.state, x.reason, x.at
      FROM jsonb_to_recordset(${payload}::jsonb) AS x(id uuid, agent text, state text, reason text, at timestamptz)
      JOIN cc_agents a ON a.org_id = ${ctx.actor.orgId} AND a.extension = x.agent
    ), ins AS (
      INSERT INTO cc_agent_state_events (id, org_id, agent_id, state, reason, at, recorded_at)
      SELECT id, ${ctx.actor.orgId}, agent_id, state, reason, at, ${ctx.now().toISOString()}::timestamptz FROM input RETURNING agent_id
    ), latest AS (
      SELECT DISTINCT ON (agent_id) agent_id, state, at FROM input ORDER BY agent_id, at DESC
    ), upd AS (
      UPDATE cc_agents a SET state = l.state, state_since = l.at FROM latest l
      WHERE a.id = l.agent_id AND (a.state_since IS NULL OR a.state_since <= l.at) RETURNING a.id
    )
    SELECT (SELECT count(*) FROM ins)::int AS recorded`);
  return { received: input.events.length, recorded: res?.recorded ?? 0 };
}

export async function listAgentStateEvents(ctx: Ctx, id: string, q: { from?: string; to?: string }): Promise<{ id: string; agentId: string; state: AgentState; reason: string | null; at: string }[]> {
  if (!can(ctx.actor, 'contact_center.read') && !can(ctx.actor, 'contact_center.read_own')) throw new Forbidden('contact_center.read');
  await findAgentInScope(ctx, ctx.db, id);
  const conds = [eq(ccAgentStateEvents.orgId, ctx.actor.orgId), eq(ccAgentStateEvents.agentId, id)];
  if (q.from) conds.push(gte(ccAgentStateEvents.at, new Date(q.from)));
  if (q.to) conds.push(lt(ccAgentStateEvents.at, new Date(q.to)));
  const found = await ctx.db.select().from(ccAgentStateEvents).where(and(...conds)).orderBy(desc(ccAgentStateEvents.at)).limit(1000);
  return found.map((r) => ({ id: r.id, agentId: r.agentId, state: r.state, reason: r.reason, at: r.at.toISOString() }));
}
