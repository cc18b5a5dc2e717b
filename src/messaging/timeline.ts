// Messages to a customer on the customer's timeline (客户时间线): sent, pending, failed and suppressed
// (with the reason), so the customer file shows what was said to the customer and what was held back.
import { sql } from 'drizzle-orm';
import { beforeCondition, registerTimelineSource } from '../customers/customer-timeline.ts';
import { t } from '../i18n/messages.ts';
import './messages.ts';

registerTimelineSource({
  name: 'messages',
  query: (p) => sql`SELECT id, 'message'::text AS kind, created_at AS occurred_at, NULL::uuid AS actor_id, ''::text AS summary,
      jsonb_build_object('channel', channel, 'status', status, 'reason', reason, 'subject', subject, 'body', body) AS data
    FROM outbox_messages
    WHERE org_id = ${p.orgId} AND customer_id = ${p.customerId} AND ${beforeCondition(sql`created_at`, sql`id`, p.before)}
    ORDER BY created_at DESC NULLS LAST, id DESC NULLS LAST LIMIT ${p.limit}`,
  summarize: (row, locale) =>
    t(locale, 'timeline.message', {
      channel: t(locale, `outbox.channel.${String(row.data.channel)}`),
      status: t(locale, `outbox.status.${String(row.data.status)}`),
      body: String(row.data.body ?? ''),
    }),
});
