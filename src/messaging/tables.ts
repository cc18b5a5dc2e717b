import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { customers } from '../customers/tables.ts';
import { organizations, users } from '../platform/tables.ts';

export type MessageChannel = 'sms' | 'email' | 'wecom' | 'dingtalk' | 'in_app';
export type MessageStatus = 'pending' | 'sent' | 'failed' | 'suppressed';

/**
 * 消息发件箱: every SMS, email, WeCom/DingTalk and in-app message Kefu sends, written before it is sent.
 * Suppressed messages (no consent, no contact point) stay here with their reason: nothing is dropped
 * silently. `dedupe_key` makes a reminder or notification impossible to write twice.
 */
export const outboxMessages = pgTable('outbox_messages', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  channel: text('channel').$type<MessageChannel>().notNull(),
  /** Phone number, email address or user id, as the channel needs it. */
  recipient: text('recipient').notNull(),
  customerId: uuid('customer_id').references(() => customers.id),
  userId: uuid('user_id').references(() => users.id),
  subject: text('subject'),
  body: text('body').notNull(),
  templateKey: text('template_key'),
  templateParams: jsonb('template_params').$type<Record<string, string | number | boolean | null>>().notNull().default(sql`'{}'::jsonb`),
  status: text('status').$type<MessageStatus>().notNull().default('pending'),
  /** Why a message was suppressed or failed: a stable code (no_consent, no_contact_point, …) or the provider's error. */
  reason: text('reason'),
  dedupeKey: text('dedupe_key'),
  attempts: integer('attempts').notNull().default(0),
  /** A dispatcher holds the message until then (lease): two dispatchers never send the same message. */
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  /** The provider's id for the sent message (network adapters). */
  externalId: text('external_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  sentAt: timestamp('sent_at', { withTimezone: true }),
}, (t) => [
  uniqueIndex('outbox_messages_org_dedupe_key').on(t.orgId, t.dedupeKey),
  index('outbox_messages_org_id_idx').on(t.orgId, t.id.desc()),
  // The customer's messages: the outbox filter by customer and the customer timeline (newest first).
  index('outbox_messages_org_customer_idx').on(t.orgId, t.customerId, t.createdAt.desc(), t.id.desc()),
  // The dispatcher's scan: pending messages only, oldest first.
  index('outbox_messages_pending_idx').on(t.id).where(sql`${t.status} = 'pending'`),
]);
