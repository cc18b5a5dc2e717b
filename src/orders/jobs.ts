// The orders domain's background job (wired at integration): `orders.replenishment`, daily from 09:00
// in each organization's time zone (src/jobs/daily.ts). One run:
// 1. runReplenishment creates the day's reminders (unique per customer, product and due date);
// 2. deliverReplenishmentMessages hands reminders on a consented channel to the messaging outbox
//    (enqueueMessage, dedupe key per reminder), in the transaction that marks them queued;
// 3. reminders that are tasks for the customer's owner notify the owner in-app (notifyUser, dedupe
//    key per reminder).
// Each step is idempotent, so a run that crashed anywhere and is run again (pg-boss retry, restart)
// neither duplicates nor loses a reminder or a message.
import { sql } from 'drizzle-orm';
import { rows } from '../db/open.ts';
import type { Locale } from '../i18n/messages.ts';
import { registerMessages, t } from '../i18n/messages.ts';
import { registerDailyJob, type DailyJobData } from '../jobs/daily.ts';
import { jobCtx, registerJobHandler, type JobEnv } from '../jobs/queue.ts';
import { enqueueMessage } from '../messaging/enqueue-message.ts';
import { existingDedupeKeys } from '../messaging/existing-dedupe-keys.ts';
import { notifyUser } from '../messaging/notify-user.ts';
import type { MessageChannel } from '../messaging/tables.ts';
import type { Ctx } from '../platform/context.ts';
import { deliverReplenishmentMessages, type ReplenishmentMessage, type ReplenishmentSender } from './deliver-replenishment.ts';
import './messages.ts';
import { runReplenishment, type ReplenishmentRunResult } from './run-replenishment.ts';

registerMessages({
  'replenishment.message.subject': { 'zh-CN': '补货提醒', en: 'Time to reorder' },
  'replenishment.message.body': {
    'zh-CN': '您好！您购买的{product}预计在 {dueDate} 前后用完，如需补货请随时联系我们。',
    en: 'Hello! The {product} you bought should run out around {dueDate}. Contact us any time to reorder.',
  },
  'replenishment.task.subject': { 'zh-CN': '补货提醒任务', en: 'Replenishment reminder task' },
  'replenishment.task.body': {
    'zh-CN': '请提醒客户{customer}补货：{product}（预计 {dueDate} 用完）',
    en: 'Remind the customer {customer} to reorder {product} (due around {dueDate})',
  },
});

/** Dedupe keys: one outbox message per reminder, one owner notification per task reminder. */
export const replenishmentMessageKey = (reminderId: string): string => `replenishment:${reminderId}`;
export const replenishmentTaskKey = (reminderId: string): string => `replenishment-task:${reminderId}`;

/** Reminder channels (orders) to outbox channels (messaging): WeChat reaches customers through WeCom. */
const outboxChannel: Record<ReplenishmentMessage['channel'], Exclude<MessageChannel, 'in_app'>> = { wechat: 'wecom', sms: 'sms', email: 'email' };

/** The sender of the delivery step: each reminder becomes one outbox message, inside the step's transaction. */
export function outboxReplenishmentSender(ctx: Ctx, opts: { inBatch?: (batchNo: number) => Promise<void> } = {}): ReplenishmentSender {
  let batchNo = 0;
  return async (messages, tx) => {
    const refs = new Map<string, string>();
    for (const m of messages) {
      const params = { product: m.productName, dueDate: m.dueDate };
      // Customers are written to in Chinese first; the template key lets an SMS provider use its approved template.
      const r = await enqueueMessage(
        ctx,
        {
          channel: outboxChannel[m.channel],
          customerId: m.customerId,
          subject: t('zh-CN', 'replenishment.message.subject'),
          body: t('zh-CN', 'replenishment.message.body', params),
          templateKey: m.template,
          templateParams: { ...params, sku: m.sku, reminderId: m.reminderId },
          dedupeKey: replenishmentMessageKey(m.reminderId),
        },
        tx,
      );
      refs.set(m.reminderId, r.id);
    }
    if (opts.inBatch) await opts.inBatch(batchNo++);
    return refs;
  };
}

/**
 * Notifies the owner of each open task reminder created in the last `lookbackDays` (a retried or
 * late run is well inside it) once, in the owner's language.
 */
export async function notifyReplenishmentTasks(ctx: Ctx, opts: { batchSize?: number; lookbackDays?: number } = {}): Promise<{ notified: number }> {
  const batchSize = opts.batchSize ?? 500;
  const since = new Date(ctx.now().getTime() - (opts.lookbackDays ?? 3) * 86_400_000);
  const orgId = ctx.actor.orgId;
  let notified = 0;
  let after: string | null = null;
  for (;;) {
    const page: { id: string; assignee_id: string; locale: string; customer: string; due_date: string; data: Record<string, unknown> | string }[] = await rows(ctx.db, sql`
      SELECT r.id, r.assignee_id, u.locale, c.name AS customer, r.due_date::text AS due_date, r.data
        FROM replenishment_reminders r
        JOIN users u ON u.id = r.assignee_id AND u.org_id = ${orgId}
        JOIN customers c ON c.id = r.customer_id AND c.org_id = ${orgId}
       WHERE r.org_id = ${orgId} AND r.channel = 'task' AND r.status = 'open'
         AND r.created_at > ${since.toISOString()}::timestamptz
         ${after ? sql`AND r.id > ${after}::uuid` : sql``}
       ORDER BY r.id
       LIMIT ${batchSize}`);
    if (!page.length) break;
    const present = await existingDedupeKeys(ctx, page.map((r) => replenishmentTaskKey(r.id)));
    for (const r of page) {
      const key = replenishmentTaskKey(r.id);
      if (present.has(key)) continue;
      const data = (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>;
      const locale: Locale = r.locale === 'en' ? 'en' : 'zh-CN';
      const params = { customer: r.customer, product: String(data.productName ?? ''), dueDate: r.due_date };
      const m = await notifyUser(ctx, {
        userId: r.assignee_id,
        subject: t(locale, 'replenishment.task.subject'),
        body: t(locale, 'replenishment.task.body', params),
        dedupeKey: key,
        templateKey: 'replenishment.task.body',
        templateParams: { ...params, reminderId: r.id },
      });
      if (m.created) notified++;
    }
    after = page[page.length - 1].id;
    if (page.length < batchSize) break;
  }
  if (notified) ctx.log.info({ notified }, 'replenishment tasks notified');
  return { notified };
}

export interface ReplenishmentJobResult {
  run: ReplenishmentRunResult;
  queued: number;
  notified: number;
}

/** One daily run for one organization. */
export async function runReplenishmentJob(
  env: JobEnv,
  data: DailyJobData,
  opts: { batchSize?: number; inBatch?: (batchNo: number) => Promise<void> } = {},
): Promise<ReplenishmentJobResult> {
  const ctx = jobCtx(env, data.orgId);
  const run = await runReplenishment(ctx, { asOf: env.now() });
  const { queued } = await deliverReplenishmentMessages(ctx, outboxReplenishmentSender(ctx, { inBatch: opts.inBatch }), { batchSize: opts.batchSize });
  const { notified } = await notifyReplenishmentTasks(ctx, { batchSize: opts.batchSize });
  return { run, queued, notified };
}

registerDailyJob('orders.replenishment', { hour: 9 });
registerJobHandler<DailyJobData>('orders.replenishment', async (job, env) => {
  await runReplenishmentJob(env, job.data);
});
