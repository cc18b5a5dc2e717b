// 站内通知: an internal notification to a staff member (an escalated service order to its supervisor),
// through the outbox on the in_app channel, written once per dedupe key.
import { z } from 'zod';
import type { Db } from '../db/open.ts';
import type { Ctx } from '../platform/context.ts';
import { enqueueMessage, type EnqueuedMessage } from './enqueue-message.ts';

export const notifyUserInput = z.object({
  userId: z.string().uuid(),
  subject: z.string().trim().max(200).optional(),
  body: z.string().trim().min(1).max(2000),
  /** e.g. `escalation:${serviceOrderId}:${level}:${userId}` */
  dedupeKey: z.string().min(1).max(300).optional(),
  templateKey: z.string().max(100).optional(),
  templateParams: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});
export type NotifyUserInput = z.input<typeof notifyUserInput>;

export async function notifyUser(ctx: Ctx, input: NotifyUserInput, tx?: Db): Promise<EnqueuedMessage> {
  return enqueueMessage(ctx, { channel: 'in_app', ...notifyUserInput.parse(input) }, tx);
}
