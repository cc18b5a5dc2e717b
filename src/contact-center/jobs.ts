// The contact center's background job: `cc.kpi_aggregate`, every five minutes, brings each organization's
// per-interval KPI tables up to date (aggregateIncremental; idempotent, one run per organization at a time).
import { registerJobHandler, registerJobSchedule, type JobEnv } from '../jobs/queue.ts';
import { organizationTimeZones } from '../platform/organization-time-zones.ts';
import { aggregateIncremental } from './aggregate-intervals.ts';

export async function runKpiAggregateJob(env: JobEnv): Promise<{ orgs: number; queueBins: number; agentBins: number }> {
  let orgs = 0, queueBins = 0, agentBins = 0;
  for await (const page of organizationTimeZones(env.db)) {
    for (const org of page) {
      const r = await aggregateIncremental(env.db, org.id, env.now());
      orgs++;
      queueBins += r.queueBins;
      agentBins += r.agentBins;
    }
  }
  env.log.info({ orgs, queueBins, agentBins }, 'cc.kpi_aggregate');
  return { orgs, queueBins, agentBins };
}

registerJobHandler('cc.kpi_aggregate', async (_job, env) => {
  await runKpiAggregateJob(env);
});
registerJobSchedule('cc.kpi_aggregate', '*/5 * * * *');
