// The SLA policy of a customer's service order, with service tiers (src/analytics/tiers.ts): when the
// customer's tier names an active SLA policy, that policy; otherwise the usual rules (type, priority,
// tags) with the tier's code as the customer's tier, so tag rules and tier-coded policies both work.
import { and, eq } from 'drizzle-orm';
import { getCustomerTier } from '../analytics/tiers.ts';
import type { Db } from '../db/open.ts';
import { choosePolicyFor, type SlaPolicyRow } from './service-order-store.ts';
import { slaPolicies } from './tables.ts';

export async function choosePolicyForCustomer(
  db: Db,
  orgId: string,
  facts: { type: string; priority: string; customerId: string; customerTags: string[] },
): Promise<SlaPolicyRow | null> {
  const tier = await getCustomerTier(db, orgId, facts.customerId);
  if (tier?.slaPolicyId) {
    const [p] = await db.select().from(slaPolicies).where(and(eq(slaPolicies.orgId, orgId), eq(slaPolicies.id, tier.slaPolicyId), eq(slaPolicies.active, true)));
    if (p) return p;
  }
  return choosePolicyFor(db, orgId, { type: facts.type, priority: facts.priority, customerTags: facts.customerTags, customerTier: tier?.code ?? null });
}
