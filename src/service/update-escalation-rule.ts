// Edit an escalation rule (PATCH): when it fires (state, target, policy, types, priorities), what it does
// (notify, raise priority, reassign to a team) and activate/deactivate. service.manage; the version read must be
// current (else 409 with the current rule); audited with the changed fields. Escalations already fired stay.
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Conflict, Invalid, NotFound, type KeyedFieldError, fieldError } from '../platform/errors.ts';
import { isUuid } from '../platform/ids.ts';
import { presentEscalationRule } from './escalation-rules.ts';
import { createEscalationRuleInput, type EscalationRuleOutput } from './schemas.ts';
import { checkAssignees } from './service-order-store.ts';
import { escalationRules, slaPolicies } from './tables.ts';
import './admin-messages.ts';
import { patchShapeOf } from './patch-schema.ts';

export const updateEscalationRuleInput = z
  .object({
    ...patchShapeOf(createEscalationRuleInput),
    active: z.boolean().optional(),
    version: z.number().int().positive().describe('The version you read; 409 with `current` when it moved'),
  })
  .strict();
export type UpdateEscalationRuleInput = z.input<typeof updateEscalationRuleInput>;

const editable = ['name', 'onState', 'target', 'policyId', 'types', 'priorities', 'action', 'targetUserId', 'targetTeamId', 'level', 'active'] as const;

export async function updateEscalationRule(ctx: Ctx, id: string, raw: UpdateEscalationRuleInput): Promise<EscalationRuleOutput> {
  assertCan(ctx.actor, 'service.manage');
  const input = updateEscalationRuleInput.parse(raw);
  if (!isUuid(id)) throw new NotFound('escalation_rule');
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(escalationRules).where(and(eq(escalationRules.orgId, ctx.actor.orgId), eq(escalationRules.id, id))).for('update');
    if (!before) throw new NotFound('escalation_rule');
    if (before.version !== input.version) throw new Conflict('error.stale_version', {}, presentEscalationRule(before));
    const next = {
      name: input.name ?? before.name,
      onState: input.onState ?? before.onState,
      target: input.target ?? before.target,
      policyId: input.policyId !== undefined ? input.policyId : before.policyId,
      types: input.types ?? before.types,
      priorities: input.priorities ?? before.priorities,
      action: input.action ?? before.action,
      targetUserId: input.targetUserId !== undefined ? input.targetUserId : before.targetUserId,
      targetTeamId: input.targetTeamId !== undefined ? input.targetTeamId : before.targetTeamId,
      level: input.level ?? before.level,
      active: input.active ?? before.active,
    };
    const errors: KeyedFieldError[] = (await checkAssignees(tx, ctx.actor.orgId, { userId: next.targetUserId, teamId: next.targetTeamId })).map((e) =>
      e.path === 'assigneeUserId'
        ? fieldError('targetUserId', e.code, 'admin.field.unknown_user')
        : fieldError('targetTeamId', e.code, 'admin.field.unknown_team'),
    );
    if (next.action === 'reassign_team' && !next.targetTeamId) errors.push(fieldError('targetTeamId', 'required', 'admin.field.reassign_needs_team'));
    if (next.action === 'notify' && !next.targetTeamId && !next.targetUserId) errors.push(fieldError('targetUserId', 'required', 'admin.field.notify_needs_target'));
    if (next.policyId) {
      const [p] = await tx.select({ id: slaPolicies.id }).from(slaPolicies).where(and(eq(slaPolicies.orgId, ctx.actor.orgId), eq(slaPolicies.id, next.policyId)));
      if (!p) errors.push(fieldError('policyId', 'unknown_policy', 'admin.field.unknown_policy'));
    }
    if (errors.length) throw new Invalid(errors);
    const changes: Record<string, { before: unknown; after: unknown }> = {};
    for (const k of editable) {
      if (JSON.stringify(before[k]) !== JSON.stringify(next[k])) changes[k] = { before: before[k], after: next[k] };
    }
    if (Object.keys(changes).length === 0) return presentEscalationRule(before);
    const [row] = await tx
      .update(escalationRules)
      .set({ ...next, version: sql`${escalationRules.version} + 1`, updatedAt: ctx.now() })
      .where(and(eq(escalationRules.orgId, ctx.actor.orgId), eq(escalationRules.id, id)))
      .returning();
    await audit(ctx, { action: 'escalation_rule.update', entityType: 'escalation_rule', entityId: id, data: { version: row.version, changes } }, tx);
    return presentEscalationRule(row);
  });
}
