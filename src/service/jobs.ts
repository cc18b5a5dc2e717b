// The service desk's background jobs (wired at integration):
// - `sla.scan`, every minute: the SLA scan (scanSla) for each organization, then delivery of the
//   escalations whose action is 'notify' as in-app notifications (notifyUser).
// - `callbacks.due`, every five minutes: each pending callback (回访) whose due time has come
//   notifies its assignee once per due time (a rescheduled callback notifies again at its new time).
//
// Exactly once across crashes and restarts (src/jobs/once.ts): the scan is one transaction and keyed
// by its unique escalation rows; each batch of notify escalations is delivered in one transaction
// that writes the notifications (dedupe key per escalation row and recipient) and sets notified_at,
// so a crash rolls back both and the next run does both; callback notifications carry a dedupe key
// per (callback, due time).
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../db/open.ts';
import type { Locale } from '../i18n/messages.ts';
import { registerMessages, t } from '../i18n/messages.ts';
import { registerJobHandler, registerJobSchedule, jobCtx, type JobEnv } from '../jobs/queue.ts';
import { existingDedupeKeys } from '../messaging/existing-dedupe-keys.ts';
import { notifyUser } from '../messaging/notify-user.ts';
import type { Ctx } from '../platform/context.ts';
import { organizationTimeZones } from '../platform/organization-time-zones.ts';
import './messages.ts';
import { scanSla, type ScanSlaResult } from './scan-sla.ts';
import { expireIdempotencyKeys } from './expire-idempotency-keys.ts';

registerMessages({
  'notify.escalation.subject': { 'zh-CN': '服务单 {number} 已升级', en: 'Service order {number} escalated' },
  'notify.escalation.at_risk': {
    'zh-CN': '服务单 {number}「{title}」的{target}时限即将超时，请尽快处理',
    en: 'Service order {number} "{title}": the {target} SLA is at risk; please act now',
  },
  'notify.escalation.breached': {
    'zh-CN': '服务单 {number}「{title}」的{target}已超时，请立即处理',
    en: 'Service order {number} "{title}": the {target} SLA is breached; please act now',
  },
  'notify.escalation.other': { 'zh-CN': '服务单 {number}「{title}」已升级，请处理', en: 'Service order {number} "{title}" was escalated; please act' },
  'notify.callback_due.subject': { 'zh-CN': '回访到期：服务单 {number}', en: 'Callback due: service order {number}' },
  'notify.callback_due.body': {
    'zh-CN': '服务单 {number}「{title}」的回访已到期（{dueAt}），请联系客户',
    en: 'The callback on service order {number} "{title}" is due ({dueAt}); please call the customer',
  },
});

/** Dedupe keys of the notifications: one per escalation row and recipient; one per callback and due time. */
export const escalationNotifyKey = (escalationId: string, userId: string): string => `escalation:${escalationId}:${userId}`;
export const callbackDueKey = (callbackId: string, dueAt: Date | string): string => `callback-due:${callbackId}:${new Date(dueAt).toISOString()}`;

interface PendingNotify {
  id: string;
  service_order_id: string;
  number: string;
  title: string;
  reason: string;
  target: string | null;
  /** Recipients: [userId, locale] pairs. */
  recipients: { id: string; locale: string }[] | string;
}

export interface DeliveryOptions {
  batchSize?: number;
  /** Called inside each batch's transaction after its notifications are written (tests: a crash mid-run). */
  inBatch?: (batchNo: number) => Promise<void>;
}

function localeOf(s: string): Locale {
  return s === 'en' ? 'en' : 'zh-CN';
}

/**
 * Delivers the organization's 'notify' escalations not yet notified, in batches that each commit.
 * Recipients: the rule's user, the active members of its team, and when the rule names neither
 * (a built-in escalation) the customer's owner (客户负责人), else the organization's supervisors.
 */
