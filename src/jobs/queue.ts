// The jobs facade other domains use: send a job (inside the caller's transaction when given one),
// schedule a recurring job, and register the handler that runs it. pg-boss stays behind this file
// and src/jobs/boss.ts; domains never import it.
//
// Usage from a use case:
//   await ctx.db.transaction(async (tx) => {
//     …write the service order…
//     await ctx.jobs?.send('service.escalate', { orgId, serviceOrderId }, { tx, singletonKey: serviceOrderId });
//   });
// The job exists only if the transaction commits. `ctx.jobs` is optional: HTTP tests and CLI commands
// run without background jobs, so a use case must not depend on a job having run to answer correctly.
//
// Handlers (see src/jobs/once.ts for the exactly-once pattern every handler with an effect follows):
//   registerJobHandler<{ orgId: string }>('sla.scan', async (job, env) => { const ctx = jobCtx(env, job.data.orgId); … });
import type { Logger } from 'pino';
import type { Db } from '../db/open.ts';
import { makeCtx, systemActor, type Ctx } from '../platform/context.ts';
import type { JobName } from './names.ts';

/** Job data: plain JSON (stored as jsonb). Carry ids, never whole rows — the handler reads fresh data. */
export type JobData = Record<string, unknown>;

export interface SendOptions {
  /**
   * The same (job name, singletonKey) is enqueued once: a second send while the first job is waiting,
   * running, retrying or finished within the archive window (12 h) returns null and adds nothing. Put the
   * period in the key for periodic work (`${orgId}:2026-11-24`), the entity for per-entity work.
   */
  singletonKey?: string;
  /** Run no earlier than this time, or this many seconds from now. */
  startAfter?: Date | number;
  /** Enqueue inside this transaction: rolled back, nothing is enqueued. */
  tx?: Db;
}

export interface ScheduleOptions {
  /** IANA time zone the cron expression is read in; default the organization default, Asia/Shanghai. */
  tz?: string;
}

export const DEFAULT_JOB_TIME_ZONE = 'Asia/Shanghai';

export interface JobQueue {
  /** The job id, or null when a job with the same singletonKey already exists. */
  send(name: JobName, data: JobData, opts?: SendOptions): Promise<string | null>;
  /**
   * Run `name` on a cron (5 fields, minute resolution) read in `tz`. pg-boss 10 keeps one schedule per
   * job name: a job that must run at local times of several organizations schedules itself often (e.g.
   * hourly) and fans out per organization whose local time is due (see `localDate` in src/jobs/model/local-time.ts).
   */
  schedule(name: JobName, cron: string, data?: JobData, opts?: ScheduleOptions): Promise<void>;
  unschedule(name: JobName): Promise<void>;
}

/** What a handler receives besides the job: the database and the clock, never a request. */
export interface JobEnv {
  db: Db;
  log: Logger;
  now: () => Date;
  jobs: JobQueue;
}

export interface JobRun<D extends JobData = JobData> {
  id: string;
  name: JobName;
  data: D;
  /** 0 on the first attempt. */
  retryCount: number;
}

/**
 * Runs one job. Throwing fails the attempt and pg-boss retries it (names.ts sets how often), so a
 * handler must be idempotent: see src/jobs/once.ts.
 */
export type JobHandler<D extends JobData = JobData> = (job: JobRun<D>, env: JobEnv) => Promise<void>;

export interface RegisteredHandler {
  name: JobName;
  handler: JobHandler;
  /** Jobs of this name worked at the same time in this process (default 1). */
  concurrency: number;
}

export interface RegisteredSchedule {
  name: JobName;
  cron: string;
  data: JobData;
  tz: string;
}

/** The registries: domains add handlers and schedules when their jobs module is imported. */
export const jobHandlers = new Map<JobName, RegisteredHandler>();
export const jobSchedules = new Map<JobName, RegisteredSchedule>();

export function registerJobHandler<D extends JobData>(name: JobName, handler: JobHandler<D>, opts: { concurrency?: number } = {}): void {
  jobHandlers.set(name, { name, handler: handler as unknown as JobHandler, concurrency: Math.max(1, opts.concurrency ?? 1) });
}

/** A schedule applied each time jobs start (idempotent: pg-boss upserts it by name). */
export function registerJobSchedule(name: JobName, cron: string, data: JobData = {}, opts: ScheduleOptions = {}): void {
  jobSchedules.set(name, { name, cron, data, tz: opts.tz ?? DEFAULT_JOB_TIME_ZONE });
}

/** A use-case context for a job acting for an organization: the system actor, the job's clock and queue. */
export function jobCtx(env: JobEnv, orgId: string): Ctx {
  return makeCtx(env.db, systemActor(orgId), { now: env.now, log: env.log, jobs: env.jobs });
}

/** A JobQueue that only records what was sent: for tests of use cases that enqueue jobs. */
export function recordingJobQueue(): JobQueue & { sent: { name: JobName; data: JobData; opts: Omit<SendOptions, 'tx'> }[] } {
  const sent: { name: JobName; data: JobData; opts: Omit<SendOptions, 'tx'> }[] = [];
  const keys = new Set<string>();
  return {
    sent,
    async send(name, data, opts = {}) {
      const { tx: _tx, ...rest } = opts;
      if (rest.singletonKey !== undefined) {
        const k = `${name}\u0000${rest.singletonKey}`;
        if (keys.has(k)) return null;
        keys.add(k);
      }
      sent.push({ name, data, opts: rest });
      return `recorded-${sent.length}`;
    },
    async schedule() {},
    async unschedule() {},
  };
}
