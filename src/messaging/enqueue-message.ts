// 发送消息: write a message to the outbox for the dispatcher to deliver. The caller (a use case or a
// job acting for the organization) has already decided the message should go out and checked its own
// permission; this use case decides whether it may: the customer's consent for the channel and a
// contact point to reach. A message that may not go out is still written, as 'suppressed' with its
// reason, so nothing is dropped silently. The same `dedupeKey` is written once per organization.
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/open.ts';
import { findCustomerInScope } from '../customers/get-customer.ts';
import { audit } from '../platform/audit.ts';
import type { Ctx } from '../platform/context.ts';
import { Invalid, fieldError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { users } from '../platform/tables.ts';
import './messages.ts';
import { outboxMessages, type MessageChannel, type MessageStatus } from './tables.ts';

export const messageChannels = ['sms', 'email', 'wecom', 'dingtalk', 'in_app'] as const satisfies readonly MessageChannel[];
export const messageStatuses = ['pending', 'sent', 'failed', 'suppressed'] as const satisfies readonly MessageStatus[];

/** Why a message was not sent: stable codes, shown translated (messages.ts `outbox.reason.*`). */
export type SuppressionReason = 'no_consent' | 'no_contact_point' | 'user_inactive';

const templateParam = z.union([z.string().max(500), z.number(), z.boolean(), z.null()]);

export const enqueueMessageInput = z
  .object({
    channel: z.enum(messageChannels),
    /** A customer (consent is checked) … */
    customerId: z.string().uuid().optional(),
    /** … or a staff member (internal notifications). */
    userId: z.string().uuid().optional(),
    /** One of the customer's own phones or emails; default the first one the channel can use. */
    recipient: z.string().trim().min(1).max(200).optional(),
    subject: z.string().trim().max(200).optional(),
    body: z.string().trim().min(1).max(2000),
    templateKey: z.string().max(100).optional(),
    templateParams: z.record(z.string(), templateParam).default({}),
    /** Same key, same organization: written once (e.g. `replenishment:${customerId}:${dueDate}`). */
    dedupeKey: z.string().min(1).max(300).optional(),
  })
  .superRefine((v, c) => {
    if (Boolean(v.customerId) === Boolean(v.userId)) {
      c.addIssue({ code: 'custom', path: ['customerId'], message: 'exactly_one_recipient' });
    }
    if (v.channel === 'in_app' && !v.userId) c.addIssue({ code: 'custom', path: ['userId'], message: 'in_app_needs_user' });
  });
export type EnqueueMessageInput = z.input<typeof enqueueMessageInput>;

export interface EnqueuedMessage {
  id: string;
  status: MessageStatus;
  reason: string | null;
  /** False when a message with this dedupe key already existed (it is returned instead). */
  created: boolean;
}

/** Which consent flag (customers.consent) covers a channel. WeCom reaches customers through WeChat. */
const consentKey: Record<Exclude<MessageChannel, 'in_app'>, string> = {
  sms: 'sms',
  email: 'email',
  wecom: 'wechat',
  dingtalk: 'dingtalk',
};

interface Resolved {
  recipient: string;
  status: MessageStatus;
  reason: SuppressionReason | null;
}

async function resolveCustomer(ctx: Ctx, db: Db, channel: MessageChannel, customerId: string, explicit: string | undefined): Promise<Resolved> {
  const { row } = await findCustomerInScope(ctx, customerId, { db });
  if (channel === 'in_app') throw new Invalid([fieldError('channel', 'in_app_needs_user', 'field.messaging.in_app_needs_user')]);
  const points = channel === 'sms' ? row.phones : channel === 'email' ? row.emails : [];
  if (explicit !== undefined && !points.includes(explicit)) {
    throw new Invalid([fieldError('recipient', 'not_customer_contact', 'field.messaging.not_customer_contact')]);
  }
  const recipient = explicit ?? points[0] ?? '';
  // Opt-in: only an explicit true is consent (个人信息保护法).
  if (row.consent?.[consentKey[channel] as keyof typeof row.consent] !== true) return { recipient, status: 'suppressed', reason: 'no_consent' };
  if (!recipient) return { recipient, status: 'suppressed', reason: 'no_contact_point' };
  return { recipient, status: 'pending', reason: null };
}

async function resolveUser(ctx: Ctx, db: Db, channel: MessageChannel, userId: string): Promise<Resolved> {
  const [user] = await db
    .select({ id: users.id, email: users.email, active: users.active })
    .from(users)
    .where(and(eq(users.orgId, ctx.actor.orgId), eq(users.id, userId)));
  if (!user) throw new Invalid([fieldError('userId', 'unknown_user', 'field.messaging.unknown_user')]);
  const recipient = channel === 'in_app' ? user.id : channel === 'email' ? user.email : '';
  if (!user.active) return { recipient, status: 'suppressed', reason: 'user_inactive' };
  if (!recipient) return { recipient, status: 'suppressed', reason: 'no_contact_point' };
  return { recipient, status: 'pending', reason: null };
}

async function existing(db: Db, orgId: string, dedupeKey: string): Promise<EnqueuedMessage | null> {
  const [m] = await db
    .select({ id: outboxMessages.id, status: outboxMessages.status, reason: outboxMessages.reason })
    .from(outboxMessages)
    .where(and(eq(outboxMessages.orgId, orgId), eq(outboxMessages.dedupeKey, dedupeKey)));
  return m ? { ...m, created: false } : null;
}

/** Writes the message (inside `tx` when given, so it exists only if the caller's transaction commits). */
export async function enqueueMessage(ctx: Ctx, raw: EnqueueMessageInput, tx?: Db): Promise<EnqueuedMessage> {
  const input = enqueueMessageInput.parse(raw);
  const orgId = ctx.actor.orgId;
  const run = async (db: Db): Promise<EnqueuedMessage> => {
    if (input.dedupeKey) {
      const found = await existing(db, orgId, input.dedupeKey);
      if (found) return found;
    }
    const resolved = input.customerId
      ? await resolveCustomer(ctx, db, input.channel, input.customerId, input.recipient)
      : await resolveUser(ctx, db, input.channel, input.userId!);
    const id = newId();
    const inserted = await db
      .insert(outboxMessages)
      .values({
        id,
        orgId,
        channel: input.channel,
        recipient: resolved.recipient,
        customerId: input.customerId ?? null,
        userId: input.userId ?? null,
        subject: input.subject ?? null,
        body: input.body,
        templateKey: input.templateKey ?? null,
        templateParams: input.templateParams,
        status: resolved.status,
        reason: resolved.reason,
        dedupeKey: input.dedupeKey ?? null,
        createdAt: ctx.now(),
      })
      .onConflictDoNothing({ target: [outboxMessages.orgId, outboxMessages.dedupeKey] })
      .returning({ id: outboxMessages.id });
    if (inserted.length === 0) {
      // Another writer took the key between our check and our insert.
      const found = await existing(db, orgId, input.dedupeKey!);
      if (found) return found;
    }
    await audit(
      ctx,
      {
        action: 'message.enqueue',
        entityType: 'outbox_message',
        entityId: id,
        data: { channel: input.channel, status: resolved.status, reason: resolved.reason, customerId: input.customerId ?? null, userId: input.userId ?? null },
      },
      db,
    );
    return { id, status: resolved.status, reason: resolved.reason, created: true };
  };
  return tx ? run(tx) : ctx.db.transaction(run);
}
