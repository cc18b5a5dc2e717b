// Every background job in one place: its name and how its queue behaves. A domain adds its job here
// (one line in `jobNames`, one entry in `jobDefinitions`) and registers the handler with
// `registerJobHandler` in its own jobs file, which the composition root imports.

export const jobNames = [
  'sla.scan', // service: find service orders whose SLA clock is due or breached
  'service.escalate', // service: escalate one service order (notify supervisors)
  'orders.replenishment', // orders: replenishment reminders (补货提醒) for customers due to re-order
  'callbacks.schedule', // feedback: schedule callbacks (回访) after service orders close
  'callbacks.due', // service: notify the assignee of each callback (回访) that fell due, once per due time
  'opportunities.follow_up', // opportunities: notify the owner of each opportunity whose follow-up fell due, once per due time
  'messaging.dispatch', // messaging: hand pending outbox messages to their channel adapters
  'service.idempotency_expiry', // service: hourly, delete Idempotency-Keys of creates older than a day
  'jobs.daily', // jobs: every few minutes, start the daily jobs of organizations whose local hour has come (daily.ts)
  'jobs.test', // used by the jobs tests only
  'cc.kpi_aggregate', // contact center: every 5 minutes, pre-aggregate call and agent-state KPIs per 15-minute interval
  'analytics.nightly', // analytics: nightly per organization: RFM, CLV/P(alive) fit, segment materialization
  'analytics.materialize', // analytics: materialize one segment or all of an organization's segments (on demand)
  'wfm.forecast', // wfm: one forecast run (backtest, forecast, AHT) of the planner, started by POST /api/wfm/forecasts
  'wfm.shift_plan', // wfm: one shift plan solve (HiGHS in a worker thread), started by POST /api/wfm/shift-plans
  'wfm.roster', // wfm: one roster solve (HiGHS in a worker thread), started by POST /api/wfm/rosters
] as const;
export type JobName = (typeof jobNames)[number];

export function isJobName(s: string): s is JobName {
  return (jobNames as readonly string[]).includes(s);
}

export interface JobDefinition {
  /** Retries after the first attempt fails (a throw, a timeout or a worker that stopped mid-run). */
  retryLimit: number;
  /** Seconds before a retry; doubled per attempt when `retryBackoff`. */
  retryDelay: number;
  retryBackoff: boolean;
  /** An active job older than this is failed (and retried): a handler must finish well within it. */
  expireInSeconds: number;
}

const standard: JobDefinition = { retryLimit: 5, retryDelay: 30, retryBackoff: true, expireInSeconds: 15 * 60 };

export const jobDefinitions: Record<JobName, JobDefinition> = {
  'sla.scan': { ...standard, retryLimit: 2, retryDelay: 10, retryBackoff: false },
  'service.escalate': standard,
  'orders.replenishment': standard,
  'callbacks.schedule': standard,
  'callbacks.due': { ...standard, retryLimit: 2, retryDelay: 10, retryBackoff: false },
  'opportunities.follow_up': { ...standard, retryLimit: 2, retryDelay: 10, retryBackoff: false },
  'messaging.dispatch': { ...standard, retryLimit: 2, retryDelay: 10, retryBackoff: false },
  'service.idempotency_expiry': { ...standard, retryLimit: 2, retryDelay: 60, retryBackoff: false },
  'jobs.daily': { ...standard, retryLimit: 2, retryDelay: 10, retryBackoff: false },
  'jobs.test': { retryLimit: 3, retryDelay: 0, retryBackoff: false, expireInSeconds: 60 },
  'cc.kpi_aggregate': { ...standard, retryLimit: 2, retryDelay: 10, retryBackoff: false },
  'analytics.nightly': { ...standard, retryLimit: 2, expireInSeconds: 60 * 60 },
  'analytics.materialize': { ...standard, retryLimit: 2, retryDelay: 10, retryBackoff: false, expireInSeconds: 30 * 60 },
  // A run interrupted by a restart is retried (resumed from the start: the run is a recomputation); solver time
  // limits are at most 300 s, so an attempt still active after 15 minutes died with its process.
  'wfm.forecast': { retryLimit: 2, retryDelay: 5, retryBackoff: false, expireInSeconds: 15 * 60 },
  'wfm.shift_plan': { retryLimit: 2, retryDelay: 5, retryBackoff: false, expireInSeconds: 15 * 60 },
  'wfm.roster': { retryLimit: 2, retryDelay: 5, retryBackoff: false, expireInSeconds: 15 * 60 },
};
