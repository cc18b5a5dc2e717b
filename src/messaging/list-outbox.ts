// 发件箱: the messages Kefu wrote, newest first, for admins and supervisors. Phones, emails and any
// number inside the text are masked for roles without `customer.pii`; messages about customers
// outside the actor's data scope are not listed.
import { and, desc, eq, lt, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { maskDeep, maskText, mustMask } from '../customers/present-customer.ts';
import { maskEmail, maskPhone } from '../customers/model/masking.ts';
import { customerScopeCondition } from '../customers/scope.ts';
import { customers } from '../customers/tables.ts';
import { t } from '../i18n/messages.ts';
import { assertCan, customerScope, type Ctx } from '../platform/context.ts';
import { messageChannels, messageStatuses } from './enqueue-message.ts';
import './messages.ts';
import { outboxMessages } from './tables.ts';

export const listOutboxQuery = z.object({
  channel: z.enum(messageChannels).optional(),
  status: z.enum(messageStatuses).optional(),
  customerId: z.string().uuid().optional(),
  /** The last id of the previous page (ids are time-ordered UUIDv7). */
  cursor: z.string().uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const outboxMessageOutput = z.object({
  id: z.string(),
  channel: z.enum(messageChannels),
  recipient: z.string(),
  customerId: z.string().nullable(),
  userId: z.string().nullable(),
  subject: z.string().nullable(),
  body: z.string(),
  templateKey: z.string().nullable(),
  templateParams: z.record(z.string(), z.unknown()),
  status: z.enum(messageStatuses),
  reason: z.string().nullable(),
  /** The reason in the caller's language. */
  reasonText: z.string().nullable(),
  dedupeKey: z.string().nullable(),
  attempts: z.number().int(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  masked: z.boolean(),
});
export type OutboxMessageOutput = z.infer<typeof outboxMessageOutput>;

export const outboxPage = z.object({ items: z.array(outboxMessageOutput), nextCursor: z.string().nullable() });

const KNOWN_REASONS = new Set(['no_consent', 'no_contact_point', 'user_inactive']);

export async function listOutbox(ctx: Ctx, raw: z.input<typeof listOutboxQuery>): Promise<z.infer<typeof outboxPage>> {
  assertCan(ctx.actor, 'outbox.read');
  const q = listOutboxQuery.parse(raw);
  const conds: SQL[] = [eq(outboxMessages.orgId, ctx.actor.orgId)];
  if (q.channel) conds.push(eq(outboxMessages.channel, q.channel));
  if (q.status) conds.push(eq(outboxMessages.status, q.status));
  if (q.customerId) conds.push(eq(outboxMessages.customerId, q.customerId));
  if (q.cursor) conds.push(lt(outboxMessages.id, q.cursor));
  if (customerScope(ctx.actor) !== 'all') {
    conds.push(
      or(
        sql`${outboxMessages.customerId} IS NULL`,
        sql`EXISTS (SELECT 1 FROM ${customers} WHERE ${customers.id} = ${outboxMessages.customerId} AND ${customerScopeCondition(ctx.actor)})`,
      )!,
    );
  }
  const found = await ctx.db
    .select()
    .from(outboxMessages)
    .where(and(...conds))
    .orderBy(desc(outboxMessages.id))
    .limit(q.limit + 1);
  const page = found.slice(0, q.limit);
  const masked = mustMask(ctx.actor);
  const locale = ctx.actor.locale;
  return {
    items: page.map((m) => {
      const recipient = !masked || m.channel === 'in_app' || !m.recipient ? m.recipient : m.channel === 'email' ? maskEmail(m.recipient) : m.channel === 'sms' ? maskPhone(m.recipient) : maskText(m.recipient);
      const reasonText = m.reason
        ? KNOWN_REASONS.has(m.reason)
          ? t(locale, `outbox.reason.${m.reason}`)
          : t(locale, 'outbox.reason.delivery_failed', { error: masked ? maskText(m.reason) : m.reason })
        : null;
      return {
        id: m.id,
        channel: m.channel,
        recipient,
        customerId: m.customerId,
        userId: m.userId,
        subject: m.subject === null ? null : masked ? maskText(m.subject) : m.subject,
        body: masked ? maskText(m.body) : m.body,
        templateKey: m.templateKey,
        templateParams: (masked ? maskDeep(m.templateParams) : m.templateParams) as Record<string, unknown>,
        status: m.status,
        reason: m.reason === null ? null : masked ? maskText(m.reason) : m.reason,
        reasonText,
        dedupeKey: m.dedupeKey === null ? null : masked ? maskText(m.dedupeKey) : m.dedupeKey,
        attempts: m.attempts,
        createdAt: m.createdAt.toISOString(),
        sentAt: m.sentAt ? m.sentAt.toISOString() : null,
        masked,
      };
    }),
    nextCursor: found.length > q.limit ? page[page.length - 1].id : null,
  };
}
