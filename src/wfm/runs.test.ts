// Planner runs as pg-boss jobs, through the API, on PGlite and PostgreSQL: a forecast POST answers 202 'queued'
// and the `wfm.forecast` job completes it (progress 1, the job 'completed'); a series without enough history
// ends 'failed' with the reason in the requester's language, and the job is not retried for it. Runs a crash
// left 'running': one whose job pg-boss retries is resumed by the new process and finishes; one that has no job
// (an in-process run) or whose job is over is failed "interrupted by restart" at start-up.
import { eq, sql } from 'drizzle-orm';
import pino from 'pino';
import { afterEach, expect, it } from 'vitest';
import { rows } from '../db/open.ts';
import { describeDb } from '../db/test-harness.ts';
import { buildApp } from '../http/app.ts';
import { startJobs, type JobRunner } from '../jobs/boss.ts';
import '../jobs/handlers.ts';
import type { JobName } from '../jobs/names.ts';
import { jobHandlers, type JobHandler, type RegisteredHandler } from '../jobs/queue.ts';
import { seedCc } from '../contact-center/test-setup.ts';
import { newId } from '../platform/ids.ts';
import { seedDemoWfm } from './demo/seed-wfm.ts';
import { createForecast, getForecast } from './forecasts.ts';
import { recoverInterruptedWfmRuns } from './recover.ts';
import { wfmForecasts, wfmRosters, wfmShiftPlans } from './tables.ts';

const config = { sessionHours: 12, maxUploadBytes: 64 * 1024, loginRatePerMinute: 100, cookieSecure: false };
const registered = (...names: JobName[]) => new Map<JobName, RegisteredHandler>(names.map((n) => [n, jobHandlers.get(n)!]));

