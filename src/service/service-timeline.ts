// The service desk's contribution to the customer timeline (客户时间线): every service order event,
// summarized in the reader's language. Registered once by importing this module (routes.ts does).
import { sql } from 'drizzle-orm';
import { t, type Locale } from '../i18n/messages.ts';
import { beforeCondition, registerTimelineSource, type TimelineSource } from '../customers/customer-timeline.ts';
import './messages.ts';

function str(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
}

export function summarizeServiceEvent(row: { kind: string; data: Record<string, unknown> }, locale: Locale): string {
  const d = row.data;
  const number = str(d.number);
  const kind = row.kind.replace(/^service\./, '');
  switch (kind) {
    case 'created':
      return t(locale, 'timeline.service.created', { number, title: str(d.title) });
    case 'transition':
      return t(locale, 'timeline.service.transition', { number, from: t(locale, `status.${str(d.from)}`), to: t(locale, `status.${str(d.to)}`) });
    case 'updated': {
      const fields = d.changes && typeof d.changes === 'object' ? Object.keys(d.changes) : [];
      return t(locale, 'timeline.service.updated', { number, fields: fields.map((f) => t(locale, `field.${f}`)).join(locale === 'en' ? ', ' : '、') });
    }
    case 'sla_at_risk':
    case 'sla_breached':
      return t(locale, `timeline.service.${kind}`, { number, target: t(locale, `sla_target.${str(d.target)}`) });
    case 'callback_outcome':
      return t(locale, 'timeline.service.callback_outcome', { number, outcome: t(locale, `callback_outcome.${str(d.outcome)}`) });
    default:
      return t(locale, `timeline.service.${kind}`, { number });
  }
}

export const serviceTimelineSource: TimelineSource = {
  name: 'service_orders',
  query: (p) => sql`SELECT id, ('service.' || kind) AS kind, at AS occurred_at, actor_id, ''::text AS summary,
      data || jsonb_build_object('serviceOrderId', service_order_id) AS data
    FROM service_order_events
    WHERE org_id = ${p.orgId} AND customer_id = ${p.customerId} AND ${beforeCondition(sql`at`, sql`id`, p.before)}
    ORDER BY at DESC NULLS LAST, id DESC NULLS LAST LIMIT ${p.limit}`,
  summarize: summarizeServiceEvent,
};

registerTimelineSource(serviceTimelineSource);
