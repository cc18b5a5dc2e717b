// 客户消费汇总: a customer's purchases, returns and net spend per year (in the organization's time
// zone) and currency, computed in SQL. Refunds count against the year of the order they refund.
import { sql } from 'drizzle-orm';
import { rows } from '../db/open.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { findCustomerInScope } from '../customers/get-customer.ts';
import type { PurchasesSummary } from './schemas.ts';

interface YearRow {
  year: number;
  currency: string;
  orders: string | number;
  purchased: string | number;
  returns: string | number;
  returned: string | number;
  last_ordered_at: Date | string | null;
}

export async function purchasesSummary(ctx: Ctx, customerId: string): Promise<PurchasesSummary> {
  assertCan(ctx.actor, 'order.read');
  await findCustomerInScope(ctx, customerId);
  const orgId = ctx.actor.orgId;
  const found = await rows<YearRow>(
    ctx.db,
    sql`WITH o AS (
        SELECT o.id, o.currency, o.total_minor, o.ordered_at,
          EXTRACT(YEAR FROM o.ordered_at AT TIME ZONE (SELECT timezone FROM organizations WHERE id = ${orgId}))::int AS year
        FROM orders o WHERE o.org_id = ${orgId} AND o.customer_id = ${customerId}
      ), r AS (
        SELECT r.order_id, COUNT(*) AS n, SUM(r.amount_minor) AS amount FROM order_returns r
        WHERE r.org_id = ${orgId} AND r.customer_id = ${customerId} AND r.status = 'completed' GROUP BY r.order_id
      )
      SELECT o.year, o.currency, COUNT(*)::text AS orders, SUM(o.total_minor)::text AS purchased,
        COALESCE(SUM(r.n), 0)::text AS returns, COALESCE(SUM(r.amount), 0)::text AS returned, MAX(o.ordered_at) AS last_ordered_at
      FROM o LEFT JOIN r ON r.order_id = o.id
      GROUP BY o.year, o.currency ORDER BY o.year DESC, o.currency`,
  );
  const years = found.map((r) => {
    const purchasedMinor = Number(r.purchased);
    const returnedMinor = Number(r.returned);
    return { year: Number(r.year), currency: r.currency, orders: Number(r.orders), purchasedMinor, returns: Number(r.returns), returnedMinor, netMinor: purchasedMinor - returnedMinor };
  });
  const totals = new Map<string, PurchasesSummary['totals'][number]>();
  for (const y of years) {
    const tot = totals.get(y.currency) ?? { currency: y.currency, orders: 0, purchasedMinor: 0, returnedMinor: 0, netMinor: 0 };
    tot.orders += y.orders;
    tot.purchasedMinor += y.purchasedMinor;
    tot.returnedMinor += y.returnedMinor;
    tot.netMinor += y.netMinor;
    totals.set(y.currency, tot);
  }
  const last = found.reduce<number | null>((m, r) => (r.last_ordered_at ? Math.max(m ?? 0, new Date(r.last_ordered_at).getTime()) : m), null);
  return { customerId, years, totals: [...totals.values()], lastOrderedAt: last === null ? null : new Date(last).toISOString() };
}
