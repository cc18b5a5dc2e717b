// 主动提醒补货: the daily replenishment job, one INSERT … SELECT over all customers of the
// organization (nothing is loaded into Node). For each (customer, product) bought, the next
// purchase is due at the last purchase + the customer's own median interval between purchases of
// that product when they bought it at least 3 times, else the product's consumption cycle.
// Reminders due within the window get a row in replenishment_reminders, unique per (organization,
// customer, product, due date): a second run, or a run after a restart, creates nothing twice.
// The channel is a task for the customer's owner, or a message on a channel the customer consented
// to; messages are handed to the messaging outbox by a separate step (deliver-replenishment.ts).
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { mapConcurrently } from '../db/concurrently.ts';
import { rows } from '../db/open.ts';
import { sqlUuidV7 } from '../messaging/enqueue-messages.ts';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import type { ReminderChannel } from './tables.ts';

export const messageChannels = ['wechat', 'sms', 'email'] as const;

export const runReplenishmentInput = z.object({
  /** The job's "today" (its date in the organization's time zone). */
  asOf: z.coerce.date(),
  /** Remind of purchases due from today up to this many days ahead. */
  windowDays: z.number().int().min(0).max(90).default(7),
  /** Also remind of purchases that fell due this many days ago and were never reminded (the job did not run). */
  lookbackDays: z.number().int().min(0).max(365).default(30),
  /** Purchases needed before the customer's own median interval replaces the consumption cycle. */
  minPurchasesForMedian: z.number().int().min(3).max(100).default(3),
  /** Consented channels in order of preference; a customer with none gets a task for the owner. */
  channelPreference: z.array(z.enum(messageChannels)).max(3).default(['wechat', 'sms', 'email']),
  /** Customers per statement: the job walks the customers in id ranges (restartable, bounded memory). */
  batchCustomers: z.number().int().min(1).max(1_000_000).default(50_000),
  /** Ranges run at once (PostgreSQL: one connection each; PGlite runs them one after another). */
  parallel: z.number().int().min(1).max(16).default(1),
});
export type RunReplenishmentInput = z.input<typeof runReplenishmentInput>;

export interface ReplenishmentRunResult {
  created: number;
  byChannel: Partial<Record<ReminderChannel, number>>;
  asOfDate: string;
}

/** Re-exported for callers that imported it from here. */
export { sqlUuidV7 };

export interface RunReplenishmentHooks {
  /** Called after each range of customers is committed (tests: a crash between ranges). */
  afterRange?: (rangeNo: number) => Promise<void>;
}

