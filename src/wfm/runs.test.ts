// Planner runs as pg-boss jobs, through the API, on PGlite and PostgreSQL: a forecast POST answers 202 'queued'
// and the `wfm.forecast` job completes it (progress 1, the job 'completed'); a series without enough history
// ends 'failed' with the reason in the requester's language, and the job is not retried for it.
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterEach, expect, it } from 'vitest';
import { rows } from '../db/open.ts';
import { describeDb } from '../db/test-harness.ts';
import { buildApp } from '../http/app.ts';
import { startJobs, type JobRunner } from '../jobs/boss.ts';
import '../jobs/handlers.ts';
import type { JobName } from '../jobs/names.ts';
import { jobHandlers, type RegisteredHandler } from '../jobs/queue.ts';
import { seedCc } from '../contact-center/test-setup.ts';
import { seedDemoWfm } from './demo/seed-wfm.ts';

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
      expect((await jobs.getJob('wfm.forecast', row.job_id!))?.state).toBe('completed');
      const list = (await call('GET', '/api/wfm/forecasts')).json().items;
      expect(list[0]).toMatchObject({ id, status: 'done' });

      // 20 days of history cannot hold out 7 and still keep 14 to learn from: the run fails with the reason in
      // the requester's language, and its job completes (retrying cannot help).
      const short = await call('POST', '/api/wfm/forecasts', { series: 'front', intervalMinutes: 60, horizonDays: 7, holdoutDays: 7 });
      expect(short.statusCode).toBe(202);
      const failed = await poll(short.json().id);
      expect(failed).toMatchObject({ status: 'failed', error: '该队列没有足够的历史话务（至少需要 21 天，现有 20 天）', mean: [] });
      const [failedRow] = await jobIdOf(short.json().id);
      expect((await jobs.getJob('wfm.forecast', failedRow.job_id!))).toMatchObject({ state: 'completed', retryCount: 0 });
      const unknown = await call('POST', '/api/wfm/forecasts', { series: 'no-such-queue' });
      expect(await poll(unknown.json().id)).toMatchObject({ status: 'failed', error: '该队列没有足够的历史话务（至少需要 21 天，现有 0 天）' });
      // A requirement cannot be built on a failed forecast.
      expect((await call('POST', '/api/wfm/requirements', { forecastId: short.json().id })).statusCode).toBe(400);
    } finally {
      await app.close();
    }
  }, 180_000);

});
