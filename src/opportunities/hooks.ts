// What the service marketing domain plugs into other domains at startup: commission reversal on
// returns (orders' onOrderReturned) and the customer timeline sources. Idempotent; the composition
// root (and the routes, and tests) call it.
import { registerTimelineSource } from '../customers/customer-timeline.ts';
import { onOrderReturned } from '../orders/order-returned.ts';
import { latentNeedSource, opportunityStageSource } from './opportunity-timeline.ts';
import { reverseCommissionForReturn } from './reverse-commission.ts';

let registered = false;

export function registerOpportunityHooks(): void {
  if (registered) return;
  registered = true;
  onOrderReturned(reverseCommissionForReturn);
  registerTimelineSource(latentNeedSource);
  registerTimelineSource(opportunityStageSource);
}
