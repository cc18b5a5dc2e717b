// 退换货处理: a requested return or exchange is settled later, as the goods come back and are checked.
// Completing it is when the refund happens, so that is when listeners (commission reversal) hear of
// it; rejecting it frees the quantity it held. Only a requested return can be settled, once.
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../db/open.ts';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Conflict, Invalid, NotFound, fieldError } from '../platform/errors.ts';
import { findOrderInScope, loadOrder, orderLinesWithReturns, returnColumns, type ReturnRow } from './get-order.ts';
import './messages.ts';
import { emitOrderReturned } from './order-returned.ts';
import { settleReturnInput, type OrderOutput, type SettleReturnInput } from './schemas.ts';

export async function settleReturn(ctx: Ctx, orderId: string, returnId: string, raw: SettleReturnInput): Promise<OrderOutput> {
  assertCan(ctx.actor, 'order.write');
  const input = settleReturnInput.parse(raw);
  const now = ctx.now();
  return ctx.db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const order = await findOrderInScope(ctx, orderId, { db: tx, forUpdate: true });
    const [ret] = await rows<ReturnRow>(
      tx,
      sql`SELECT ${returnColumns} FROM order_returns WHERE org_id = ${ctx.actor.orgId} AND order_id = ${orderId} AND id = ${returnId} FOR UPDATE`,
    );
    if (!ret) throw new NotFound('error.not_found');
    if (ret.version !== input.version) throw new Conflict('error.stale_version', {}, await loadOrder(ctx, orderId, tx));
    if (ret.status !== 'requested') {
      throw new Invalid([fieldError('status', 'return_already_settled', 'field.orders.return_already_settled', { status: ret.status })], 'error.return_already_settled');
    }
    let amount = Number(ret.amount_minor);
    if (input.status === 'completed' && input.amountMinor !== undefined) {
      if (ret.kind === 'exchange' && input.amountMinor !== 0) {
        throw new Invalid([fieldError('amountMinor', 'exchange_refund', 'field.orders.exchange_refund')]);
      }
      // What is left to refund on the line, this return's own requested amount included.
      const line = (await orderLinesWithReturns(tx, ctx.actor.orgId, orderId)).find((l) => l.id === ret.order_line_id)!;
      const refundable = Number(line.amount_minor) - Number(line.returned_minor) + amount;
      if (input.amountMinor > refundable) {
        throw new Invalid([fieldError('amountMinor', 'exceeds_paid', 'field.orders.exceeds_paid', { refundable })], 'error.return_too_many');
      }
      amount = input.amountMinor;
    }
    await tx.execute(sql`UPDATE order_returns SET status = ${input.status}, amount_minor = ${amount}, outcome = COALESCE(${input.outcome ?? null}, outcome),
      version = version + 1 WHERE id = ${returnId} AND org_id = ${ctx.actor.orgId}`);
    await tx.execute(sql`UPDATE orders SET version = version + 1, updated_at = ${now.toISOString()}::timestamptz WHERE id = ${orderId} AND org_id = ${ctx.actor.orgId}`);
    await audit(ctx, {
      action: `order.${ret.kind}_${input.status}`,
      entityType: 'order',
      entityId: orderId,
      data: { returnId, orderLineId: ret.order_line_id, quantity: ret.quantity, amountMinor: amount, outcome: input.outcome ?? ret.outcome, status: input.status },
    }, tx);
    if (input.status === 'completed') {
      await emitOrderReturned(ctx, {
        orderId,
        orderLineId: ret.order_line_id,
        returnId,
        customerId: order.customer_id,
        kind: ret.kind,
        quantity: ret.quantity,
        amountMinor: amount,
        currency: order.currency,
      }, tx);
    }
    return loadOrder(ctx, orderId, tx);
  });
}