export async function deliverEscalationNotifications(ctx: Ctx, opts: DeliveryOptions = {}): Promise<{ escalations: number; notifications: number }> {
  const batchSize = opts.batchSize ?? 200;
  const orgId = ctx.actor.orgId;
  let escalations = 0;
  let notifications = 0;
  for (let batchNo = 0; ; batchNo++) {
    const done = await ctx.db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      const batch = await rows<PendingNotify>(tx, sql`
        WITH pending AS (
          SELECT e.id, e.service_order_id, e.reason, e.target, e.target_user_id, e.target_team_id
            FROM service_order_escalations e
           WHERE e.org_id = ${orgId} AND e.action = 'notify' AND e.notified_at IS NULL
           ORDER BY e.created_at, e.id
           LIMIT ${batchSize}
             FOR UPDATE SKIP LOCKED
        )
        SELECT p.id, p.service_order_id, so.number, so.title, p.reason, p.target,
               coalesce((SELECT jsonb_agg(jsonb_build_object('id', u.id, 'locale', u.locale) ORDER BY u.id)
                  FROM users u
                 WHERE u.org_id = ${orgId}
                   AND (u.id = p.target_user_id
                        OR (u.active AND u.team_id = p.target_team_id)
                        OR (p.target_user_id IS NULL AND p.target_team_id IS NULL AND (
                              u.id = c.owner_id
                              OR (c.owner_id IS NULL AND u.active AND u.role = 'supervisor'))))), '[]'::jsonb) AS recipients
          FROM pending p
          JOIN service_orders so ON so.id = p.service_order_id AND so.org_id = ${orgId}
          LEFT JOIN customers c ON c.id = so.customer_id AND c.org_id = ${orgId}
         ORDER BY p.id`);
      let sent = 0;
      for (const e of batch) {
        const recipients = (typeof e.recipients === 'string' ? JSON.parse(e.recipients) : e.recipients) as { id: string; locale: string }[];
        if (!recipients.length) ctx.log.warn({ escalationId: e.id, serviceOrderId: e.service_order_id }, 'escalation: nobody to notify');
        for (const r of recipients) {
          const locale = localeOf(r.locale);
          const key = e.reason === 'at_risk' || e.reason === 'breached' ? `notify.escalation.${e.reason}` : 'notify.escalation.other';
          const params = { number: e.number, title: e.title, target: e.target ? t(locale, `sla_target.${e.target}`) : '' };
          const m = await notifyUser(
            ctx,
            {
              userId: r.id,
              subject: t(locale, 'notify.escalation.subject', params),
              body: t(locale, key, params),
              dedupeKey: escalationNotifyKey(e.id, r.id),
              templateKey: key,
              templateParams: { ...params, serviceOrderId: e.service_order_id },
            },
            tx,
          );
          if (m.created) sent++;
        }
      }
      if (opts.inBatch) await opts.inBatch(batchNo);
      if (batch.length) {
        await tx.execute(sql`UPDATE service_order_escalations SET notified_at = ${ctx.now().toISOString()}::timestamptz
          WHERE org_id = ${orgId} AND id IN (${sql.join(batch.map((e) => sql`${e.id}::uuid`), sql`, `)})`);
      }
      return { n: batch.length, sent };
    });
    escalations += done.n;
    notifications += done.sent;
    if (done.n < batchSize) break;
  }
  if (escalations) ctx.log.info({ escalations, notifications }, 'escalation notifications delivered');
  return { escalations, notifications };
}

