// For other domains (opportunities, commissions): one order's amounts and lines with what was
// returned, in the caller's organization and data scope (NotFound otherwise). Pass `db` to read
// inside the caller's transaction.
import type { Db } from '../db/open.ts';
import type { Ctx } from '../platform/context.ts';
import { findOrderInScope, orderLinesWithReturns } from './get-order.ts';
import type { OrderStatus } from './tables.ts';

export interface OrderSummary {
  id: string;
  customerId: string;
  currency: string;
  totalMinor: number;
  status: OrderStatus;
  orderedAt: string;
  lines: {
    id: string;
    productId: string;
    sku: string;
    category: string | null;
    quantity: number;
    amountMinor: number;
    returnedQuantity: number;
    returnedMinor: number;
  }[];
}

export async function getOrderSummary(ctx: Ctx, orderId: string, opts: { db?: Db } = {}): Promise<OrderSummary> {
  const db = opts.db ?? ctx.db;
  const order = await findOrderInScope(ctx, orderId, { db });
  const lines = await orderLinesWithReturns(db, ctx.actor.orgId, orderId);
  return {
    id: order.id,
    customerId: order.customer_id,
    currency: order.currency,
    totalMinor: Number(order.total_minor),
    status: order.status,
    orderedAt: new Date(order.ordered_at).toISOString(),
    lines: lines.map((l) => ({
      id: l.id,
      productId: l.product_id,
      sku: l.sku,
      category: l.category,
      quantity: l.quantity,
      amountMinor: Number(l.amount_minor),
      returnedQuantity: Number(l.returned_quantity),
      returnedMinor: Number(l.returned_minor),
    })),
  };
}
