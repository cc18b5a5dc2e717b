// Start-up recovery of planner runs (forecasts, shift plans, rosters) that a dead process left 'queued' or
// 'running'. A run with a pg-boss job whose job can still run ('created', 'retry', or 'active' until its expiry
// fails it into a retry) is left alone: pg-boss retries it and the handler resumes it (runs.ts). Every other such
// run can never finish — its in-process runner died with the process (no job runner: CLI, `jobs: false`), or its
// job is over — so it is failed with "interrupted by restart" rather than shown 'running' forever.
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { rows, type Db } from '../db/open.ts';
import type { JobRunner } from '../jobs/boss.ts';
import { t } from '../i18n/messages.ts';
import './messages.ts';
import { silentLogger } from '../platform/context.ts';
import type { WfmRunJob } from './runs.ts';

const runTables: { table: 'wfm_forecasts' | 'wfm_shift_plans' | 'wfm_rosters'; job: WfmRunJob }[] = [
  { table: 'wfm_forecasts', job: 'wfm.forecast' },
  { table: 'wfm_shift_plans', job: 'wfm.shift_plan' },
  { table: 'wfm_rosters', job: 'wfm.roster' },
];
const liveJobStates = new Set(['created', 'retry', 'active']);

export interface RecoveryReport { failed: number; resumed: number }

/** `jobs`: this process's job runner (absent: runs with a job are left to a process that has one). */
export async function recoverInterruptedWfmRuns(db: Db, opts: { jobs?: Pick<JobRunner, 'getJob'>; now?: () => Date; log?: Logger } = {}): Promise<RecoveryReport> {
  const now = (opts.now ?? (() => new Date()))();
  const log = opts.log ?? silentLogger;
  const report: RecoveryReport = { failed: 0, resumed: 0 };
  for (const { table, job } of runTables) {
    const open = await rows<{ id: string; org_id: string; job_id: string | null; locale: string | null }>(db, sql`
      SELECT id, org_id, job_id, ${table === 'wfm_forecasts' ? sql`params->>'locale'` : sql`NULL::text`} AS locale
      FROM ${sql.identifier(table)} WHERE status IN ('queued', 'running')`);
    for (const r of open) {
      if (r.job_id) {
        if (!opts.jobs) continue;
        const state = (await opts.jobs.getJob(job, r.job_id))?.state;
        if (state && liveJobStates.has(state)) {
          report.resumed++;
          continue;
        }
      }
      const message = t(r.locale === 'en' ? 'en' : 'zh-CN', 'wfm.interrupted');
      const failed = await rows<{ id: string }>(db, sql`
        UPDATE ${sql.identifier(table)} SET status = 'failed', error = ${message}, finished_at = ${now.toISOString()}::timestamptz
        WHERE org_id = ${r.org_id} AND id = ${r.id} AND status IN ('queued', 'running') RETURNING id`);
      report.failed += failed.length;
    }
  }
  if (report.failed || report.resumed) log.info(report, 'wfm: runs interrupted by a restart recovered');
  return report;
}
