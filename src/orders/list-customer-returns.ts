// 客户退换货: a customer's returns and exchanges, requested ones first (they wait to be settled), then
// the newest, with the order and the line they belong to, for the purchases panel of the customer file.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { findCustomerInScope } from '../customers/get-customer.ts';
import { rows } from '../db/open.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { presentReturn, type ReturnRow } from './get-order.ts';
import { returnOutput } from './schemas.ts';

export const customerReturnOutput = returnOutput.extend({
  orderNo: z.string().nullable(),
  orderedAt: z.string(),
  currency: z.string(),
  sku: z.string(),
  productName: z.string(),
});
export type CustomerReturnOutput = z.infer<typeof customerReturnOutput>;
export const customerReturnsOutput = z.object({ items: z.array(customerReturnOutput) });
export const customerReturnsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export async function listCustomerReturns(ctx: Ctx, customerId: string, raw: z.input<typeof customerReturnsQuery> = {}): Promise<{ items: CustomerReturnOutput[] }> {
  assertCan(ctx.actor, 'order.read');
  const q = customerReturnsQuery.parse(raw);
  await findCustomerInScope(ctx, customerId);
  const orgId = ctx.actor.orgId;
  const found = await rows<ReturnRow & { order_no: string | null; ordered_at: Date | string; currency: string; sku: string; name: string }>(
    ctx.db,
    sql`SELECT r.id, r.order_id, r.order_line_id, r.kind, r.quantity, r.amount_minor::text AS amount_minor, r.reason, r.note, r.outcome, r.status,
        r.actor_id, r.at, r.version, o.order_no, o.ordered_at, o.currency, l.sku, l.name
      FROM order_returns r
      JOIN orders o ON o.id = r.order_id AND o.org_id = ${orgId}
      JOIN order_lines l ON l.id = r.order_line_id AND l.org_id = ${orgId}
      WHERE r.org_id = ${orgId} AND r.customer_id = ${customerId}
      ORDER BY (r.status = 'requested') DESC, r.at DESC, r.id DESC
      LIMIT ${q.limit}`,
  );
  return {
    items: found.map((r) => ({
      ...presentReturn(r),
      orderNo: r.order_no,
      orderedAt: new Date(r.ordered_at).toISOString(),
      currency: r.currency,
      sku: r.sku,
      productName: r.name,
    })),
  };
}
