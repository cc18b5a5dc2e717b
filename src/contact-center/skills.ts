// Skills (技能): what a queue requires and agents hold with a proficiency.
import { and, asc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Conflict, NotFound, isUniqueViolation } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import './messages.ts';
import { assertCcRead } from './queues.ts';
import { createSkillInput, updateSkillInput, type SkillOutput } from './schemas.ts';
import { ccSkills } from './tables.ts';

const present = (r: typeof ccSkills.$inferSelect): SkillOutput => ({ id: r.id, key: r.key, name: r.name, version: r.version });

export async function createSkill(ctx: Ctx, raw: z.input<typeof createSkillInput>): Promise<SkillOutput> {
  assertCan(ctx.actor, 'contact_center.manage');
  const input = createSkillInput.parse(raw);
  try {
    return await ctx.db.transaction(async (tx) => {
      const [row] = await tx.insert(ccSkills).values({ id: newId(), orgId: ctx.actor.orgId, ...input, createdAt: ctx.now() }).returning();
      await audit(ctx, { action: 'cc_skill.create', entityType: 'cc_skill', entityId: row.id, data: input }, tx);
      return present(row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new Conflict('error.cc_skill_exists', { key: input.key });
    throw err;
  }
}

export async function listSkills(ctx: Ctx): Promise<SkillOutput[]> {
  assertCcRead(ctx);
  return (await ctx.db.select().from(ccSkills).where(eq(ccSkills.orgId, ctx.actor.orgId)).orderBy(asc(ccSkills.key))).map(present);
}

export async function updateSkill(ctx: Ctx, id: string, raw: z.input<typeof updateSkillInput>): Promise<SkillOutput> {
  assertCan(ctx.actor, 'contact_center.manage');
  const input = updateSkillInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(ccSkills).where(and(eq(ccSkills.orgId, ctx.actor.orgId), eq(ccSkills.id, id))).for('update');
    if (!before) throw new NotFound('cc_skill');
    if (before.version !== input.version) throw new Conflict('error.stale_version', {}, present(before));
    const [row] = await tx.update(ccSkills).set({ name: input.name, version: before.version + 1 }).where(eq(ccSkills.id, id)).returning();
    await audit(ctx, { action: 'cc_skill.update', entityType: 'cc_skill', entityId: id, data: { name: input.name, version: row.version } }, tx);
    return present(row);
  });
}