export async function runReplenishment(ctx: Ctx, raw: RunReplenishmentInput, hooks: RunReplenishmentHooks = {}): Promise<ReplenishmentRunResult> {
  assertCan(ctx.actor, 'replenishment.run');
  const input = runReplenishmentInput.parse(raw);
  const orgId = ctx.actor.orgId;
  const asOf = input.asOf.toISOString();
  const channelCase = input.channelPreference.length
    ? sql`CASE ${sql.join(input.channelPreference.map((ch) => sql`WHEN c.consent ->> ${ch} = 'true' THEN ${ch}`), sql` `)} ELSE 'task' END`
    : sql`'task'`;
  const statement = (range: SQL) => sql`WITH settings AS (
        SELECT (${asOf}::timestamptz AT TIME ZONE timezone)::date AS as_of_date, timezone AS tz FROM organizations WHERE id = ${orgId}
      ), purchases AS (
        -- One purchase per order, however many lines of the product it has.
        SELECT o.customer_id, l.product_id, o.ordered_at
        FROM orders o JOIN order_lines l ON l.order_id = o.id AND l.org_id = ${orgId}
        WHERE o.org_id = ${orgId} AND o.ordered_at <= ${asOf}::timestamptz AND ${range}
        GROUP BY o.customer_id, l.product_id, o.id, o.ordered_at
      ), gaps AS (
        SELECT customer_id, product_id, ordered_at,
          EXTRACT(EPOCH FROM ordered_at - LAG(ordered_at) OVER (PARTITION BY customer_id, product_id ORDER BY ordered_at)) / 86400 AS gap_days
        FROM purchases
      ), per AS (
        SELECT customer_id, product_id, COUNT(*) AS n, MAX(ordered_at) AS last_at,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY gap_days) AS median_days
        FROM gaps GROUP BY customer_id, product_id
      ), basis AS (
        SELECT per.customer_id, per.product_id, per.n, per.last_at, per.median_days, p.name AS product_name, p.sku,
          CASE WHEN per.n >= ${input.minPurchasesForMedian} AND per.median_days >= 1 THEN 'median' ELSE 'cycle' END AS basis,
          CASE WHEN per.n >= ${input.minPurchasesForMedian} AND per.median_days >= 1 THEN ROUND(per.median_days)::int ELSE p.consumption_cycle_days END AS interval_days
        FROM per JOIN products p ON p.id = per.product_id AND p.org_id = ${orgId} AND p.active
      ), due AS (
        SELECT b.*, ((b.last_at AT TIME ZONE s.tz)::date + b.interval_days) AS due_date, s.as_of_date
        FROM basis b CROSS JOIN settings s
        WHERE b.interval_days IS NOT NULL
      ), ins AS (
        INSERT INTO replenishment_reminders (id, org_id, customer_id, product_id, due_date, last_purchase_at, basis, interval_days,
          assignee_id, channel, status, delivery_status, data, created_at, version)
        SELECT ${sqlUuidV7}, ${orgId}::uuid, d.customer_id, d.product_id, d.due_date, d.last_at, d.basis, d.interval_days,
          c.owner_id, ${channelCase}, 'open', CASE WHEN ${channelCase} = 'task' THEN 'none' ELSE 'pending' END,
          jsonb_build_object('productName', d.product_name, 'sku', d.sku, 'purchases', d.n, 'medianDays', d.median_days),
          ${ctx.now().toISOString()}::timestamptz, 1
        FROM due d JOIN customers c ON c.id = d.customer_id AND c.org_id = ${orgId}
        WHERE d.due_date BETWEEN d.as_of_date - ${input.lookbackDays}::int AND d.as_of_date + ${input.windowDays}::int
        ON CONFLICT (org_id, customer_id, product_id, due_date) DO NOTHING
        RETURNING channel
      )
      SELECT ins.channel, COUNT(*) AS n FROM ins GROUP BY ins.channel`;
  // Range boundaries: every batchCustomers-th customer id, from one index-only scan.
  const bounds = (await rows<{ id: string }>(
    ctx.db,
    sql`SELECT id::text AS id FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM customers WHERE org_id = ${orgId}) t
      WHERE rn % ${input.batchCustomers} = 0 ORDER BY id`,
  )).map((r) => r.id);
  const ranges: SQL[] = [];
  for (let i = 0; i <= bounds.length; i++) {
    const lo = i > 0 ? sql`o.customer_id > ${bounds[i - 1]}::uuid` : sql`true`;
    const hi = i < bounds.length ? sql`o.customer_id <= ${bounds[i]}::uuid` : sql`true`;
    ranges.push(sql`${lo} AND ${hi}`);
  }
  const found = (await mapConcurrently(ranges, input.parallel, async (range, rangeNo) => {
    const r = await rows<{ channel: ReminderChannel; n: string | number }>(ctx.db, statement(range));
    if (hooks.afterRange) await hooks.afterRange(rangeNo);
    return r;
  })).flat();
  const byChannel: Partial<Record<ReminderChannel, number>> = {};
  let created = 0;
  for (const r of found) {
    byChannel[r.channel] = (byChannel[r.channel] ?? 0) + Number(r.n);
    created += Number(r.n);
  }
  const [{ as_of_date: asOfDate }] = await rows<{ as_of_date: string }>(
    ctx.db,
    sql`SELECT ((${asOf}::timestamptz AT TIME ZONE timezone)::date)::text AS as_of_date FROM organizations WHERE id = ${orgId}`,
  );
  await audit(ctx, { action: 'replenishment.run', entityType: 'organization', entityId: orgId, data: { asOfDate, created, byChannel, windowDays: input.windowDays } });
  ctx.log.info({ asOfDate, created, byChannel }, 'replenishment reminders created');
  return { created, byChannel, asOfDate };
}
