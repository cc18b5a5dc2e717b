// The orders domain on the customer timeline (客户时间线): orders placed, fulfilment stage events
// and returns/exchanges, each branch an index range scan on (org, customer, time desc, id desc).
import { sql } from 'drizzle-orm';
import { t, type Locale } from '../i18n/messages.ts';
import { beforeCondition, registerTimelineSource, type TimelineSource } from '../customers/customer-timeline.ts';
import './messages.ts';
import { formatMoney } from './model/money.ts';

const str = (v: unknown) => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0));
const orderLabel = (d: Record<string, unknown>) => str(d.orderNo) || str(d.orderId).slice(-8);

export const orderCreatedSource: TimelineSource = {
  name: 'orders',
  query: (p) => sql`SELECT o.id, 'order.create'::text AS kind, o.ordered_at AS occurred_at, o.created_by AS actor_id, ''::text AS summary,
      jsonb_build_object('orderId', o.id, 'orderNo', o.order_no, 'currency', o.currency, 'totalMinor', o.total_minor, 'channel', o.channel,
        'lines', (SELECT COUNT(*) FROM order_lines l WHERE l.order_id = o.id)) AS data
    FROM orders o
    WHERE o.org_id = ${p.orgId} AND o.customer_id = ${p.customerId} AND ${beforeCondition(sql`o.ordered_at`, sql`o.id`, p.before)}
    ORDER BY o.ordered_at DESC NULLS LAST, o.id DESC NULLS LAST LIMIT ${p.limit}`,
  summarize: (row, locale: Locale) =>
    t(locale, 'timeline.order.create', { orderNo: orderLabel(row.data), lines: num(row.data.lines), amount: formatMoney(num(row.data.totalMinor), str(row.data.currency)) }),
};

export const orderStageSource: TimelineSource = {
  name: 'order-stages',
  // The first event (received) is the order itself, shown by the orders source.
  query: (p) => sql`SELECT e.id, 'order.stage'::text AS kind, e.at AS occurred_at, e.actor_id, ''::text AS summary,
      jsonb_build_object('orderId', e.order_id, 'orderNo', (SELECT o.order_no FROM orders o WHERE o.id = e.order_id),
        'stage', e.stage, 'fromStage', e.from_stage, 'correction', e.correction, 'note', e.note) AS data
    FROM order_stage_events e
    WHERE e.org_id = ${p.orgId} AND e.customer_id = ${p.customerId} AND e.from_stage IS NOT NULL
      AND ${beforeCondition(sql`e.at`, sql`e.id`, p.before)}
    ORDER BY e.at DESC NULLS LAST, e.id DESC NULLS LAST LIMIT ${p.limit}`,
  summarize: (row, locale: Locale) =>
    t(locale, row.data.correction === true ? 'timeline.order.stage_correction' : 'timeline.order.stage', {
      orderNo: orderLabel(row.data),
      stage: t(locale, `stage.${str(row.data.stage)}`),
    }),
};

export const orderReturnSource: TimelineSource = {
  name: 'order-returns',
  query: (p) => sql`SELECT r.id, ('order.' || r.kind)::text AS kind, r.at AS occurred_at, r.actor_id, ''::text AS summary,
      jsonb_build_object('orderId', r.order_id, 'orderLineId', r.order_line_id, 'sku', (SELECT l.sku FROM order_lines l WHERE l.id = r.order_line_id),
        'quantity', r.quantity, 'amountMinor', r.amount_minor, 'currency', (SELECT o.currency FROM orders o WHERE o.id = r.order_id),
        'reason', r.reason, 'outcome', r.outcome, 'status', r.status) AS data
    FROM order_returns r
    WHERE r.org_id = ${p.orgId} AND r.customer_id = ${p.customerId} AND ${beforeCondition(sql`r.at`, sql`r.id`, p.before)}
    ORDER BY r.at DESC NULLS LAST, r.id DESC NULLS LAST LIMIT ${p.limit}`,
  summarize: (row, locale: Locale) => {
    const kind = row.kind === 'order.exchange' ? 'exchange' : 'return';
    const status = str(row.data.status);
    const key = status === 'requested' || status === 'rejected' ? `timeline.order.${kind}_${status}` : `timeline.order.${kind}`;
    return t(locale, key, {
      sku: str(row.data.sku),
      quantity: num(row.data.quantity),
      amount: formatMoney(num(row.data.amountMinor), str(row.data.currency)),
      reason: str(row.data.reason),
    });
  },
};

/** Called once at startup (routes.ts imports this module); registering again replaces by name. */
export function registerOrderTimelineSources(): void {
  registerTimelineSource(orderCreatedSource);
  registerTimelineSource(orderStageSource);
  registerTimelineSource(orderReturnSource);
}

registerOrderTimelineSources();
