// A comment on a service order: an event on the order's and the customer's timeline (no version bump:
// comments never conflict with edits).
import { z } from 'zod';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { findServiceOrderInScope, recordEvent } from './service-order-store.ts';

export const addCommentInput = z.object({ text: z.string().trim().min(1).max(10_000) }).strict();
export type AddCommentInput = z.input<typeof addCommentInput>;

export async function addServiceOrderComment(ctx: Ctx, id: string, raw: AddCommentInput): Promise<{ ok: true }> {
  assertCan(ctx.actor, 'service.write');
  const input = addCommentInput.parse(raw);
  await ctx.db.transaction(async (tx) => {
    const order = await findServiceOrderInScope(ctx, id, { db: tx });
    await recordEvent(ctx, tx, order, 'comment', { text: input.text });
    await audit(ctx, { action: 'service_order.comment', entityType: 'service_order', entityId: order.id, data: {} }, tx);
  });
  return { ok: true };
}
