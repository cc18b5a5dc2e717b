// Records a callback's (回访) outcome:
// - satisfied: the callback is done; a resolved order is closed with the customer's confirmation and rating.
// - not_satisfied / reopen: the callback is done and the order is reopened (back to in progress with its
//   assignee, SLA clock running again); the customer's rating is kept. We reopen rather than escalate:
//   the SLA scan and its escalation rules then apply to the reopened order as to any other.
// - unreachable: another attempt is scheduled after the organization's retry delay, up to the maximum
//   number of attempts; the last one closes the callback as unreachable (the order stays resolved).
import { and, eq, sql } from 'drizzle-orm';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Conflict, NotFound } from '../platform/errors.ts';
import { isUuid } from '../platform/ids.ts';
import { presentCallback } from './list-callbacks.ts';
import { callbackOutcomeInput, type CallbackOutcomeInput, type CallbackOutput } from './schemas.ts';
import { loadServiceSettings } from './service-settings.ts';
import { findServiceOrderInScope, recordEvent } from './service-order-store.ts';
import { callbacks, serviceOrders } from './tables.ts';
import { applyTransition } from './transition-service-order.ts';

export async function recordCallbackOutcome(ctx: Ctx, id: string, raw: CallbackOutcomeInput): Promise<CallbackOutput> {
  assertCan(ctx.actor, 'service.write');
  const input = callbackOutcomeInput.parse(raw);
  if (!isUuid(id)) throw new NotFound('callback');
  return ctx.db.transaction(async (tx) => {
    const [cb] = await tx.select().from(callbacks).where(and(eq(callbacks.orgId, ctx.actor.orgId), eq(callbacks.id, id))).for('update');
    if (!cb) throw new NotFound('callback');
    const order = await findServiceOrderInScope(ctx, cb.serviceOrderId, { db: tx, forUpdate: true }).catch((err: unknown) => {
      if (err instanceof NotFound) throw new NotFound('callback');
      throw err;
    });
    if (input.version !== undefined && input.version !== cb.version) throw new Conflict('error.stale_version', {}, presentCallback(cb, order.number));
    if (cb.status !== 'pending') throw new Conflict('error.callback_closed', {}, presentCallback(cb, order.number));

    const now = ctx.now();
    const attempts = cb.attempts + 1;
    const settings = await loadServiceSettings(tx, ctx.actor.orgId);
    const retry = input.outcome === 'unreachable' && attempts < settings.callbackMaxAttempts;
    const [updated] = await tx
      .update(callbacks)
      .set(retry
        ? { attempts, note: input.note ?? cb.note, dueAt: new Date(now.getTime() + settings.callbackRetryMinutes * 60_000), updatedAt: now, version: sql`${callbacks.version} + 1` }
        : { attempts, note: input.note ?? cb.note, outcome: input.outcome, status: 'done', completedAt: now, updatedAt: now, version: sql`${callbacks.version} + 1` })
      .where(eq(callbacks.id, cb.id))
      .returning();
    await recordEvent(ctx, tx, order, 'callback_outcome', {
      callbackId: cb.id,
      outcome: input.outcome,
      attempts,
      ...(retry ? { retryAt: updated.dueAt.toISOString() } : {}),
      ...(input.satisfaction !== undefined ? { satisfaction: input.satisfaction } : {}),
      ...(input.note ? { note: input.note } : {}),
    }, now);

    if (input.outcome === 'satisfied') {
      if (order.status === 'resolved') {
        await applyTransition(ctx, tx, order, { to: 'closed', customerConfirmed: true, satisfaction: input.satisfaction, reason: 'callback_satisfied' });
      } else {
        await tx
          .update(serviceOrders)
          .set({ customerConfirmed: true, satisfaction: input.satisfaction ?? order.satisfaction, version: sql`${serviceOrders.version} + 1`, updatedAt: now })
          .where(eq(serviceOrders.id, order.id));
      }
    } else if (input.outcome === 'not_satisfied' || input.outcome === 'reopen') {
      let row = order;
      if (input.satisfaction !== undefined || input.outcome === 'not_satisfied') {
        [row] = await tx
          .update(serviceOrders)
          .set({ customerConfirmed: false, satisfaction: input.satisfaction ?? order.satisfaction, updatedAt: now })
          .where(eq(serviceOrders.id, order.id))
          .returning();
      }
      if (row.status === 'resolved' || row.status === 'closed') {
        await applyTransition(ctx, tx, row, { to: 'in_progress', reason: `callback_${input.outcome}`, note: input.note });
      }
    }
    await audit(ctx, { action: 'callback.outcome', entityType: 'callback', entityId: cb.id, data: { outcome: input.outcome, attempts, serviceOrderId: order.id } }, tx);
    return presentCallback(updated, order.number);
  });
}
