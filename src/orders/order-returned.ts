// Hook point for other domains that must react to a return (commissions are reversed through it).
// Listeners run inside the return's transaction: if one throws, the return is not recorded.
import type { Db } from '../db/open.ts';
import type { Ctx } from '../platform/context.ts';
import type { ReturnKind } from './tables.ts';

export interface OrderReturnedEvent {
  orderId: string;
  orderLineId: string;
  returnId: string;
  customerId: string;
  kind: ReturnKind;
  quantity: number;
  /** Refunded, in the order's currency (0 for a like-for-like exchange). */
  amountMinor: number;
  currency: string;
}

export type OrderReturnedListener = (ctx: Ctx, event: OrderReturnedEvent, tx: Db) => Promise<void>;

const listeners = new Set<OrderReturnedListener>();

/** Registers a listener; returns a function that removes it. */
export function onOrderReturned(listener: OrderReturnedListener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

export async function emitOrderReturned(ctx: Ctx, event: OrderReturnedEvent, tx: Db): Promise<void> {
  for (const l of [...listeners]) await l(ctx, event, tx);
}
