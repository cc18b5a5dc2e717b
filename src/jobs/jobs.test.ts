import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../db/open.ts';
import { describeDb } from '../db/test-harness.ts';
import { seedOrg } from '../db/test-fixtures.ts';
import { makeCtx, systemActor } from '../platform/context.ts';
import { keyedJobId, startJobs, type JobRunner } from './boss.ts';
import { bossDbFor, lockedScriptBody } from './boss-db.ts';
import { localDate, localHour } from './model/local-time.ts';
import type { JobName } from './names.ts';
import { effectDone, onceOnly, pruneJobEffects } from './once.ts';
import { startDueDailyJobs, type DailyJob } from './daily.ts';
import { createOrganization } from '../platform/create-organization.ts';
import { recordingJobQueue, type JobHandler, type RegisteredHandler } from './queue.ts';

async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function handlers(handler: JobHandler<{ orgId: string; key: string }>): Map<JobName, RegisteredHandler> {
  return new Map([['jobs.test', { name: 'jobs.test', handler: handler as unknown as JobHandler, concurrency: 1 }]]);
}

describe('jobs: pure parts', () => {
  it('recognises only pg-boss BEGIN…COMMIT scripts as locked scripts', () => {
    expect(lockedScriptBody('\n    BEGIN;\n    SELECT 1;\n    SELECT 2;\n    COMMIT;\n  ')).toBe('\n    SELECT 1;\n    SELECT 2');
    expect(lockedScriptBody('SELECT 1')).toBeNull();
    expect(lockedScriptBody('BEGIN; SELECT 1')).toBeNull();
  });

  it('gives one stable job id per (name, singleton key)', () => {
    expect(keyedJobId('sla.scan', 'a')).toBe(keyedJobId('sla.scan', 'a'));
    expect(keyedJobId('sla.scan', 'a')).not.toBe(keyedJobId('sla.scan', 'b'));
    expect(keyedJobId('sla.scan', 'a')).not.toBe(keyedJobId('service.escalate', 'a'));
    expect(keyedJobId('sla.scan', 'a')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('reads the local date and hour of an organization', () => {
    const at = new Date('2026-11-24T16:30:00Z'); // 00:30 on the 25th in Shanghai
    expect(localDate(at, 'Asia/Shanghai')).toBe('2026-11-25');
    expect(localHour(at, 'Asia/Shanghai')).toBe(0);
    expect(localDate(at, 'Europe/London')).toBe('2026-11-24');
    expect(localHour(at, 'Europe/London')).toBe(16);
  });

  it('records sends in the test queue and honours singleton keys there too', async () => {
    const q = recordingJobQueue();
    expect(await q.send('sla.scan', { orgId: 'o' }, { singletonKey: 'k' })).not.toBeNull();
    expect(await q.send('sla.scan', { orgId: 'o' }, { singletonKey: 'k' })).toBeNull();
    expect(q.sent).toEqual([{ name: 'sla.scan', data: { orgId: 'o' }, opts: { singletonKey: 'k' } }]);
    expect(makeCtx(null as never, systemActor('o'), { jobs: q }).jobs).toBe(q);
  });
});

describeDb('jobs', (get) => {
  let orgId = '';
  const running: JobRunner[] = [];
  const start = async (h: Map<JobName, RegisteredHandler>) => {
    const r = await startJobs(get().database, { handlers: h, schedules: new Map(), pollingIntervalSeconds: 0.5, maintenance: false });
    running.push(r);
    return r;
  };
  const effectCount = async (key: string) =>
    (await rows<{ n: number }>(get().db, sql`SELECT count(*)::int AS n FROM job_effects WHERE org_id = ${orgId} AND effect_key = ${key}`))[0].n;

  beforeAll(async () => {
    orgId = (await seedOrg(get().db, 'Jobs Org')).orgId;
  });
  afterEach(async () => {
    for (const r of running.splice(0)) await r.stop({ graceful: false });
  });

  it('sends a job and runs its handler with the data', async () => {
    const seen: string[] = [];
    const jobs = await start(
      handlers(async (job, env) => {
        seen.push(job.data.key);
        await onceOnly(env.db, { orgId: job.data.orgId, jobName: 'jobs.test', effectKey: job.data.key }, async () => undefined);
      }),
    );
    const id = await jobs.send('jobs.test', { orgId, key: 'hello' });
    expect(id).toBeTruthy();
    await waitFor(async () => (await jobs.getJob('jobs.test', id!))?.state === 'completed', 'completion');
    expect(seen).toEqual(['hello']);
    expect(await effectCount('hello')).toBe(1);
  });

  it('retries a handler that failed before its effect committed, and the effect happens once', async () => {
    let attempts = 0;
    const jobs = await start(
      handlers(async (job, env) => {
        attempts++;
        await onceOnly(env.db, { orgId: job.data.orgId, jobName: 'jobs.test', effectKey: job.data.key }, async () => {
          if (job.retryCount === 0) throw new Error('crash inside the transaction');
        });
      }),
    );
    const id = await jobs.send('jobs.test', { orgId, key: 'before-commit' });
    await waitFor(async () => (await jobs.getJob('jobs.test', id!))?.state === 'completed', 'completion');
    expect(attempts).toBe(2);
    expect(await effectCount('before-commit')).toBe(1);
  });

  it('retries a handler that failed after its effect committed, and the retry does not repeat it', async () => {
    let effects = 0;
    const jobs = await start(
      handlers(async (job, env) => {
        await onceOnly(env.db, { orgId: job.data.orgId, jobName: 'jobs.test', effectKey: job.data.key }, async () => {
          effects++;
        });
        if (job.retryCount === 0) throw new Error('crash after the commit, before pg-boss heard of it');
      }),
    );
    const id = await jobs.send('jobs.test', { orgId, key: 'after-commit' });
    const done = await waitFor(async () => {
      const j = await jobs.getJob('jobs.test', id!);
      return j?.state === 'completed' ? j : null;
    }, 'completion');
    expect(done.retryCount).toBe(1);
    expect(effects).toBe(1);
    expect(await effectCount('after-commit')).toBe(1);
  });

  it('reruns a job whose worker stopped mid-run; the stalled first run, when it resumes, changes nothing', async () => {
    let release: () => void = () => {};
    const stalled = new Promise<void>((r) => (release = r));
    let startedFirst: () => void = () => {};
    const firstStarted = new Promise<void>((r) => (startedFirst = r));
    const zombie: { ran?: boolean } = {};
    const a = await start(
      handlers(async (job, env) => {
        startedFirst();
        await stalled; // the process hangs here, then is stopped
        const r = await onceOnly(env.db, { orgId: job.data.orgId, jobName: 'jobs.test', effectKey: job.data.key }, async () => 'first');
        zombie.ran = r.ran;
      }),
    );
    const id = await a.send('jobs.test', { orgId, key: 'worker-died' });
    await firstStarted;
    await a.stop({ graceful: false }); // pg-boss fails the unfinished job: it is retried
    running.splice(running.indexOf(a), 1);
    const b = await start(
      handlers(async (job, env) => {
        await onceOnly(env.db, { orgId: job.data.orgId, jobName: 'jobs.test', effectKey: job.data.key }, async () => 'second');
      }),
    );
    const done = await waitFor(async () => {
      const j = await b.getJob('jobs.test', id!);
      return j?.state === 'completed' ? j : null;
    }, 'completion by the second worker');
    expect(done.retryCount).toBe(1);
    release();
    await waitFor(async () => zombie.ran !== undefined, 'the stalled run to finish');
    expect(zombie.ran).toBe(false);
    expect(await effectCount('worker-died')).toBe(1);
  });

  it('enqueues a job once per singleton key', async () => {
    const jobs = await start(new Map());
    const first = await jobs.send('jobs.test', { orgId, key: 'daily' }, { singletonKey: `run:${orgId}:2026-11-24` });
    const again = await jobs.send('jobs.test', { orgId, key: 'daily' }, { singletonKey: `run:${orgId}:2026-11-24` });
    const nextDay = await jobs.send('jobs.test', { orgId, key: 'daily' }, { singletonKey: `run:${orgId}:2026-11-25` });
    expect(first).toBe(keyedJobId('jobs.test', `run:${orgId}:2026-11-24`));
    expect(again).toBeNull();
    expect(nextDay).toBe(keyedJobId('jobs.test', `run:${orgId}:2026-11-25`));
    const n = await rows<{ n: number }>(get().db, sql`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'jobs.test' AND data->>'key' = 'daily'`);
    expect(n[0].n).toBe(2);
  });

  it('enqueues inside the caller transaction: nothing when it rolls back, the job when it commits', async () => {
    const jobs = await start(new Map());
    const db = get().db;
    await expect(
      db.transaction(async (tx) => {
        await jobs.send('jobs.test', { orgId, key: 'tx' }, { tx, singletonKey: 'rolled-back' });
        throw new Error('use case failed after enqueueing');
      }),
    ).rejects.toThrow('use case failed');
    expect(await jobs.getJob('jobs.test', keyedJobId('jobs.test', 'rolled-back'))).toBeNull();

    await db.transaction(async (tx) => {
      await jobs.send('jobs.test', { orgId, key: 'tx' }, { tx, singletonKey: 'committed' });
    });
    expect((await jobs.getJob('jobs.test', keyedJobId('jobs.test', 'committed')))?.state).toBe('created');
  });

  it('stores a schedule in the organization time zone by default', async () => {
    const jobs = await start(new Map());
    await jobs.schedule('jobs.test', '0 9 * * *', { orgId });
    await jobs.schedule('jobs.test', '30 8 * * *', { orgId }, { tz: 'Asia/Urumqi' }); // one schedule per name: replaced
    const s = await rows<{ cron: string; timezone: string; data: { orgId: string } }>(get().db, sql`SELECT cron, timezone, data FROM pgboss.schedule WHERE name = 'jobs.test'`);
    expect(s).toEqual([{ cron: '30 8 * * *', timezone: 'Asia/Urumqi', data: { orgId } }]);
    await jobs.unschedule('jobs.test');
    const none = await rows(get().db, sql`SELECT 1 FROM pgboss.schedule WHERE name = 'jobs.test'`);
    expect(none).toEqual([]);
  });

  it('starts again on a database where pg-boss is already installed', async () => {
    const a = await startJobs(get().database, { handlers: new Map(), schedules: new Map(), maintenance: true });
    running.push(a);
    const b = await startJobs(get().database, { handlers: new Map(), schedules: new Map(), maintenance: true });
    running.push(b);
    expect(await b.send('jobs.test', { orgId, key: 'second-start' })).toBeTruthy();
    const v = await rows<{ n: number }>(get().db, sql`SELECT count(*)::int AS n FROM pgboss.version`);
    expect(v[0].n).toBe(1);
  });

  it('runs a locked BEGIN…COMMIT script as one transaction: all of it, or on failure none of it and the connection stays usable', async () => {
    const bossDb = bossDbFor(get().database);
    const ok = await bossDb.executeSql(`BEGIN; SET LOCAL lock_timeout = '30s'; SELECT pg_advisory_xact_lock(42); CREATE TABLE jobs_probe_ok (x int); SELECT 7 AS seven; COMMIT;`);
    expect(ok.rows).toEqual([{ seven: 7 }]);
    await expect(
      bossDb.executeSql(`BEGIN; SELECT pg_advisory_xact_lock(42); CREATE TABLE jobs_probe_bad (x int); SELECT 1/0; COMMIT;`),
    ).rejects.toThrow(/division by zero/);
    const tables = await rows<{ name: string }>(
      get().db,
      sql`SELECT table_name AS name FROM information_schema.tables WHERE table_name LIKE 'jobs_probe%' ORDER BY 1`,
    );
    expect(tables).toEqual([{ name: 'jobs_probe_ok' }]);
  });

  it('starts a daily job once per organization and local date, when the organization local hour has come', async () => {
    const london = await createOrganization(get().db, { name: 'Jobs London', adminEmail: 'admin@jobs-london.test', adminPassword: 'correct-horse-9', adminName: 'A', timezone: 'Europe/London' });
    const jobs = await start(new Map());
    const daily = new Map<JobName, DailyJob>([['jobs.test', { name: 'jobs.test', hour: 9 }]]);
    const tick = (iso: string) => startDueDailyJobs({ db: get().db, now: () => new Date(iso), jobs }, daily);
    expect(await tick('2026-11-24T00:30:00Z')).toEqual([]); // 08:30 in Shanghai, 00:30 in London
    expect(await tick('2026-11-24T01:05:00Z')).toEqual([{ name: 'jobs.test', orgId, localDate: '2026-11-24' }]); // 09:05 Shanghai
    expect(await tick('2026-11-24T01:10:00Z')).toEqual([]);
    expect(await tick('2026-11-24T09:10:00Z')).toEqual([{ name: 'jobs.test', orgId: london.orgId, localDate: '2026-11-24' }]); // 09:10 London
    // A server that was down all morning in Shanghai starts the next day's run at its first tick after 09:00.
    expect(await tick('2026-11-25T06:00:00Z')).toEqual([{ name: 'jobs.test', orgId, localDate: '2026-11-25' }]);
    const queued = await rows<{ org: string; day: string }>(
      get().db,
      sql`SELECT data->>'orgId' AS org, data->>'localDate' AS day FROM pgboss.job WHERE name = 'jobs.test' AND data ? 'localDate' ORDER BY 2, 1`,
    );
    expect(queued).toHaveLength(3);
    expect(queued).toEqual(
      expect.arrayContaining([
        { org: orgId, day: '2026-11-24' },
        { org: london.orgId, day: '2026-11-24' },
        { org: orgId, day: '2026-11-25' },
      ]),
    );
  });

  it('prunes effect keys older than the given time only', async () => {
    const key = { orgId, jobName: 'jobs.test' as const, effectKey: 'prune-me' };
    await onceOnly(get().db, key, async () => undefined);
    await get().db.execute(sql`UPDATE job_effects SET done_at = '2020-01-01T00:00:00Z' WHERE effect_key = 'prune-me'`);
    expect(await pruneJobEffects(get().db, new Date('2020-01-01T00:00:00Z'))).toBe(0);
    expect(await pruneJobEffects(get().db, new Date('2020-01-02T00:00:00Z'))).toBe(1);
    expect(await effectDone(get().db, key)).toBe(false);
    expect(await effectDone(get().db, { ...key, effectKey: 'hello' })).toBe(true);
  });
});
