// Teams (班组): named groups of staff such as 一线客服 or 投诉专席. Service orders are assigned to
// a team, "my team" views and escalations use them. A user belongs to at most one team (users.team_id,
// set with setUserTeam). Admins create and rename teams; any staff member may list them.
import { and, eq, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { audit } from './audit.ts';
import { assertCan, type Ctx } from './context.ts';
import { Conflict, isUniqueViolation, NotFound } from './errors.ts';
import { registerMessages } from '../i18n/messages.ts';
import { newId } from './ids.ts';
import { teams, users } from './tables.ts';
import type { Db } from '../db/open.ts';

registerMessages({
  'error.team_exists': { 'zh-CN': '班组 {name} 已存在', en: 'The team {name} already exists' },
  'entity.team': { 'zh-CN': '班组', en: 'team' },
});

export const createTeamInput = z.object({
  name: z.string().trim().min(1).max(100),
});
export type CreateTeamInput = z.input<typeof createTeamInput>;

export const updateTeamInput = z.object({
  name: z.string().trim().min(1).max(100),
  version: z.number().int().min(1),
});
export type UpdateTeamInput = z.input<typeof updateTeamInput>;

export const teamOutput = z.object({
  id: z.string(),
  name: z.string(),
  /** Active users in the team. */
  memberCount: z.number().int(),
  version: z.number().int(),
  createdAt: z.string(),
});
export type TeamOutput = z.infer<typeof teamOutput>;

/** Teams with their active member counts, counted in SQL (teams left join users, grouped). */
function selectTeams(db: Db) {
  return db
    .select({
      id: teams.id,
      name: teams.name,
      memberCount: sql<number>`count(${users.id})::int`,
      version: teams.version,
      createdAt: teams.createdAt,
    })
    .from(teams)
    .leftJoin(users, and(eq(users.teamId, teams.id), eq(users.active, true)));
}

async function readTeam(db: Db, orgId: string, id: string): Promise<TeamOutput | undefined> {
  const [row] = await selectTeams(db).where(and(eq(teams.orgId, orgId), eq(teams.id, id))).groupBy(teams.id);
  return row && present(row);
}

function present(r: { id: string; name: string; memberCount: number; version: number; createdAt: Date }): TeamOutput {
  return { id: r.id, name: r.name, memberCount: Number(r.memberCount), version: r.version, createdAt: r.createdAt.toISOString() };
}

/** Runs `write`, turning a unique violation on (org, name) from a concurrent writer into the usual 409. */
async function uniqueName<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err)) throw new Conflict('error.team_exists', { name });
    throw err;
  }
}

export async function createTeam(ctx: Ctx, raw: CreateTeamInput): Promise<TeamOutput> {
  assertCan(ctx.actor, 'user.manage');
  const input = createTeamInput.parse(raw);
  return uniqueName(input.name, () =>
    ctx.db.transaction(async (tx) => {
      const [taken] = await tx
        .select({ id: teams.id })
        .from(teams)
        .where(and(eq(teams.orgId, ctx.actor.orgId), eq(teams.name, input.name)));
      if (taken) throw new Conflict('error.team_exists', { name: input.name });
      const [row] = await tx
        .insert(teams)
        .values({ id: newId(), orgId: ctx.actor.orgId, name: input.name, createdAt: ctx.now() })
        .returning();
      await audit(ctx, { action: 'team.create', entityType: 'team', entityId: row.id, data: { name: row.name } }, tx);
      return present({ ...row, memberCount: 0 });
    }),
  );
}

/** The organization's teams by name, each with its number of active members. Any staff member may list. */
export async function listTeams(ctx: Ctx): Promise<TeamOutput[]> {
  const rows = await selectTeams(ctx.db).where(eq(teams.orgId, ctx.actor.orgId)).groupBy(teams.id).orderBy(teams.name);
  return rows.map(present);
}

/** Renames a team. `version` must be the one read; otherwise 409 with the current team. */
export async function updateTeam(ctx: Ctx, id: string, raw: UpdateTeamInput): Promise<TeamOutput> {
  assertCan(ctx.actor, 'user.manage');
  const input = updateTeamInput.parse(raw);
  const orgId = ctx.actor.orgId;
  return uniqueName(input.name, () =>
    ctx.db.transaction(async (tx) => {
      const before = await readTeam(tx, orgId, id);
      if (!before) throw new NotFound('team');
      if (before.version !== input.version) throw new Conflict('error.stale_version', {}, before);
      const [taken] = await tx
        .select({ id: teams.id })
        .from(teams)
        .where(and(eq(teams.orgId, orgId), eq(teams.name, input.name), ne(teams.id, id)));
      if (taken) throw new Conflict('error.team_exists', { name: input.name });
      const updated = await tx
        .update(teams)
        .set({ name: input.name, version: sql`${teams.version} + 1` })
        .where(and(eq(teams.orgId, orgId), eq(teams.id, id), eq(teams.version, input.version)))
        .returning({ id: teams.id });
      if (updated.length !== 1) throw new Conflict('error.stale_version', {}, await readTeam(tx, orgId, id));
      await audit(ctx, { action: 'team.update', entityType: 'team', entityId: id, data: { from: before.name, to: input.name } }, tx);
      return (await readTeam(tx, orgId, id))!;
    }),
  );
}
