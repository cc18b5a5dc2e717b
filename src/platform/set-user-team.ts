// Puts a user in a team (班组) or takes them out of it (teamId null). Admins only, audited.
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { audit } from './audit.ts';
import { assertCan, type Ctx } from './context.ts';
import { presentUser, type UserOutput } from './create-user.ts';
import { Invalid, NotFound, fieldError } from './errors.ts';
import { teams, users } from './tables.ts';

export const setUserTeamInput = z.object({
  teamId: z.string().uuid().nullable(),
});
export type SetUserTeamInput = z.input<typeof setUserTeamInput>;

export async function setUserTeam(ctx: Ctx, userId: string, raw: SetUserTeamInput): Promise<UserOutput> {
  assertCan(ctx.actor, 'user.manage');
  const input = setUserTeamInput.parse(raw);
  const orgId = ctx.actor.orgId;
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx
      .select({ id: users.id, teamId: users.teamId })
      .from(users)
      .where(and(eq(users.orgId, orgId), eq(users.id, userId)))
      .for('update');
    if (!before) throw new NotFound('user');
    if (input.teamId) {
      const [team] = await tx.select({ id: teams.id }).from(teams).where(and(eq(teams.orgId, orgId), eq(teams.id, input.teamId)));
      if (!team) throw new Invalid([fieldError('teamId', 'unknown_team', 'field.platform.unknown_team')]);
    }
    const [row] = await tx
      .update(users)
      .set({ teamId: input.teamId, version: sql`${users.version} + 1`, updatedAt: ctx.now() })
      .where(and(eq(users.orgId, orgId), eq(users.id, userId)))
      .returning();
    await audit(ctx, { action: 'user.set_team', entityType: 'user', entityId: userId, data: { from: before.teamId, to: input.teamId } }, tx);
    return presentUser(row);
  });
}
