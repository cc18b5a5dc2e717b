// Edit a service type (PATCH /api/service-types/{key}): labels, callback delay, activate/deactivate a custom type.
// A built-in type the organization never edited has version 0: saving it stores the organization's override.
// Built-in types cannot be deactivated (the workflow and complaints rely on them). service.manage; the version
// read must be current (else 409 with the current type); audited with the changed fields.
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Conflict, Invalid, NotFound, isUniqueViolation, fieldError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { createServiceTypeInput, type ServiceTypeOutput } from './schemas.ts';
import { listServiceTypes } from './service-types.ts';
import { builtinServiceTypes, serviceTypes } from './tables.ts';
import './admin-messages.ts';
import { patchShapeOf } from './patch-schema.ts';

export const updateServiceTypeInput = z
  .object({
    ...patchShapeOf(createServiceTypeInput.omit({ key: true })),
    active: z.boolean().optional(),
    version: z.number().int().min(0).describe('The version you read (0: a built-in type never edited); 409 with `current` when it moved'),
  })
  .strict();
export type UpdateServiceTypeInput = z.input<typeof updateServiceTypeInput>;

const editable = ['labelZh', 'labelEn', 'callbackDelayMinutes', 'active'] as const;

async function currentType(ctx: Ctx, key: string): Promise<ServiceTypeOutput> {
  const found = (await listServiceTypes(ctx, { includeInactive: true })).find((s) => s.key === key);
  if (!found) throw new NotFound('service_type');
  return found;
}

export async function updateServiceType(ctx: Ctx, key: string, raw: UpdateServiceTypeInput): Promise<ServiceTypeOutput> {
  assertCan(ctx.actor, 'service.manage');
  const input = updateServiceTypeInput.parse(raw);
  const builtin = (builtinServiceTypes as readonly string[]).includes(key);
  const before = await currentType(ctx, key);
  if (builtin && input.active === false) {
    throw new Invalid([fieldError('active', 'builtin_always_active', 'admin.field.builtin_always_active')]);
  }
  let stale = false;
  try {
    await ctx.db.transaction(async (tx) => {
      const [row] = await tx.select().from(serviceTypes).where(and(eq(serviceTypes.orgId, ctx.actor.orgId), eq(serviceTypes.key, key))).for('update');
      const version = row?.version ?? 0;
      if (version !== input.version) {
        stale = true;
        return;
      }
      const prev = row ?? { labelZh: before.labelZh, labelEn: before.labelEn, callbackDelayMinutes: before.callbackDelayMinutes, active: true };
      const next = {
        labelZh: input.labelZh ?? prev.labelZh,
        labelEn: input.labelEn ?? prev.labelEn,
        callbackDelayMinutes: input.callbackDelayMinutes !== undefined ? input.callbackDelayMinutes : prev.callbackDelayMinutes,
        active: builtin ? true : (input.active ?? prev.active),
      };
      const changes: Record<string, { before: unknown; after: unknown }> = {};
      for (const k of editable) if (prev[k] !== next[k]) changes[k] = { before: prev[k], after: next[k] };
      if (row && Object.keys(changes).length === 0) return;
      if (!row) {
        // Version 0 of a built-in type: store the override (a unique violation means another first save won).
        await tx.insert(serviceTypes).values({ id: newId(), orgId: ctx.actor.orgId, key, ...next, version: 1, createdAt: ctx.now(), updatedAt: ctx.now() });
        await audit(ctx, { action: 'service_type.update', entityType: 'service_type', data: { key, version: 1, changes } }, tx);
        return;
      }
      const [updated] = await tx
        .update(serviceTypes)
        .set({ ...next, version: sql`${serviceTypes.version} + 1`, updatedAt: ctx.now() })
        .where(and(eq(serviceTypes.orgId, ctx.actor.orgId), eq(serviceTypes.id, row.id)))
        .returning({ version: serviceTypes.version });
      await audit(ctx, { action: 'service_type.update', entityType: 'service_type', entityId: row.id, data: { key, version: updated.version, changes } }, tx);
    });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    stale = true;
  }
  const current = await currentType(ctx, key);
  if (stale) throw new Conflict('error.stale_version', {}, current);
  return current;
}
