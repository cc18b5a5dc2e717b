// PATCH of a service order: absent fields stay. The caller's `version` must be current, else 409 with
// the current order. A priority change re-chooses the SLA policy and recomputes the due times from
// the order's creation (pauses counted); assignment changes are 'assigned' events, others 'updated'.
import { and, eq, sql } from 'drizzle-orm';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Conflict, Invalid, fieldError } from '../platform/errors.ts';
import { customers } from '../customers/tables.ts';
import { complaintFieldErrors } from './create-service-order.ts';
import { escalateComplaintIfNeeded } from './escalate-complaint.ts';
import { choosePolicyForCustomer } from './tier-policy.ts';
import { updateServiceOrderInput, type ServiceOrderOutput, type UpdateServiceOrderInput } from './schemas.ts';
import {
  checkAssignees,
  findServiceOrderInScope,
  keepMetTargets,
  overallSlaState,
  pausesOf,
  presentServiceOrder,
  recordEvent,
  slaColumns,
  slaTimesFor,
  type ServiceOrderRow,
} from './service-order-store.ts';
import { serviceOrders, type SlaState } from './tables.ts';

const assignmentKeys = ['assigneeUserId', 'assigneeTeamId', 'queue'] as const;
const otherKeys = ['category', 'priority', 'title', 'description', 'channel', 'productId', 'severity', 'rootCause', 'compensationMinor', 'compensationCurrency'] as const;
type Key = (typeof assignmentKeys)[number] | (typeof otherKeys)[number];

export async function updateServiceOrder(ctx: Ctx, id: string, raw: UpdateServiceOrderInput): Promise<ServiceOrderOutput> {
  assertCan(ctx.actor, 'service.write');
  const input = updateServiceOrderInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const before = await findServiceOrderInScope(ctx, id, { db: tx, forUpdate: true });
    if (before.version !== input.version) throw new Conflict('error.stale_version', {}, presentServiceOrder(before));

    const keys = [...assignmentKeys, ...otherKeys];
    const next = Object.fromEntries(keys.map((k) => [k, input[k] !== undefined ? input[k] : before[k]])) as Pick<ServiceOrderRow, Key>;
    const errors = [
      ...(await checkAssignees(tx, ctx.actor.orgId, {
        userId: next.assigneeUserId !== before.assigneeUserId ? next.assigneeUserId : null,
        teamId: next.assigneeTeamId !== before.assigneeTeamId ? next.assigneeTeamId : null,
      })),
      ...complaintFieldErrors(before.type, {
        severity: input.severity,
        rootCause: input.rootCause,
        compensationMinor: next.compensationMinor,
        compensationCurrency: next.compensationCurrency,
      }),
    ];
    if (before.type === 'complaint' && input.severity === null) errors.push(fieldError('severity', 'required', 'field.service.severity_required'));
    if (errors.length) throw new Invalid(errors);

    const changes: Record<string, { before: unknown; after: unknown }> = {};
    for (const k of [...assignmentKeys, ...otherKeys]) if (before[k] !== next[k]) changes[k] = { before: before[k], after: next[k] };
    if (Object.keys(changes).length === 0) return presentServiceOrder(before);

    const now = ctx.now();
    const set: Partial<typeof serviceOrders.$inferInsert> = { ...next, updatedAt: now };
    const assignmentChanged = assignmentKeys.some((k) => k in changes);
    if (assignmentChanged && before.status === 'new' && (next.assigneeUserId || next.assigneeTeamId || next.queue)) set.status = 'assigned';

    if ('priority' in changes) {
      const [customer] = await tx.select({ tags: customers.tags }).from(customers).where(and(eq(customers.orgId, ctx.actor.orgId), eq(customers.id, before.customerId)));
      const policy = await choosePolicyForCustomer(tx, ctx.actor.orgId, { type: before.type, priority: next.priority, customerId: before.customerId, customerTags: customer?.tags ?? [] });
      if ((policy?.id ?? null) !== before.slaPolicyId) changes.slaPolicyId = { before: before.slaPolicyId, after: policy?.id ?? null };
      // While paused, the times shown are those if the clock restarted now; leaving the pause recomputes them exactly.
      const pauses = pausesOf(before).map((p) => (p.to === null ? { ...p, to: now } : p));
      const times = keepMetTargets(before, await slaTimesFor(ctx, tx, policy, before.createdAt, pauses));
      const firstResponded = before.firstRespondedAt !== null;
      Object.assign(set, { slaPolicyId: policy?.id ?? null, ...slaColumns(times, firstResponded) });
      if (before.pausedSince) set.nextDueAt = null;
      // A target whose new at-risk time is still ahead is back to ok; otherwise the next SLA scan marks it
      // (with its events and escalations, each once).
      const reset = (state: SlaState, atRisk: Date | null, met: boolean): SlaState => (!met && (!atRisk || atRisk > now) ? 'ok' : state);
      set.firstResponseSlaState = reset(before.firstResponseSlaState, times.firstResponseAtRiskAt, firstResponded);
      set.resolutionSlaState = reset(before.resolutionSlaState, times.resolutionAtRiskAt, before.resolvedAt !== null);
      set.slaState = overallSlaState(set.firstResponseSlaState, set.resolutionSlaState, firstResponded);
    }

    const [updated] = await tx
      .update(serviceOrders)
      .set({ ...set, version: sql`${serviceOrders.version} + 1` })
      .where(and(eq(serviceOrders.id, id), eq(serviceOrders.orgId, ctx.actor.orgId), eq(serviceOrders.version, input.version)))
      .returning();
    if (assignmentChanged) {
      await recordEvent(ctx, tx, updated, 'assigned', {
        assigneeUserId: updated.assigneeUserId,
        assigneeTeamId: updated.assigneeTeamId,
        queue: updated.queue,
        ...(set.status ? { from: before.status, to: set.status } : {}),
      }, now);
    }
    const fieldChanges = Object.fromEntries(Object.entries(changes).filter(([k]) => !(assignmentKeys as readonly string[]).includes(k)));
    if (Object.keys(fieldChanges).length) await recordEvent(ctx, tx, updated, 'updated', { changes: fieldChanges }, now);
    const final = await escalateComplaintIfNeeded(ctx, tx, updated);
    await audit(ctx, { action: 'service_order.update', entityType: 'service_order', entityId: id, data: { version: final.version, changes } }, tx);
    return presentServiceOrder(final);
  });
}
