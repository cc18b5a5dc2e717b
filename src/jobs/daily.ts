// Daily jobs in each organization's time zone (default Asia/Shanghai). pg-boss 10 keeps one cron per
// job name, read in one zone; organizations live in several. So one `jobs.daily` tick runs every five
// minutes and, for each registered daily job and each organization whose local time has reached the
// job's hour, sends the job once for that local date:
//   registerDailyJob('orders.replenishment', { hour: 9 });
//   registerJobHandler<DailyJobData>('orders.replenishment', async (job, env) => { … job.data.orgId, job.data.localDate … });
// "Once" is kept in the job_effects ledger, written in the same transaction as the send (once.ts), so
// it holds for the whole day whatever the queue's archive window, and a server that was down at 09:00
// starts the day's run at its first tick after that. The handler itself still keys its effects.
import type { Db } from '../db/open.ts';
import { organizationTimeZones } from '../platform/organization-time-zones.ts';
import { localDate, localHour } from './model/local-time.ts';
import type { JobName } from './names.ts';
import { onceOnly, pruneJobEffects } from './once.ts';
import { registerJobHandler, registerJobSchedule, type JobEnv } from './queue.ts';

/** What a daily job receives: the organization and the local date it runs for (YYYY-MM-DD). */
export type DailyJobData = { orgId: string; localDate: string };

export interface DailyJob {
  name: JobName;
  /** Local hour (0–23) from which the day's run is started. */
  hour: number;
}

export const dailyJobs = new Map<JobName, DailyJob>();

export function registerDailyJob(name: JobName, opts: { hour: number }): void {
  if (!Number.isInteger(opts.hour) || opts.hour < 0 || opts.hour > 23) throw new Error(`daily job ${name}: hour must be 0–23`);
  dailyJobs.set(name, { name, hour: opts.hour });
}

/** One tick: returns the jobs it sent. */
export async function startDueDailyJobs(
  env: Pick<JobEnv, 'db' | 'now' | 'jobs'>,
  jobs: ReadonlyMap<JobName, DailyJob> = dailyJobs,
): Promise<{ name: JobName; orgId: string; localDate: string }[]> {
  const sent: { name: JobName; orgId: string; localDate: string }[] = [];
  if (jobs.size === 0) return sent;
  const at = env.now();
  for await (const page of organizationTimeZones(env.db)) {
    for (const org of page) {
      const date = localDate(at, org.timezone);
      const hour = localHour(at, org.timezone);
      for (const job of jobs.values()) {
        if (hour < job.hour) continue;
        const r = await onceOnly(env.db, { orgId: org.id, jobName: job.name, effectKey: `daily:${date}` }, async (tx: Db) => {
          const data: DailyJobData = { orgId: org.id, localDate: date };
          await env.jobs.send(job.name, data, { tx, singletonKey: `${org.id}:${date}` });
        });
        if (r.ran) sent.push({ name: job.name, orgId: org.id, localDate: date });
      }
    }
  }
  return sent;
}

/** Effect keys are kept this long: far beyond pg-boss's retention, so no job that could still retry loses its key. */
export const JOB_EFFECT_RETENTION_DAYS = 90;

registerJobHandler('jobs.daily', async (_job, env) => {
  const sent = await startDueDailyJobs(env);
  if (sent.length) env.log.info({ count: sent.length }, 'jobs: daily jobs started');
  const pruned = await pruneJobEffects(env.db, new Date(env.now().getTime() - JOB_EFFECT_RETENTION_DAYS * 86_400_000));
  if (pruned) env.log.info({ pruned }, 'jobs: old effect keys pruned');
});
registerJobSchedule('jobs.daily', '*/5 * * * *');
