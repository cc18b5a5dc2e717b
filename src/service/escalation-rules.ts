// Escalation rules (service.manage): on an SLA target at risk or breached, for a policy/type/priority,
// notify a user or team, raise the priority, or reassign to a (specialist) team. Fired by scanSla.
import { and, asc, eq } from 'drizzle-orm';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Invalid, type KeyedFieldError, fieldError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { createEscalationRuleInput, type CreateEscalationRuleInput, type EscalationRuleOutput } from './schemas.ts';
import { checkAssignees } from './service-order-store.ts';
import { escalationRules, slaPolicies } from './tables.ts';

type Row = typeof escalationRules.$inferSelect;

export function presentEscalationRule(r: Row): EscalationRuleOutput {
  return {
    id: r.id,
    name: r.name,
    onState: r.onState,
    target: r.target,
    policyId: r.policyId,
    types: r.types,
    priorities: r.priorities as EscalationRuleOutput['priorities'],
    action: r.action,
    targetUserId: r.targetUserId,
    targetTeamId: r.targetTeamId,
    level: r.level,
    active: r.active,
    version: r.version,
  };
}

export async function createEscalationRule(ctx: Ctx, raw: CreateEscalationRuleInput): Promise<EscalationRuleOutput> {
  assertCan(ctx.actor, 'service.manage');
  const input = createEscalationRuleInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const errors: KeyedFieldError[] = (await checkAssignees(tx, ctx.actor.orgId, { userId: input.targetUserId, teamId: input.targetTeamId })).map((e) => ({
      ...e,
      path: e.path === 'assigneeUserId' ? 'targetUserId' : 'targetTeamId',
    }));
    if (input.action === 'reassign_team' && !input.targetTeamId) errors.push(fieldError('targetTeamId', 'required', 'field.service.reassign_needs_team'));
    if (input.action === 'notify' && !input.targetTeamId && !input.targetUserId) errors.push(fieldError('targetUserId', 'required', 'field.service.notify_needs_target'));
    if (input.policyId) {
      const [p] = await tx.select({ id: slaPolicies.id }).from(slaPolicies).where(and(eq(slaPolicies.orgId, ctx.actor.orgId), eq(slaPolicies.id, input.policyId)));
      if (!p) errors.push(fieldError('policyId', 'unknown_policy', 'field.unknown_sla_policy'));
    }
    if (errors.length) throw new Invalid(errors);
    const [row] = await tx.insert(escalationRules).values({ id: newId(), orgId: ctx.actor.orgId, ...input, createdAt: ctx.now() }).returning();
    await audit(ctx, { action: 'escalation_rule.create', entityType: 'escalation_rule', entityId: row.id, data: { ...input } }, tx);
    return presentEscalationRule(row);
  });
}

export async function listEscalationRules(ctx: Ctx): Promise<EscalationRuleOutput[]> {
  assertCan(ctx.actor, 'service.read');
  const found = await ctx.db.select().from(escalationRules).where(eq(escalationRules.orgId, ctx.actor.orgId)).orderBy(asc(escalationRules.createdAt));
  return found.map(presentEscalationRule);
}
