import { sql } from 'drizzle-orm';
import type { Db } from '../db/open.ts';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Conflict, Invalid, fieldError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { findOrderInScope, loadOrder, orderLinesWithReturns } from './get-order.ts';
import './messages.ts';
import { emitOrderReturned } from './order-returned.ts';
import { recordReturnInput, type OrderOutput, type RecordReturnInput } from './schemas.ts';
import { orderReturns } from './tables.ts';

/** The line's amount for `quantity` of its units, rounded half up in integer arithmetic. */
export function proportionalAmount(lineAmount: number, lineQuantity: number, quantity: number): number {
  return Number((BigInt(lineAmount) * BigInt(quantity) * 2n + BigInt(lineQuantity)) / (BigInt(lineQuantity) * 2n));
}

/**
 * 退换货: a return (refund) or an exchange of part of an order line, with reason and outcome.
 * At most what was bought less what was already returned or exchanged (rejected requests do not
 * count), and no more refund than was paid for the line. Listeners of onOrderReturned run in the
 * same transaction (commissions are reversed there).
 */
export async function recordReturn(ctx: Ctx, orderId: string, raw: RecordReturnInput): Promise<OrderOutput> {
  assertCan(ctx.actor, 'order.write');
  const input = recordReturnInput.parse(raw);
  const now = ctx.now();
  const at = input.at ? new Date(input.at) : now;
  return ctx.db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const order = await findOrderInScope(ctx, orderId, { db: tx, forUpdate: true });
    if (input.version !== undefined && order.version !== input.version) {
      throw new Conflict('error.stale_version', {}, await loadOrder(ctx, orderId, tx));
    }
    const lines = await orderLinesWithReturns(tx, ctx.actor.orgId, orderId);
    const line = lines.find((l) => l.id === input.orderLineId);
    if (!line) throw new Invalid([fieldError('orderLineId', 'unknown_line', 'field.orders.unknown_line')]);
    const returnedQty = Number(line.returned_quantity);
    const returnable = line.quantity - returnedQty;
    const lineAmount = Number(line.amount_minor);
    const refundable = lineAmount - Number(line.returned_minor);
    const amount = input.amountMinor ?? (input.kind === 'return' ? Math.min(refundable, proportionalAmount(lineAmount, line.quantity, input.quantity)) : 0);
    const counts = input.status !== 'rejected';
    if (counts && input.quantity > returnable) {
      throw new Invalid(
        [fieldError('quantity', 'exceeds_returnable', 'field.orders.exceeds_returnable', { bought: line.quantity, returned: returnedQty, returnable })],
        'error.return_too_many',
      );
    }
    if (counts && amount > refundable) {
      throw new Invalid([fieldError('amountMinor', 'exceeds_paid', 'field.orders.exceeds_paid', { refundable })], 'error.return_too_many');
    }
    const id = newId();
    await tx.insert(orderReturns).values({
      id,
      orgId: ctx.actor.orgId,
      orderId,
      orderLineId: line.id,
      customerId: order.customer_id,
      kind: input.kind,
      quantity: input.quantity,
      amountMinor: amount,
      reason: input.reason,
      note: input.note ?? null,
      outcome: input.outcome ?? null,
      status: input.status,
      actorId: ctx.actor.userId,
      at,
      version: 1,
      createdAt: now,
    });
    await tx.execute(sql`UPDATE orders SET version = version + 1, updated_at = ${now.toISOString()}::timestamptz WHERE id = ${orderId} AND org_id = ${ctx.actor.orgId}`);
    await audit(ctx, {
      action: `order.${input.kind}`,
      entityType: 'order',
      entityId: orderId,
      data: { returnId: id, orderLineId: line.id, sku: line.sku, quantity: input.quantity, amountMinor: amount, reason: input.reason, note: input.note ?? null, outcome: input.outcome ?? null, status: input.status },
    }, tx);
    // A requested return holds its quantity but refunds nothing yet: listeners (commission reversal)
    // hear of it when it is completed (settleReturn).
    if (input.status === 'completed') {
      await emitOrderReturned(ctx, {
        orderId,
        orderLineId: line.id,
        returnId: id,
        customerId: order.customer_id,
        kind: input.kind,
        quantity: input.quantity,
        amountMinor: amount,
        currency: order.currency,
      }, tx);
    }
    return loadOrder(ctx, orderId, tx);
  });
}
