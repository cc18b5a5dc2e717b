import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { audit } from './audit.ts';
import { assertCan, type Ctx } from './context.ts';
import { Conflict, Invalid, fieldError } from './errors.ts';
import { registerMessages } from '../i18n/messages.ts';
import { newId } from './ids.ts';
import { territories } from './tables.ts';
import { regionByCode } from './regions.ts';

registerMessages({
  'error.territory_exists': { 'zh-CN': '片区 {name} 已存在', en: 'The territory {name} already exists' },
});

export const createTerritoryInput = z.object({
  name: z.string().trim().min(1).max(100),
  parentId: z.string().uuid().nullable().default(null),
  regionCodes: z.array(z.string().regex(/^\d{6}$/)).min(1).max(500),
});

export const territoryOutput = z.object({
  id: z.string(),
  name: z.string(),
  parentId: z.string().nullable(),
  regionCodes: z.array(z.string()),
});

export async function createTerritory(ctx: Ctx, raw: z.input<typeof createTerritoryInput>) {
  assertCan(ctx.actor, 'settings.manage');
  const input = createTerritoryInput.parse(raw);
  const unknown = input.regionCodes.filter((c) => !regionByCode(c));
  if (unknown.length) {
    throw new Invalid(unknown.map((c) => fieldError('regionCodes', 'unknown_region', 'field.platform.unknown_region', { code: c })));
  }
  return ctx.db.transaction(async (tx) => {
    const [taken] = await tx
      .select({ id: territories.id })
      .from(territories)
      .where(and(eq(territories.orgId, ctx.actor.orgId), eq(territories.name, input.name)));
    if (taken) throw new Conflict('error.territory_exists', { name: input.name });
    if (input.parentId) {
      const [parent] = await tx
        .select({ id: territories.id })
        .from(territories)
        .where(and(eq(territories.orgId, ctx.actor.orgId), eq(territories.id, input.parentId)));
      if (!parent) throw new Invalid([fieldError('parentId', 'unknown_territory', 'field.platform.unknown_territory')]);
    }
    const [row] = await tx
      .insert(territories)
      .values({ id: newId(), orgId: ctx.actor.orgId, name: input.name, parentId: input.parentId, regionCodes: input.regionCodes })
      .returning();
    await audit(ctx, { action: 'territory.create', entityType: 'territory', entityId: row.id, data: input }, tx);
    return { id: row.id, name: row.name, parentId: row.parentId, regionCodes: row.regionCodes };
  });
}

export async function listTerritories(ctx: Ctx) {
  const rows = await ctx.db.select().from(territories).where(eq(territories.orgId, ctx.actor.orgId)).orderBy(territories.name);
  return rows.map((r) => ({ id: r.id, name: r.name, parentId: r.parentId, regionCodes: r.regionCodes }));
}