describeDb('wfm planner runs as jobs', (get) => {
  const running: JobRunner[] = [];
  afterEach(async () => {
    for (const r of running.splice(0)) await r.stop({ graceful: false });
  });

  it('POST /forecasts answers 202 queued; the wfm.forecast job completes it; too little history fails with the reason', async () => {
    const { db, database } = get();
    const f = await seedCc(db, 'WfmJobs');
    f.set('2026-03-30T00:00:00.000Z');
    await seedDemoWfm(f.ctx.supervisor, { days: 20, peakPer15Min: 4, minAgents: 0 });
    const jobs = await startJobs(database, { handlers: registered('wfm.forecast'), schedules: new Map(), pollingIntervalSeconds: 0.5, maintenance: false, now: () => f.clock.now });
    running.push(jobs);
    const app = await buildApp({ database, config, log: pino({ level: 'silent' }), webDir: null, jobs });
    try {
      const token = (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: f.emails.supervisor, password: f.password } })).json().token as string;
      const call = (method: 'GET' | 'POST', url: string, payload?: object) =>
        app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
      const poll = async (id: string) => {
        let body = (await call('GET', `/api/wfm/forecasts/${id}`)).json();
        for (let i = 0; i < 400 && (body.status === 'queued' || body.status === 'running'); i++) {
          await new Promise((r) => setTimeout(r, 150));
          body = (await call('GET', `/api/wfm/forecasts/${id}`)).json();
        }
        return body;
      };

      const started = await call('POST', '/api/wfm/forecasts', { series: 'front', intervalMinutes: 60, horizonDays: 7, holdoutDays: 5 });
      expect(started.statusCode).toBe(202);
      expect(started.json()).toMatchObject({ status: 'queued', progress: 0, error: null, mean: [], method: '' });
      const id = started.json().id as string;
      const jobIdOf = (fid: string) => rows<{ job_id: string | null }>(db, sql`SELECT job_id FROM wfm_forecasts WHERE id = ${fid}`);
      const [row] = await jobIdOf(id);
      expect(row.job_id).toBeTruthy();
      const done = await poll(id);
      expect(done).toMatchObject({ status: 'done', progress: 1, error: null });
      expect(done.dates).toHaveLength(7);
      expect(done.mean[0]).toHaveLength(24);
      expect(done.holdout.dates).toHaveLength(5);
      expect(done.accuracy.mape).toBeGreaterThan(0);
      expect((await settledJob(jobs, row.job_id!))?.state).toBe('completed');
      const list = (await call('GET', '/api/wfm/forecasts')).json().items;
      expect(list[0]).toMatchObject({ id, status: 'done' });

      // 20 days of history cannot hold out 7 and still keep 14 to learn from: the run fails with the reason in
      // the requester's language, and its job completes (retrying cannot help).
      const short = await call('POST', '/api/wfm/forecasts', { series: 'front', intervalMinutes: 60, horizonDays: 7, holdoutDays: 7 });
      expect(short.statusCode).toBe(202);
      const failed = await poll(short.json().id);
      expect(failed).toMatchObject({ status: 'failed', error: '该队列没有足够的历史话务（至少需要 21 天，现有 20 天）', mean: [] });
      const [failedRow] = await jobIdOf(short.json().id);
      expect(await settledJob(jobs, failedRow.job_id!)).toMatchObject({ state: 'completed', retryCount: 0 });
      const unknown = await call('POST', '/api/wfm/forecasts', { series: 'no-such-queue' });
      expect(await poll(unknown.json().id)).toMatchObject({ status: 'failed', error: '该队列没有足够的历史话务（至少需要 21 天，现有 0 天）' });
      // A requirement cannot be built on a failed forecast.
      expect((await call('POST', '/api/wfm/requirements', { forecastId: short.json().id })).statusCode).toBe(400);
    } finally {
      await app.close();
    }
  }, 180_000);

  it('a crash mid-run: the retried job resumes the run; runs without a live job are failed "interrupted by restart"', async () => {
    const { db, database } = get();
    const f = await seedCc(db, 'WfmCrash');
    f.set('2026-03-30T00:00:00.000Z');
    await seedDemoWfm(f.ctx.supervisor, { days: 21, peakPer15Min: 4, minAgents: 0 });
    const start = async (handlers: Map<JobName, RegisteredHandler>) => {
      const r = await startJobs(database, { handlers, schedules: new Map(), pollingIntervalSeconds: 0.5, maintenance: false, now: () => f.clock.now });
      running.push(r);
      return r;
    };
    const waitFor = async (probe: () => Promise<boolean>, what: string) => {
      for (let i = 0; i < 600; i++) {
        if (await probe()) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`timed out waiting for ${what}`);
    };

    // Process A claims the forecast (status 'running') and dies before it stores anything.
    const crash: JobHandler = async (job) => {
      await db.update(wfmForecasts).set({ status: 'running', progress: 0.1 }).where(eq(wfmForecasts.id, String(job.data.id)));
      throw new Error('process killed mid-run');
    };
    const a = await start(new Map([['wfm.forecast', { name: 'wfm.forecast', handler: crash, concurrency: 1 }]]));
    const { forecast } = await createForecast({ ...f.ctx.supervisor, jobs: a }, { series: 'front', intervalMinutes: 60, horizonDays: 7, holdoutDays: 5 });
    const [{ jobId }] = await db.select({ jobId: wfmForecasts.jobId }).from(wfmForecasts).where(eq(wfmForecasts.id, forecast.id));
    await waitFor(async () => (await a.getJob('wfm.forecast', jobId!))?.state === 'retry', 'the crashed attempt');
    running.splice(running.indexOf(a), 1);
    await a.stop({ graceful: false });
    expect(await getForecast(f.ctx.supervisor, forecast.id)).toMatchObject({ status: 'running', progress: 0.1 });

    // Runs other processes left behind: a shift plan solved in-process (no job), a roster whose job is gone,
    // a roster that had finished.
    const plan = { id: newId(), orgId: f.orgId, requirementId: newId(), status: 'running' as const, intervalMinutes: 30, startDate: '2026-03-30', problem: {} };
    const lostRoster = { id: newId(), orgId: f.orgId, shiftPlanId: plan.id, status: 'running' as const, startDate: '2026-03-30', days: 7, problem: {}, jobId: newId() };
    const doneRoster = { ...lostRoster, id: newId(), status: 'optimal' as const, jobId: null };
    await db.insert(wfmShiftPlans).values(plan);
    await db.insert(wfmRosters).values([lostRoster, doneRoster]);

    // Process B starts: its recovery leaves the forecast to its job (pg-boss retries it) and fails the others.
    const b = await start(registered('wfm.forecast'));
    expect(await recoverInterruptedWfmRuns(db, { jobs: b, now: () => f.clock.now })).toEqual({ resumed: 1, failed: 2 });
    const status = async (table: typeof wfmShiftPlans | typeof wfmRosters, id: string) => (await db.select({ status: table.status, error: table.error }).from(table).where(eq(table.id, id)))[0];
    expect(await status(wfmShiftPlans, plan.id)).toEqual({ status: 'failed', error: '运行因服务重启而中断' });
    expect(await status(wfmRosters, lostRoster.id)).toEqual({ status: 'failed', error: '运行因服务重启而中断' });
    expect(await status(wfmRosters, doneRoster.id)).toEqual({ status: 'optimal', error: null });
    await waitFor(async () => (await getForecast(f.ctx.supervisor, forecast.id)).status === 'done', 'the resumed forecast');
    const resumed = await getForecast(f.ctx.supervisor, forecast.id);
    expect(resumed).toMatchObject({ status: 'done', progress: 1, error: null });
    expect(resumed.mean).toHaveLength(7);
    expect(await settledJob(b, jobId!)).toMatchObject({ state: 'completed', retryCount: 1 });
    // A second start-up finds nothing left to recover.
    expect(await recoverInterruptedWfmRuns(db, { jobs: b })).toEqual({ resumed: 0, failed: 0 });
  }, 180_000);
});

/**
 * The forecast job once pg-boss has settled it: the handler marks the run done, and the job is marked
 * completed when the handler has returned, a moment later (the test read 'active' in between once).
 */
async function settledJob(queue: JobRunner, id: string) {
  let job = await queue.getJob('wfm.forecast', id);
  for (let i = 0; i < 100 && job?.state === 'active'; i++) {
    await new Promise((r) => setTimeout(r, 50));
    job = await queue.getJob('wfm.forecast', id);
  }
  return job;
}
