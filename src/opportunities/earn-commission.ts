// 提成入账: when an opportunity is won, the staff member who found the need earns the commission of
// the resulting order under the organization's active rules, one ledger row per order line. Called
// inside the win's transaction; the ledger's unique key makes a retry write nothing.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/open.ts';
import type { Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import type { OrderSummary } from '../orders/get-order-summary.ts';
import { commissionForOrder, monthIn, type CommissionRule } from './model/commission.ts';
import { orgTimeZone } from './opportunity-store.ts';
import { commissionLedger, commissionRules } from './tables.ts';

export async function activeCommissionRules(db: Db, orgId: string): Promise<CommissionRule[]> {
  const found = await db.select().from(commissionRules).where(and(eq(commissionRules.orgId, orgId), eq(commissionRules.active, true)));
  return found.map((r) => ({
    id: r.id,
    productCategory: r.productCategory,
    kind: r.kind,
    basisPoints: r.basisPoints,
    fixedMinor: r.fixedMinor,
    currency: r.currency,
    priority: r.priority,
  }));
}

/** Writes the earned rows (none when no rule applies or nobody is to be paid); returns their total. */
export async function earnCommission(
  ctx: Ctx,
  tx: Db,
  p: { opportunityId: string; staffId: string | null; order: OrderSummary },
): Promise<number> {
  if (!p.staffId) return 0;
  const rules = await activeCommissionRules(tx, ctx.actor.orgId);
  const lines = p.order.lines.map((l) => ({ id: l.id, category: l.category, amountMinor: Math.max(0, l.amountMinor - l.returnedMinor) }));
  const earned = commissionForOrder(rules, { currency: p.order.currency, lines });
  if (earned.length === 0) return 0;
  const now = ctx.now();
  const month = monthIn(now, await orgTimeZone(tx, ctx.actor.orgId));
  const written = await tx
    .insert(commissionLedger)
    .values(
      earned.map((e) => ({
        id: newId(),
        orgId: ctx.actor.orgId,
        staffId: p.staffId!,
        opportunityId: p.opportunityId,
        orderId: p.order.id,
        orderLineId: e.lineId,
        returnId: null,
        ruleId: e.ruleId,
        kind: 'earned' as const,
        month,
        baseMinor: e.baseMinor,
        amountMinor: e.amountMinor,
        currency: p.order.currency,
        createdAt: now,
      })),
    )
    .onConflictDoNothing()
    .returning({ amountMinor: commissionLedger.amountMinor });
  return written.reduce((s, r) => s + r.amountMinor, 0);
}
