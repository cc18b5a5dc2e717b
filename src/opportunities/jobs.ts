// The opportunities domain's background job (wired at integration): `opportunities.follow_up`, every
// five minutes: each open opportunity whose follow-up fell due notifies its owner in-app once per
// due time (moving the follow-up later and letting it fall due again notifies again). The dedupe key
// (opportunity, due time) makes a rerun after a crash or restart neither duplicate nor lose one.
import { sql } from 'drizzle-orm';
import { rows } from '../db/open.ts';
import type { Locale } from '../i18n/messages.ts';
import { registerMessages, t } from '../i18n/messages.ts';
import { jobCtx, registerJobHandler, registerJobSchedule, type JobEnv } from '../jobs/queue.ts';
import { existingDedupeKeys } from '../messaging/existing-dedupe-keys.ts';
import { notifyUser } from '../messaging/notify-user.ts';
import type { Ctx } from '../platform/context.ts';
import { organizationTimeZones } from '../platform/organization-time-zones.ts';
import './messages.ts';

registerMessages({
  'notify.follow_up_due.subject': { 'zh-CN': '销售机会待跟进：{customer}', en: 'Opportunity follow-up due: {customer}' },
  'notify.follow_up_due.body': {
    'zh-CN': '客户{customer}的销售机会应于 {dueAt} 跟进{nextStep}',
    en: 'The opportunity with {customer} was due for follow-up at {dueAt}{nextStep}',
  },
});

export const followUpDueKey = (opportunityId: string, dueAt: Date | string): string => `opportunity-follow-up:${opportunityId}:${new Date(dueAt).toISOString()}`;

/** Notifies the owner of each open opportunity whose follow-up came due within `lookbackDays`. */
export async function notifyDueFollowUps(ctx: Ctx, opts: { batchSize?: number; lookbackDays?: number } = {}): Promise<{ notified: number }> {
  const batchSize = opts.batchSize ?? 500;
  const now = ctx.now();
  const since = new Date(now.getTime() - (opts.lookbackDays ?? 7) * 86_400_000);
  const orgId = ctx.actor.orgId;
  let notified = 0;
  let after: { dueAt: string; id: string } | null = null;
  for (;;) {
    const page: { id: string; due_at: string; owner_user_id: string; locale: string; customer: string; next_step: string | null }[] = await rows(ctx.db, sql`
      SELECT o.id, to_char(o.follow_up_due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS due_at, o.owner_user_id, u.locale, c.name AS customer, o.next_step
        FROM opportunities o
        JOIN users u ON u.id = o.owner_user_id AND u.org_id = ${orgId}
        JOIN customers c ON c.id = o.customer_id AND c.org_id = ${orgId}
       WHERE o.org_id = ${orgId} AND o.stage NOT IN ('won', 'lost') AND o.owner_user_id IS NOT NULL
         AND o.follow_up_due_at <= ${now.toISOString()}::timestamptz AND o.follow_up_due_at > ${since.toISOString()}::timestamptz
         ${after ? sql`AND (o.follow_up_due_at, o.id) > (${after.dueAt}::timestamptz, ${after.id}::uuid)` : sql``}
       ORDER BY o.follow_up_due_at, o.id
       LIMIT ${batchSize}`);
    if (!page.length) break;
    const present = await existingDedupeKeys(ctx, page.map((o) => followUpDueKey(o.id, o.due_at)));
    for (const o of page) {
      const key = followUpDueKey(o.id, o.due_at);
      if (present.has(key)) continue;
      const locale: Locale = o.locale === 'en' ? 'en' : 'zh-CN';
      const params = {
        customer: o.customer,
        dueAt: new Date(o.due_at).toISOString(),
        nextStep: o.next_step ? (locale === 'en' ? `: ${o.next_step}` : `：${o.next_step}`) : '',
      };
      const m = await notifyUser(ctx, {
        userId: o.owner_user_id,
        subject: t(locale, 'notify.follow_up_due.subject', params),
        body: t(locale, 'notify.follow_up_due.body', params).slice(0, 2000),
        dedupeKey: key,
        templateKey: 'notify.follow_up_due.body',
        templateParams: { customer: o.customer, dueAt: params.dueAt, opportunityId: o.id },
      });
      if (m.created) notified++;
    }
    const last = page[page.length - 1];
    after = { dueAt: last.due_at, id: last.id };
    if (page.length < batchSize) break;
  }
  if (notified) ctx.log.info({ notified }, 'opportunity follow-ups notified');
  return { notified };
}

export async function runFollowUpJob(env: JobEnv): Promise<void> {
  for await (const page of organizationTimeZones(env.db)) {
    for (const org of page) await notifyDueFollowUps(jobCtx(env, org.id));
  }
}

registerJobHandler('opportunities.follow_up', async (_job, env) => {
  await runFollowUpJob(env);
});
registerJobSchedule('opportunities.follow_up', '*/5 * * * *');
