// Analytics jobs: `analytics.nightly` (from 02:00 in each organization's time zone, src/jobs/daily.ts)
// rescores RFM, refits the value model and writes CLV/P(alive) back, then materializes every segment;
// `analytics.materialize` materializes one segment or all of them on demand (POST …/materialize).
// Every step is a recomputation from the orders, so a retried run converges to the same state.
import { registerDailyJob, type DailyJobData } from '../jobs/daily.ts';
import { registerJobHandler, type JobEnv } from '../jobs/queue.ts';
import { refreshCustomerValue } from './refresh.ts';
import { materializeAllSegments, materializeSegment } from './segments.ts';

export type MaterializeJobData = { orgId: string; segmentId?: string };

registerDailyJob('analytics.nightly', { hour: 2 });
registerJobHandler<DailyJobData>('analytics.nightly', async (job, env: JobEnv) => {
  const r = await refreshCustomerValue(env.db, job.data.orgId, env.now(), env.log);
  env.log.info({ orgId: job.data.orgId, ...r }, 'analytics: nightly refresh done');
});

registerJobHandler<MaterializeJobData>('analytics.materialize', async (job, env: JobEnv) => {
  const { orgId, segmentId } = job.data;
  const r = segmentId ? [await materializeSegment(env.db, orgId, segmentId, env.now())] : await materializeAllSegments(env.db, orgId, env.now());
  env.log.info({ orgId, segments: r.length }, 'analytics: segments materialized');
});
