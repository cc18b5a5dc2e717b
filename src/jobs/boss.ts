// pg-boss 10 on Kefu's own database (PostgreSQL pool or embedded PGlite, see boss-db.ts): starts the
// queues of names.ts, the registered handlers and schedules, and implements the JobQueue facade.
import crypto from 'node:crypto';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Database } from '../db/open.ts';
import { silentLogger } from '../platform/context.ts';
import { bossDbFor, bossDbInTransaction } from './boss-db.ts';
import { jobDefinitions, jobNames, type JobName } from './names.ts';
import {
  jobHandlers,
  jobSchedules,
  DEFAULT_JOB_TIME_ZONE,
  type JobData,
  type JobEnv,
  type JobQueue,
  type RegisteredHandler,
  type RegisteredSchedule,
  type SendOptions,
} from './queue.ts';

export const BOSS_SCHEMA = 'pgboss';

export interface StartJobsOptions {
  log?: Logger;
  now?: () => Date;
  /** How often an idle worker looks for new jobs (pg-boss minimum 0.5 s; default 2 s). */
  pollingIntervalSeconds?: number;
  /** Handlers to run here; default every registered one. An empty map enqueues without working. */
  handlers?: ReadonlyMap<JobName, RegisteredHandler>;
  /** Schedules to apply; default every registered one. */
  schedules?: ReadonlyMap<JobName, RegisteredSchedule>;
  /** Maintenance (expiring stuck jobs, archiving) and cron; off in tests that do not need them. */
  maintenance?: boolean;
}

export interface JobRunner extends JobQueue {
  /** Stop working; waits up to `timeoutMs` for running handlers, then fails them (they are retried). */
  stop(opts?: { graceful?: boolean; timeoutMs?: number }): Promise<void>;
  /** The job's state as pg-boss keeps it (tests, diagnostics). */
  getJob(name: JobName, id: string): Promise<{ state: string; retryCount: number; output: unknown } | null>;
}

/** A stable job id for (name, singletonKey): the job table's primary key then refuses the second one. */
export function keyedJobId(name: string, singletonKey: string): string {
  const h = crypto.createHash('sha256').update(`${name}\u0000${singletonKey}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50; // version 5 (name-based)
  h[8] = (h[8] & 0x3f) | 0x80; // RFC 4122 variant
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

export async function startJobs(database: Database, opts: StartJobsOptions = {}): Promise<JobRunner> {
  const log = opts.log ?? silentLogger;
  const now = opts.now ?? (() => new Date());
  const handlers = opts.handlers ?? jobHandlers;
  const schedules = opts.schedules ?? jobSchedules;
  const maintenance = opts.maintenance ?? true;
  const boss = new PgBoss({
    db: bossDbFor(database),
    schema: BOSS_SCHEMA,
    migrate: true,
    supervise: maintenance,
    schedule: maintenance,
    pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2,
  });
  boss.on('error', (err: Error) => log.error({ err }, 'jobs: pg-boss error'));
  // Several Kefu processes starting at once (KEFU_WORKERS, or several servers) would create pg-boss's
  // schema and queues concurrently, and PostgreSQL answers that with a deadlock: one at a time.
  const release = await startupLock(database);
  try {
    await boss.start();
    try {
      return await setUp(boss, database, { log, now, handlers, schedules });
    } catch (err) {
      await boss.stop({ graceful: false, close: false }).catch(() => {});
      throw err;
    }
  } finally {
    await release();
  }
}

/** A session advisory lock on PostgreSQL for the start-up of the job runner; PGlite has one process. */
async function startupLock(database: Database): Promise<() => Promise<void>> {
  if (!database.pool) return async () => {};
  const client = await database.pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(727002)');
  } catch (err) {
    client.release();
    throw err;
  }
  return async () => {
    await client.query('SELECT pg_advisory_unlock(727002)').catch(() => {});
    client.release();
  };
}

async function setUp(
  boss: PgBoss,
  database: Database,
  { log, now, handlers, schedules }: { log: Logger; now: () => Date; handlers: ReadonlyMap<JobName, RegisteredHandler>; schedules: ReadonlyMap<JobName, RegisteredSchedule> },
): Promise<JobRunner> {

  for (const name of jobNames) {
    const d = jobDefinitions[name];
    const queueOptions = {
      policy: 'standard' as const,
      retryLimit: d.retryLimit,
      retryDelay: d.retryDelay,
      retryBackoff: d.retryBackoff,
      expireInSeconds: d.expireInSeconds,
    };
    await boss.createQueue(name, { name, ...queueOptions });
    await boss.updateQueue(name, { name, ...queueOptions }); // definitions may have changed since the queue was made
  }

  const workerIds = new Map<JobName, string[]>();

  const queue: JobRunner = {
    async send(name: JobName, data: JobData, sendOpts: SendOptions = {}) {
      const options: PgBoss.SendOptions & { db?: PgBoss.Db } = {};
      if (sendOpts.singletonKey !== undefined) {
        options.singletonKey = sendOpts.singletonKey;
        options.id = keyedJobId(name, sendOpts.singletonKey);
      }
      if (sendOpts.startAfter !== undefined) options.startAfter = sendOpts.startAfter;
      if (sendOpts.tx) options.db = bossDbInTransaction(sendOpts.tx);
      const id = await boss.send(name, data, options);
      // Wake a local worker now rather than at its next poll (not for a transaction: not committed yet).
      if (id && !sendOpts.tx && sendOpts.startAfter === undefined) for (const w of workerIds.get(name) ?? []) boss.notifyWorker(w);
      return id;
    },
    async schedule(name, cron, data = {}, scheduleOpts = {}) {
      await boss.schedule(name, cron, data, { tz: scheduleOpts.tz ?? DEFAULT_JOB_TIME_ZONE });
    },
    async unschedule(name) {
      await boss.unschedule(name);
    },
    async stop(stopOpts = {}) {
      await boss.stop({ graceful: stopOpts.graceful ?? true, timeout: stopOpts.timeoutMs ?? 10_000, close: false, wait: true });
    },
    async getJob(name, id) {
      const job = await boss.getJobById(name, id, { includeArchive: true });
      if (!job) return null;
      return { state: job.state, retryCount: job.retryCount, output: job.output };
    },
  };

  const env: JobEnv = { db: database.db, log, now, jobs: queue };
  for (const reg of handlers.values()) {
    const ids: string[] = [];
    for (let i = 0; i < reg.concurrency; i++) {
      ids.push(
        await boss.work<JobData>(reg.name, { batchSize: 1, includeMetadata: true }, async ([job]) => {
          const started = Date.now();
          try {
            await reg.handler({ id: job.id, name: reg.name, data: job.data ?? {}, retryCount: job.retryCount }, env);
            log.debug({ job: reg.name, id: job.id, ms: Date.now() - started }, 'jobs: done');
          } catch (err) {
            log.warn({ err, job: reg.name, id: job.id, retryCount: job.retryCount }, 'jobs: attempt failed');
            throw err;
          }
        }),
      );
    }
    workerIds.set(reg.name, ids);
  }
  for (const s of schedules.values()) await queue.schedule(s.name, s.cron, s.data, { tz: s.tz });
  log.info({ database: database.kind, handlers: [...handlers.keys()] }, 'jobs: started');
  return queue;
}
