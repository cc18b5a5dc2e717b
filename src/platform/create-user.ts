import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { audit } from './audit.ts';
import { assertCan, type Ctx } from './context.ts';
import { Conflict, Invalid, fieldError } from './errors.ts';
import { newId } from './ids.ts';
import { hashPassword } from './passwords.ts';
import { roles } from './permissions.ts';
import { teams, territories, users } from './tables.ts';

export const createUserInput = z.object({
  email: z.string().trim().toLowerCase().email(),
  password: z.string().min(8).max(200),
  name: z.string().trim().min(1).max(100),
  role: z.enum(roles),
  territoryIds: z.array(z.string().uuid()).max(100).default([]),
  /** The user's team (班组), if any. */
  teamId: z.string().uuid().nullable().default(null),
  locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
});
export type CreateUserInput = z.input<typeof createUserInput>;

export const userOutput = z.object({
  id: z.string().uuid(),
  email: z.string(),
  name: z.string(),
  role: z.enum(roles),
  territoryIds: z.array(z.string()),
  teamId: z.string().nullable(),
  locale: z.string(),
  active: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
});
export type UserOutput = z.infer<typeof userOutput>;

type UserRow = typeof users.$inferSelect;
export function presentUser(u: UserRow): UserOutput {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role as UserOutput['role'],
    territoryIds: u.territoryIds,
    teamId: u.teamId,
    locale: u.locale,
    active: u.active,
    version: u.version,
    createdAt: u.createdAt.toISOString(),
  };
}

export async function createUser(ctx: Ctx, raw: CreateUserInput): Promise<UserOutput> {
  assertCan(ctx.actor, 'user.manage');
  const input = createUserInput.parse(raw);
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${input.email}`);
    if (taken) throw new Conflict('error.email_taken', { email: input.email });
    if (input.territoryIds.length) {
      const found = await tx
        .select({ id: territories.id })
        .from(territories)
        .where(and(eq(territories.orgId, ctx.actor.orgId), inArray(territories.id, input.territoryIds)));
      if (found.length !== new Set(input.territoryIds).size) {
        throw new Invalid([fieldError('territoryIds', 'unknown_territory', 'field.platform.unknown_territory')]);
      }
    }
    if (input.teamId) {
      const [team] = await tx.select({ id: teams.id }).from(teams).where(and(eq(teams.orgId, ctx.actor.orgId), eq(teams.id, input.teamId)));
      if (!team) throw new Invalid([fieldError('teamId', 'unknown_team', 'field.platform.unknown_team')]);
    }
    const [row] = await tx
      .insert(users)
      .values({
        id: newId(),
        orgId: ctx.actor.orgId,
        email: input.email,
        name: input.name,
        passwordHash,
        role: input.role,
        territoryIds: input.territoryIds,
        teamId: input.teamId,
        locale: input.locale,
        createdAt: ctx.now(),
        updatedAt: ctx.now(),
      })
      .returning();
    await audit(ctx, { action: 'user.create', entityType: 'user', entityId: row.id, data: { email: input.email, role: input.role, teamId: input.teamId } }, tx);
    return presentUser(row);
  });
}

export async function listUsers(ctx: Ctx): Promise<UserOutput[]> {
  assertCan(ctx.actor, 'user.manage');
  const rows = await ctx.db.select().from(users).where(eq(users.orgId, ctx.actor.orgId)).orderBy(users.createdAt);
  return rows.map(presentUser);
}
