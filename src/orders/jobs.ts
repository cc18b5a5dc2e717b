// The orders domain's background job (wired at integration): `orders.replenishment`, daily from 09:00
// in each organization's time zone (src/jobs/daily.ts). One run, set-based throughout (nothing is
// loaded into Node row by row, so a million customers take seconds, not minutes):
// 1. runReplenishment creates the day's reminders, one INSERT … SELECT per range of customer ids
//    (unique per customer, product and due date);
// 2. queueReplenishmentMessages writes reminders on a consented channel to the messaging outbox with
//    INSERT … SELECT (consent and contact point checked in SQL, dedupe key per reminder, audit rows),
//    in the transaction that marks them queued; the outbox dispatcher then hands them to the channel's
//    adapter (messaging.dispatch), so an installed SMS or email adapter still sends them;
// 3. notifyReplenishmentTasks notifies the owners of task reminders in-app, the same way (dedupe key
//    per reminder, the owner's language).
// Each step is idempotent, so a run that crashed anywhere and is run again (pg-boss retry, restart)
// neither duplicates nor loses a reminder or a message.
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../db/open.ts';
import { sqlMessageIn } from '../i18n/sql-messages.ts';
import { registerDailyJob, type DailyJobData } from '../jobs/daily.ts';
import { jobCtx, registerJobHandler, type JobEnv } from '../jobs/queue.ts';
import { outboxInsertCtes, sqlUuidV7 } from '../messaging/enqueue-messages.ts';
import type { Ctx } from '../platform/context.ts';
import { queueReplenishmentMessages, replenishmentMessageKeyPrefix, replenishmentTaskKeyPrefix } from './deliver-replenishment.ts';
import './messages.ts';
import { runReplenishment, type ReplenishmentRunResult } from './run-replenishment.ts';

/** Dedupe keys: one outbox message per reminder, one owner notification per task reminder. */
export const replenishmentMessageKey = (reminderId: string): string => `${replenishmentMessageKeyPrefix}${reminderId}`;
export const replenishmentTaskKey = (reminderId: string): string => `${replenishmentTaskKeyPrefix}${reminderId}`;

/**
 * Notifies the owner of each open task reminder created in the last `lookbackDays` (a retried or
 * late run is well inside it) once, in the owner's language: one INSERT … SELECT per batch of
 * reminders, the dedupe key making a rerun write nothing twice.
 */
export async function notifyReplenishmentTasks(
  ctx: Ctx,
  opts: { batchSize?: number; lookbackDays?: number; inBatch?: (batchNo: number) => Promise<void> } = {},
): Promise<{ notified: number }> {
  const batchSize = opts.batchSize ?? 20_000;
  const since = new Date(ctx.now().getTime() - (opts.lookbackDays ?? 3) * 86_400_000);
  const orgId = ctx.actor.orgId;
  const params = { customer: sql`c.name`, product: sql`b.data ->> 'productName'`, dueDate: sql`b.due_date::text` };
  let notified = 0;
  let after: string | null = null;
  for (let batchNo = 0; ; batchNo++) {
    const page: { n: string | number; last_id: string | null; notified: string | number } = await ctx.db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      const [r] = await rows<{ n: string | number; last_id: string | null; notified: string | number }>(
        tx,
        sql`WITH batch AS MATERIALIZED (
            SELECT r.id, r.assignee_id, r.customer_id, r.due_date, r.data, ${sqlUuidV7} AS message_id
            FROM replenishment_reminders r
            WHERE r.org_id = ${orgId} AND r.channel = 'task' AND r.status = 'open' AND r.assignee_id IS NOT NULL
              AND r.created_at > ${since.toISOString()}::timestamptz
              ${after ? sql`AND r.id > ${after}::uuid` : sql``}
            ORDER BY r.id LIMIT ${batchSize}
          ), src AS (
            SELECT b.message_id, 'in_app'::text AS channel, NULL::uuid AS customer_id, b.assignee_id AS user_id,
              ${sqlMessageIn(sql`u.locale`, 'replenishment.task.subject', {})} AS subject,
              ${sqlMessageIn(sql`u.locale`, 'replenishment.task.body', params)} AS body,
              'replenishment.task.body'::text AS template_key,
              jsonb_build_object('customer', c.name, 'product', b.data ->> 'productName', 'dueDate', b.due_date::text, 'reminderId', b.id::text) AS template_params,
              ${replenishmentTaskKeyPrefix} || b.id::text AS dedupe_key
            FROM batch b
            JOIN users u ON u.id = b.assignee_id AND u.org_id = ${orgId}
            JOIN customers c ON c.id = b.customer_id AND c.org_id = ${orgId}
          ), ${outboxInsertCtes(ctx, 'src')}
          SELECT (SELECT COUNT(*) FROM batch) AS n, (SELECT id::text FROM batch ORDER BY id DESC LIMIT 1) AS last_id,
            (SELECT COUNT(*) FROM outbox_ins) AS notified`,
      );
      if (opts.inBatch) await opts.inBatch(batchNo);
      return r;
    });
    notified += Number(page.notified);
    if (Number(page.n) < batchSize || !page.last_id) break;
    after = page.last_id;
  }
  if (notified) ctx.log.info({ notified }, 'replenishment tasks notified');
  return { notified };
}

export interface ReplenishmentJobResult {
  run: ReplenishmentRunResult;
  queued: number;
  notified: number;
  /** Milliseconds per step (logged, and printed by the bench). */
  ms: { reminders: number; messages: number; tasks: number };
}

export interface ReplenishmentJobOptions {
  /** Customers per reminder statement. */
  batchCustomers?: number;
  /** Reminders per delivery / notification transaction. */
  batchSize?: number;
  /** Customer ranges, and batches of messages, written at once (PostgreSQL connections). */
  parallel?: number;
  /** Called after each committed range of customers (tests: a crash between ranges). */
  afterRange?: (rangeNo: number) => Promise<void>;
  /** Called inside each delivery / notification batch before its commit (tests: a crash mid-batch). */
  inBatch?: (batchNo: number) => Promise<void>;
  inTaskBatch?: (batchNo: number) => Promise<void>;
}

/** One daily run for one organization. */
export async function runReplenishmentJob(env: JobEnv, data: DailyJobData, opts: ReplenishmentJobOptions = {}): Promise<ReplenishmentJobResult> {
  const ctx = jobCtx(env, data.orgId);
  const t0 = performance.now();
  const run = await runReplenishment(ctx, { asOf: env.now(), batchCustomers: opts.batchCustomers, parallel: opts.parallel }, { afterRange: opts.afterRange });
  const t1 = performance.now();
  const { queued } = await queueReplenishmentMessages(ctx, { batchSize: opts.batchSize, inBatch: opts.inBatch, parallel: opts.parallel });
  const t2 = performance.now();
  const { notified } = await notifyReplenishmentTasks(ctx, { batchSize: opts.batchSize, inBatch: opts.inTaskBatch });
  const t3 = performance.now();
  const ms = { reminders: Math.round(t1 - t0), messages: Math.round(t2 - t1), tasks: Math.round(t3 - t2) };
  ctx.log.info({ created: run.created, queued, notified, ms }, 'replenishment job done');
  return { run, queued, notified, ms };
}

registerDailyJob('orders.replenishment', { hour: 9 });
registerJobHandler<DailyJobData>('orders.replenishment', async (job, env) => {
  // Two ranges at once on PostgreSQL (one connection each); PGlite runs them one after another.
  await runReplenishmentJob(env, job.data, { parallel: 2 });
});
