// Shift templates (班次模板): length, cost, allowed start times, one break, and a kind: the organization's humane
// shift types ('happy_hour': a short evening-peak shift; 'family': school hours) besides standard ones.
import { and, asc, eq } from 'drizzle-orm';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Conflict, NotFound } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import './messages.ts';
import { createShiftTemplateInput, updateShiftTemplateInput, type CreateShiftTemplateInput, type ShiftTemplateOutput, type UpdateShiftTemplateInput } from './schemas.ts';
import { wfmShiftTemplates } from './tables.ts';

type Row = typeof wfmShiftTemplates.$inferSelect;
export const presentTemplate = (r: Row): ShiftTemplateOutput => ({
  id: r.id, name: r.name, kind: r.kind, lengthMinutes: r.lengthMinutes, cost: r.cost, startMinutes: r.startMinutes, breakRule: r.breakRule, maxPerDay: r.maxPerDay, active: r.active === 1, version: r.version,
});

export async function createShiftTemplate(ctx: Ctx, raw: CreateShiftTemplateInput): Promise<ShiftTemplateOutput> {
  assertCan(ctx.actor, 'wfm.plan');
  const input = createShiftTemplateInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const [dup] = await tx.select({ id: wfmShiftTemplates.id }).from(wfmShiftTemplates).where(and(eq(wfmShiftTemplates.orgId, ctx.actor.orgId), eq(wfmShiftTemplates.name, input.name)));
    if (dup) throw new Conflict('error.wfm_template_exists', { name: input.name });
    const [row] = await tx.insert(wfmShiftTemplates).values({ id: newId(), orgId: ctx.actor.orgId, ...input, createdAt: ctx.now(), updatedAt: ctx.now() }).returning();
    await audit(ctx, { action: 'wfm_shift_template.create', entityType: 'wfm_shift_template', entityId: row.id, data: { ...input } }, tx);
    return presentTemplate(row);
  });
}

export async function listShiftTemplates(ctx: Ctx): Promise<ShiftTemplateOutput[]> {
  assertCan(ctx.actor, 'wfm.read');
  return (await ctx.db.select().from(wfmShiftTemplates).where(eq(wfmShiftTemplates.orgId, ctx.actor.orgId)).orderBy(asc(wfmShiftTemplates.name))).map(presentTemplate);
}

export async function updateShiftTemplate(ctx: Ctx, id: string, raw: UpdateShiftTemplateInput): Promise<ShiftTemplateOutput> {
  assertCan(ctx.actor, 'wfm.plan');
  const { version, active, ...rest } = updateShiftTemplateInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const [cur] = await tx.select().from(wfmShiftTemplates).where(and(eq(wfmShiftTemplates.orgId, ctx.actor.orgId), eq(wfmShiftTemplates.id, id)));
    if (!cur) throw new NotFound('wfm_shift_template');
    if (cur.version !== version) throw new Conflict('error.stale_version', {}, presentTemplate(cur));
    const [row] = await tx.update(wfmShiftTemplates).set({ ...rest, ...(active === undefined ? {} : { active: active ? 1 : 0 }), version: cur.version + 1, updatedAt: ctx.now() })
      .where(and(eq(wfmShiftTemplates.id, id), eq(wfmShiftTemplates.version, version))).returning();
    if (!row) throw new Conflict('error.stale_version');
    await audit(ctx, { action: 'wfm_shift_template.update', entityType: 'wfm_shift_template', entityId: id, data: { ...rest, active } }, tx);
    return presentTemplate(row);
  });
}
