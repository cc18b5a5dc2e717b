// Edit an SLA policy (PATCH): targets, rule fields (types, priorities, tags, tier, rank), calendar, at-risk share,
// and activate/deactivate. service.manage; the version read must be current (else 409 with the current policy);
// audited with the changed fields. Orders keep the due times they were given; new orders use the new targets.
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Conflict, Invalid, NotFound, isUniqueViolation, type KeyedFieldError, fieldError } from '../platform/errors.ts';
import { isUuid } from '../platform/ids.ts';
import { businessCalendars } from './calendar/tables.ts';
import { createSlaPolicyInput, type SlaPolicyOutput } from './schemas.ts';
import { listSlaPolicies } from './sla-policies.ts';
import { slaPolicies } from './tables.ts';
import './admin-messages.ts';
import { patchShapeOf } from './patch-schema.ts';
import './messages.ts';

export const updateSlaPolicyInput = z
  .object({
    ...patchShapeOf(createSlaPolicyInput),
    active: z.boolean().optional(),
    version: z.number().int().positive().describe('The version you read; 409 with `current` when it moved'),
  })
  .strict();
export type UpdateSlaPolicyInput = z.input<typeof updateSlaPolicyInput>;

/** The policy as the list presents it (one presenter for the list and the writes). */
async function currentPolicy(ctx: Ctx, id: string): Promise<SlaPolicyOutput> {
  const found = (await listSlaPolicies(ctx)).find((p) => p.id === id);
  if (!found) throw new NotFound('sla_policy');
  return found;
}

export async function updateSlaPolicy(ctx: Ctx, id: string, raw: UpdateSlaPolicyInput): Promise<SlaPolicyOutput> {
  assertCan(ctx.actor, 'service.manage');
  const input = updateSlaPolicyInput.parse(raw);
  if (!isUuid(id)) throw new NotFound('sla_policy');
  let stale = false;
  try {
    await ctx.db.transaction(async (tx) => {
      const [before] = await tx.select().from(slaPolicies).where(and(eq(slaPolicies.orgId, ctx.actor.orgId), eq(slaPolicies.id, id))).for('update');
      if (!before) throw new NotFound('sla_policy');
      if (before.version !== input.version) {
        stale = true;
        return;
      }
      // Every field the body carries, by name: fields the policy gains later (e.g. service tiers) are edited too.
      const patch = Object.fromEntries(Object.entries(input).filter(([k, v]) => k !== 'version' && v !== undefined)) as Partial<typeof slaPolicies.$inferInsert>;
      const next = { ...before, ...patch };
      const errors: KeyedFieldError[] = [];
      if (next.resolutionMinutes < next.firstResponseMinutes) {
        errors.push(fieldError('resolutionMinutes', 'too_small', 'admin.field.resolution_before_first_response'));
      }
      if (next.calendarId && next.calendarId !== before.calendarId) {
        const [cal] = await tx
          .select({ id: businessCalendars.id })
          .from(businessCalendars)
          .where(and(eq(businessCalendars.orgId, ctx.actor.orgId), eq(businessCalendars.id, next.calendarId)));
        if (!cal) errors.push(fieldError('calendarId', 'unknown_calendar', 'admin.field.unknown_calendar'));
      }
      if (errors.length) throw new Invalid(errors);
      const changes: Record<string, { before: unknown; after: unknown }> = {};
      const was = before as Record<string, unknown>;
      for (const [k, v] of Object.entries(patch)) {
        if (JSON.stringify(was[k]) !== JSON.stringify(v)) changes[k] = { before: was[k], after: v };
      }
      if (Object.keys(changes).length === 0) return;
      const [row] = await tx
        .update(slaPolicies)
        .set({ ...patch, version: sql`${slaPolicies.version} + 1`, updatedAt: ctx.now() })
        .where(and(eq(slaPolicies.orgId, ctx.actor.orgId), eq(slaPolicies.id, id)))
        .returning({ version: slaPolicies.version });
      await audit(ctx, { action: 'sla_policy.update', entityType: 'sla_policy', entityId: id, data: { version: row.version, changes } }, tx);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new Invalid([fieldError('name', 'name_taken', 'admin.field.name_taken')]);
    throw err;
  }
  const current = await currentPolicy(ctx, id);
  if (stale) throw new Conflict('error.stale_version', {}, current);
  return current;
}
