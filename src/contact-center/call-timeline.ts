// Calls on the customer timeline (客户时间线): every call attached to the customer by phone, summarized in
// the reader's language. Registered by importing this module (routes.ts does).
import { sql } from 'drizzle-orm';
import { t, type Locale } from '../i18n/messages.ts';
import { beforeCondition, registerTimelineSource, type TimelineSource } from '../customers/customer-timeline.ts';
import './messages.ts';

function num(v: unknown): string {
  return typeof v === 'number' ? String(Math.round(v)) : '0';
}

export function summarizeCall(row: { kind: string; data: Record<string, unknown> }, locale: Locale): string {
  const queue = typeof row.data.queueName === 'string' ? row.data.queueName : '—';
  const kind = row.kind.replace(/^call\./, '');
  return t(locale, `timeline.call.${kind}`, { queue, wait: num(row.data.waitSeconds), talk: num(row.data.talkSeconds) });
}

export const callTimelineSource: TimelineSource = {
  name: 'calls',
  query: (p) => sql`SELECT c.id, ('call.' || CASE WHEN c.answered_at IS NOT NULL THEN 'answered' WHEN c.abandoned THEN 'abandoned' ELSE 'open' END) AS kind,
      c.offered_at AS occurred_at, NULL::uuid AS actor_id, ''::text AS summary,
      jsonb_build_object('callId', c.call_id, 'queueId', c.queue_id, 'queueName', (SELECT name FROM cc_queues q WHERE q.id = c.queue_id),
        'agentId', c.agent_id, 'waitSeconds', c.wait_seconds, 'talkSeconds', c.talk_seconds, 'transferred', c.transferred, 'phone', c.phone) AS data
    FROM cc_calls c
    WHERE c.org_id = ${p.orgId} AND c.customer_id = ${p.customerId} AND c.offered_at IS NOT NULL
      AND ${beforeCondition(sql`c.offered_at`, sql`c.id`, p.before)}
    ORDER BY c.offered_at DESC NULLS LAST, c.id DESC NULLS LAST LIMIT ${p.limit}`,
  summarize: summarizeCall,
};

registerTimelineSource(callTimelineSource);
