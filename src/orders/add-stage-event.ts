import { sql } from 'drizzle-orm';
import type { Db } from '../db/open.ts';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Conflict, Invalid, fieldError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { findOrderInScope, loadOrder } from './get-order.ts';
import './messages.ts';
import { addStageEventInput, type AddStageEventInput, type OrderOutput } from './schemas.ts';
import { stageIndex } from './stage-targets.ts';
import { orderStageEvents } from './tables.ts';

const FUTURE_SKEW_MS = 5 * 60_000;

/**
 * Moves an order to a fulfilment stage (履约节点), recording who and when. Stages go forward
 * (skipping forward is allowed: not every order is produced or dispatched); going back to an
 * earlier stage, or to an earlier time than the current stage, needs `correction` and a note.
 * Reaching customer feedback completes the order. The caller's `version` must be current (409).
 */
export async function addStageEvent(ctx: Ctx, orderId: string, raw: AddStageEventInput): Promise<OrderOutput> {
  assertCan(ctx.actor, 'order.write');
  const input = addStageEventInput.parse(raw);
  const now = ctx.now();
  const at = input.at ? new Date(input.at) : now;
  return ctx.db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const order = await findOrderInScope(ctx, orderId, { db: tx, forUpdate: true });
    if (order.version !== input.version) throw new Conflict('error.stale_version', {}, await loadOrder(ctx, orderId, tx));
    const from = stageIndex(order.stage);
    const to = stageIndex(input.stage);
    if (at.getTime() > now.getTime() + FUTURE_SKEW_MS) throw new Invalid([fieldError('at', 'in_future', 'field.in_future')]);
    if (to === from && !input.correction) throw new Invalid([fieldError('stage', 'same_stage', 'field.orders.same_stage', { stage: order.stage })]);
    if (to < from && !input.correction) {
      throw new Invalid([fieldError('stage', 'stage_backwards', 'field.orders.stage_backwards', { stage: order.stage })], 'error.stage_backwards');
    }
    if (input.correction && !input.note) throw new Invalid([fieldError('note', 'note_required', 'field.orders.note_required')]);
    if (at.getTime() < new Date(order.stage_at).getTime() && !input.correction) {
      throw new Invalid([fieldError('at', 'before_current_stage', 'field.orders.before_current_stage')]);
    }
    await tx.execute(sql`UPDATE orders SET stage = ${input.stage}, stage_at = ${at.toISOString()}::timestamptz,
        status = ${input.stage === 'feedback' ? 'completed' : 'open'}, version = version + 1, updated_at = ${now.toISOString()}::timestamptz
      WHERE id = ${orderId} AND org_id = ${ctx.actor.orgId}`);
    await tx.insert(orderStageEvents).values({
      id: newId(),
      orgId: ctx.actor.orgId,
      orderId,
      customerId: order.customer_id,
      stage: input.stage,
      fromStage: order.stage,
      at,
      actorId: ctx.actor.userId,
      note: input.note ?? null,
      correction: input.correction,
      createdAt: now,
    });
    await audit(ctx, {
      action: 'order.stage',
      entityType: 'order',
      entityId: orderId,
      data: { from: order.stage, to: input.stage, at: at.toISOString(), correction: input.correction, note: input.note ?? null },
    }, tx);
    return loadOrder(ctx, orderId, tx);
  });
}
