// 批量写入发件箱: the set-based form of enqueueMessage, for jobs that write thousands of messages at
// once (replenishment reminders, owner notifications). The same rules, decided in SQL instead of per
// row: a customer message is 'pending' only with the customer's consent for the channel and a contact
// point to reach, else 'suppressed' with its reason; a staff message is suppressed for a disabled
// account; the same dedupe key is written once per organization (ON CONFLICT DO NOTHING); each written
// message gets its 'message.enqueue' audit row. Delivery is unchanged: the dispatcher hands the pending
// rows to the channel's adapter (the default adapter is the outbox itself; SMS/email adapters send).
//
// `outboxInsertCtes(ctx, 'src')` returns two CTEs to put after the caller's own `WITH … src AS (…)`:
// `outbox_ins` (the rows written: id, channel, status, reason, customer_id, user_id, dedupe_key) and
// `outbox_audit`. `src` must have the columns
//   message_id uuid, channel text, customer_id uuid, user_id uuid, subject text, body text,
//   template_key text, template_params jsonb, dedupe_key text
// with exactly one of customer_id / user_id set, and channel 'in_app' only for users.
import { sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../platform/context.ts';

/**
 * A UUIDv7 made in SQL (48-bit millisecond time, version 7, random rest), for set-based inserts
 * where calling newId() per row would mean loading the rows into Node.
 */
export const sqlUuidV7 = sql`encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
  placing substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid`;

export function outboxInsertCtes(ctx: Ctx, src: string): SQL {
  const orgId = ctx.actor.orgId;
  const now = ctx.now().toISOString();
  const from = sql.identifier(src);
  return sql`outbox_resolved AS (
      SELECT s.*,
        CASE
          WHEN s.customer_id IS NOT NULL THEN COALESCE(CASE s.channel WHEN 'sms' THEN c.phones[1] WHEN 'email' THEN c.emails[1] END, '')
          ELSE COALESCE(CASE s.channel WHEN 'in_app' THEN u.id::text WHEN 'email' THEN u.email END, '')
        END AS recipient,
        CASE
          -- Opt-in: only an explicit true is consent (个人信息保护法). WeCom reaches customers through WeChat.
          WHEN s.customer_id IS NOT NULL AND (c.consent ->> (CASE s.channel WHEN 'wecom' THEN 'wechat' ELSE s.channel END)) IS DISTINCT FROM 'true' THEN 'no_consent'
          WHEN s.user_id IS NOT NULL AND NOT u.active THEN 'user_inactive'
        END AS refusal
      FROM ${from} s
      LEFT JOIN customers c ON c.id = s.customer_id AND c.org_id = ${orgId}
      LEFT JOIN users u ON u.id = s.user_id AND u.org_id = ${orgId}
      WHERE (s.customer_id IS NOT NULL AND c.id IS NOT NULL) OR (s.user_id IS NOT NULL AND u.id IS NOT NULL)
    ), outbox_ins AS (
      INSERT INTO outbox_messages (id, org_id, channel, recipient, customer_id, user_id, subject, body, template_key, template_params, status, reason, dedupe_key, created_at)
      SELECT r.message_id, ${orgId}::uuid, r.channel, r.recipient, r.customer_id, r.user_id, r.subject, r.body, r.template_key, r.template_params,
        CASE WHEN r.refusal IS NULL AND r.recipient <> '' THEN 'pending' ELSE 'suppressed' END,
        COALESCE(r.refusal, CASE WHEN r.recipient = '' THEN 'no_contact_point' END),
        r.dedupe_key, ${now}::timestamptz
      FROM outbox_resolved r
      ON CONFLICT (org_id, dedupe_key) DO NOTHING
      RETURNING id, channel, status, reason, customer_id, user_id, dedupe_key
    ), outbox_audit AS (
      INSERT INTO audit_log (id, org_id, actor_id, action, entity_type, entity_id, data, ip, at)
      SELECT ${sqlUuidV7}, ${orgId}::uuid, ${ctx.actor.userId}::uuid, 'message.enqueue', 'outbox_message', i.id,
        jsonb_build_object('channel', i.channel, 'status', i.status, 'reason', i.reason, 'customerId', i.customer_id, 'userId', i.user_id),
        ${ctx.actor.ip ?? null}, ${now}::timestamptz
      FROM outbox_ins i
      RETURNING id
    )`;
}
