// WFM planner jobs: one per run kind (runs.ts). The handler acts for the run's organization in the requester's
// language; the last attempt fails the run with the error instead of leaving it 'running'.
import { jobDefinitions } from '../jobs/names.ts';
import { registerJobHandler } from '../jobs/queue.ts';
import { forecastSteps } from './forecasts.ts';
import { rosterSteps } from './rosters.ts';
import { executeRun, runCtx, type RunSteps, type WfmRunJob, type WfmRunJobData } from './runs.ts';
import { shiftPlanSteps } from './shift-plans.ts';

export const wfmRunSteps: Record<WfmRunJob, RunSteps> = { 'wfm.forecast': forecastSteps, 'wfm.shift_plan': shiftPlanSteps, 'wfm.roster': rosterSteps };

for (const [name, steps] of Object.entries(wfmRunSteps) as [WfmRunJob, RunSteps][]) {
  registerJobHandler<WfmRunJobData>(name, async (job, env) => {
    await executeRun(runCtx(env, job.data), steps, job.data, job.retryCount >= jobDefinitions[name].retryLimit);
  });
}
