// 提成冲回: a refund on an order line that earned a commission takes back the proportional share of
// it (see model/commission.ts), booked in the month of the return. Registered with the orders
// domain's onOrderReturned and run inside the return's transaction, on behalf of whoever recorded the
// return (no commission permission needed: it is bookkeeping, not a choice). A repeated event for the
// same return writes nothing (unique key).
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../db/open.ts';
import { audit } from '../platform/audit.ts';
import type { Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import type { OrderReturnedEvent } from '../orders/order-returned.ts';
import { commissionReversal, monthIn } from './model/commission.ts';
import { orgTimeZone } from './opportunity-store.ts';
import { commissionLedger } from './tables.ts';

interface EarnedLine {
  staff_id: string;
  opportunity_id: string;
  order_id: string;
  currency: string;
  commission_minor: string | number;
  base_minor: string | number;
  refunded_before: string | number;
  reversed_before: string | number;
}

export async function reverseCommissionForReturn(ctx: Ctx, event: OrderReturnedEvent, tx: Db): Promise<void> {
  if (event.amountMinor <= 0) return; // an exchange refunds nothing
  const orgId = ctx.actor.orgId;
  const earned = await rows<EarnedLine>(
    tx,
    sql`SELECT e.staff_id, e.opportunity_id, e.order_id, e.currency, e.amount_minor AS commission_minor, e.base_minor,
        COALESCE(SUM(r.base_minor), 0) AS refunded_before, COALESCE(SUM(-r.amount_minor), 0) AS reversed_before
      FROM commission_ledger e
      LEFT JOIN commission_ledger r ON r.org_id = e.org_id AND r.opportunity_id = e.opportunity_id
        AND r.order_line_id = e.order_line_id AND r.kind = 'reversed'
      WHERE e.org_id = ${orgId} AND e.order_line_id = ${event.orderLineId} AND e.kind = 'earned'
      GROUP BY e.id`,
  );
  if (earned.length === 0) return;
  const now = ctx.now();
  const month = monthIn(now, await orgTimeZone(tx, orgId));
  for (const e of earned) {
    const amount = commissionReversal({
      commissionMinor: Number(e.commission_minor),
      baseMinor: Number(e.base_minor),
      refundedBeforeMinor: Number(e.refunded_before),
      refundMinor: event.amountMinor,
      reversedBeforeMinor: Number(e.reversed_before),
    });
    // Written even when it rounds to 0: the refund still counts toward the next return's share.
    const written = await tx
      .insert(commissionLedger)
      .values({
        id: newId(),
        orgId,
        staffId: e.staff_id,
        opportunityId: e.opportunity_id,
        orderId: e.order_id,
        orderLineId: event.orderLineId,
        returnId: event.returnId,
        ruleId: null,
        kind: 'reversed',
        month,
        baseMinor: event.amountMinor,
        amountMinor: -amount,
        currency: e.currency,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: commissionLedger.id });
    if (written.length) {
      await audit(ctx, {
        action: 'commission.reverse',
        entityType: 'opportunity',
        entityId: e.opportunity_id,
        data: { staffId: e.staff_id, orderId: e.order_id, orderLineId: event.orderLineId, returnId: event.returnId, refundMinor: event.amountMinor, amountMinor: -amount, currency: e.currency, month },
      }, tx);
    }
  }
}