/** Notifies the assignee of each pending callback whose due time has come, once per (callback, due time). */
export async function notifyDueCallbacks(ctx: Ctx, opts: { batchSize?: number; lookbackDays?: number } = {}): Promise<{ notified: number }> {
  const batchSize = opts.batchSize ?? 500;
  const now = ctx.now();
  // Older due callbacks were notified long ago (or the server was down for a week: they are on the overdue list).
  const since = new Date(now.getTime() - (opts.lookbackDays ?? 7) * 86_400_000);
  const orgId = ctx.actor.orgId;
  let notified = 0;
  let after: { dueAt: string; id: string } | null = null;
  for (;;) {
    const page: { id: string; due_at: string; assignee_user_id: string; locale: string; number: string; title: string; service_order_id: string }[] = await rows(ctx.db, sql`
      SELECT cb.id, to_char(cb.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS due_at, cb.assignee_user_id, u.locale, so.number, so.title, so.id AS service_order_id
        FROM callbacks cb
        JOIN service_orders so ON so.id = cb.service_order_id AND so.org_id = ${orgId}
        JOIN users u ON u.id = cb.assignee_user_id AND u.org_id = ${orgId}
       WHERE cb.org_id = ${orgId} AND cb.status = 'pending' AND cb.assignee_user_id IS NOT NULL
         AND cb.due_at <= ${now.toISOString()}::timestamptz AND cb.due_at > ${since.toISOString()}::timestamptz
         ${after ? sql`AND (cb.due_at, cb.id) > (${after.dueAt}::timestamptz, ${after.id}::uuid)` : sql``}
       ORDER BY cb.due_at, cb.id
       LIMIT ${batchSize}`);
    if (!page.length) break;
    const keys = page.map((c) => callbackDueKey(c.id, c.due_at));
    const present = await existingDedupeKeys(ctx, keys);
    for (const c of page) {
      const key = callbackDueKey(c.id, c.due_at);
      if (present.has(key)) continue;
      const locale = localeOf(c.locale);
      const params = { number: c.number, title: c.title, dueAt: new Date(c.due_at).toISOString() };
      const m = await notifyUser(ctx, {
        userId: c.assignee_user_id,
        subject: t(locale, 'notify.callback_due.subject', params),
        body: t(locale, 'notify.callback_due.body', params),
        dedupeKey: key,
        templateKey: 'notify.callback_due.body',
        templateParams: { ...params, callbackId: c.id, serviceOrderId: c.service_order_id },
      });
      if (m.created) notified++;
    }
    const last = page[page.length - 1];
    after = { dueAt: last.due_at, id: last.id };
    if (page.length < batchSize) break;
  }
  if (notified) ctx.log.info({ notified }, 'due callbacks notified');
  return { notified };
}

/** One `sla.scan` run: scan and deliver notify escalations for every organization. */
export async function runSlaScanJob(env: JobEnv, opts: DeliveryOptions = {}): Promise<{ scanned: ScanSlaResult[]; escalations: number; notifications: number }> {
  const scanned: ScanSlaResult[] = [];
  let escalations = 0;
  let notifications = 0;
  for await (const page of organizationTimeZones(env.db)) {
    for (const org of page) {
      const ctx = jobCtx(env, org.id);
      scanned.push(await scanSla(ctx));
      const d = await deliverEscalationNotifications(ctx, opts);
      escalations += d.escalations;
      notifications += d.notifications;
    }
  }
  return { scanned, escalations, notifications };
}

export async function runDueCallbacksJob(env: JobEnv): Promise<void> {
  for await (const page of organizationTimeZones(env.db)) {
    for (const org of page) await notifyDueCallbacks(jobCtx(env, org.id));
  }
}

registerJobHandler('sla.scan', async (_job, env) => {
  await runSlaScanJob(env);
});
registerJobSchedule('sla.scan', '* * * * *');
registerJobHandler('callbacks.due', async (_job, env) => {
  await runDueCallbacksJob(env);
});
registerJobSchedule('callbacks.due', '*/5 * * * *');
registerJobHandler('service.idempotency_expiry', async (_job, env) => {
  const { deleted } = await expireIdempotencyKeys(env.db, env.now());
  if (deleted) env.log.info({ deleted }, 'idempotency keys expired');
});
registerJobSchedule('service.idempotency_expiry', '17 * * * *');
