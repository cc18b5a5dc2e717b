// 客户购买记录: a customer's orders, newest first, each with its lines and what each line may still
// return, for the purchases panel of the customer file (where a return or exchange is requested per line).
// Two queries per page: the orders (the order list, in the data scope) and all their lines at once.
import { z } from 'zod';
import { findCustomerInScope } from '../customers/get-customer.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { linesWithReturns, presentLine } from './get-order.ts';
import { listOrders } from './list-orders.ts';
import { orderLineOutput, orderListItem, type OrderLineOutput } from './schemas.ts';

export const customerOrderOutput = orderListItem.extend({ lines: z.array(orderLineOutput) });
export type CustomerOrderOutput = z.infer<typeof customerOrderOutput>;
export const customerOrdersPage = z.object({ items: z.array(customerOrderOutput), nextCursor: z.string().nullable() });
export const customerOrdersQuery = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

export async function listCustomerOrders(ctx: Ctx, customerId: string, raw: z.input<typeof customerOrdersQuery> = {}): Promise<z.infer<typeof customerOrdersPage>> {
  assertCan(ctx.actor, 'order.read');
  const q = customerOrdersQuery.parse(raw);
  // A customer outside the data scope is a 404, not an empty list.
  await findCustomerInScope(ctx, customerId);
  const page = await listOrders(ctx, { customerId, cursor: q.cursor, limit: q.limit });
  const lines = await linesWithReturns(ctx.db, ctx.actor.orgId, page.items.map((o) => o.id));
  const byOrder = new Map<string, OrderLineOutput[]>();
  for (const l of lines) {
    const list = byOrder.get(l.order_id) ?? [];
    list.push(presentLine(l));
    byOrder.set(l.order_id, list);
  }
  return { items: page.items.map((o) => ({ ...o, lines: byOrder.get(o.id) ?? [] })), nextCursor: page.nextCursor };
}
