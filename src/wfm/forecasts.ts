// Forecasts (话务预测) per series: the method is chosen by rolling-origin backtest (model/forecast.ts), scored on
// the last held-out days against the weekly seasonal naive, then refit on all history for the next open days,
// with prediction intervals and a volume-weighted AHT forecast. A forecast is a run: POST writes it 'queued' and
// hands it to the `wfm.forecast` job (runs.ts); the job moves it to 'running' (with progress) and to 'done' or
// 'failed' with the reason, and the UI polls GET until then.
import { and, desc, eq, inArray } from 'drizzle-orm';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Invalid, NotFound, fieldError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import './messages.ts';
import { loadSeries } from './history.ts';
import { startRun, type RunCtx, type RunSteps } from './runs.ts';
import { computeForecastInWorker } from './solver-worker.ts';
import { createForecastInput, type CreateForecastInput, type ForecastOutput } from './schemas.ts';
import { wfmForecasts, type ForecastParams } from './tables.ts';

type Row = typeof wfmForecasts.$inferSelect;

export function presentForecast(r: Row): ForecastOutput {
  return {
    id: r.id, status: r.status, progress: r.progress, error: r.error,
    series: r.series, source: r.source, intervalMinutes: r.intervalMinutes, method: r.method, accuracy: r.accuracy, baseline: r.baseline, holdout: r.holdout,
    dates: r.dates, mean: r.mean, lower: r.lower, upper: r.upper, ahtSeconds: r.ahtSeconds, coverage: r.coverage, createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

export const MIN_HISTORY_DAYS = 14;

/** Queues a forecast run; `done` settles when an in-process run ends (with a job runner: at once, the job runs it). */
export async function createForecast(ctx: Ctx, raw: CreateForecastInput): Promise<{ forecast: ForecastOutput; done: Promise<ForecastOutput> }> {
  assertCan(ctx.actor, 'wfm.plan');
  const input = createForecastInput.parse(raw);
  const params: ForecastParams = { horizonDays: input.horizonDays, holdoutDays: input.holdoutDays, locale: ctx.actor.locale };
  const id = newId();
  const { row, done } = await startRun(ctx, 'wfm.forecast', id, async (tx, jobId) => {
    const [saved] = await tx.insert(wfmForecasts).values({
      id, orgId: ctx.actor.orgId, series: input.series, source: input.source, intervalMinutes: input.intervalMinutes, status: 'queued', progress: 0, params,
      coverage: input.coverage, jobId, createdBy: ctx.actor.userId, createdAt: ctx.now(),
    }).returning();
    await audit(ctx, { action: 'wfm_forecast.create', entityType: 'wfm_forecast', entityId: id, data: { series: input.series, source: input.source, intervalMinutes: input.intervalMinutes } }, tx);
    return saved;
  }, forecastSteps);
  return { forecast: presentForecast(row), done: done.then(() => getForecastUnchecked(ctx, id)) };
}

/**
 * The run itself (the `wfm.forecast` job, or in-process): claims the row (queued, or left running by an
 * interrupted attempt), computes in a worker thread, stores. Throws `Invalid` for input that can never succeed.
 */
export async function runForecast(rc: RunCtx, id: string): Promise<void> {
  const orgId = rc.actor.orgId;
  const claimed = await rc.db.update(wfmForecasts).set({ status: 'running', progress: 0, error: null })
    .where(and(eq(wfmForecasts.orgId, orgId), eq(wfmForecasts.id, id), inArray(wfmForecasts.status, ['queued', 'running']))).returning();
  const r = claimed[0];
  if (!r) return; // finished (or failed) by an earlier attempt
  const params = r.params ?? { horizonDays: 7, holdoutDays: 7, locale: rc.actor.locale };
  const progress = (p: number) => rc.db.update(wfmForecasts).set({ progress: p }).where(and(eq(wfmForecasts.orgId, orgId), eq(wfmForecasts.id, id), eq(wfmForecasts.status, 'running')));
  const { calls, ahtSeconds } = await loadSeries(rc, r.series, r.source, r.intervalMinutes);
  const need = MIN_HISTORY_DAYS + params.holdoutDays;
  if (calls.days.length < need) throw new Invalid([fieldError('series', 'no_history', 'wfm.no_history', { days: need, found: calls.days.length })]);
  await progress(0.1);
  const stages: Promise<unknown>[] = [];
  const res = await computeForecastInWorker({ calls, ahtSeconds, holdoutDays: params.holdoutDays, horizonDays: params.horizonDays, coverage: r.coverage }, (p) => { stages.push(progress(p)); });
  await Promise.all(stages);
  await rc.db.transaction(async (tx) => {
    await tx.update(wfmForecasts).set({ status: 'done', progress: 1, ...res, finishedAt: rc.now() })
      .where(and(eq(wfmForecasts.orgId, orgId), eq(wfmForecasts.id, id), eq(wfmForecasts.status, 'running')));
    await audit(rc, { action: 'wfm_forecast.done', entityType: 'wfm_forecast', entityId: id, data: { method: res.method, mape: res.accuracy.mape } }, tx);
  });
}

/** Stores a run's failure (the reason, in the requester's language for input errors). */
export async function failForecast(rc: RunCtx, id: string, message: string): Promise<void> {
  await rc.db.update(wfmForecasts).set({ status: 'failed', error: message, finishedAt: rc.now() })
    .where(and(eq(wfmForecasts.orgId, rc.actor.orgId), eq(wfmForecasts.id, id), inArray(wfmForecasts.status, ['queued', 'running'])));
}

export const forecastSteps: RunSteps = { run: (rc, d) => runForecast(rc, d.id), fail: failForecast };

async function getForecastUnchecked(ctx: Ctx, id: string): Promise<ForecastOutput> {
  const [r] = await ctx.db.select().from(wfmForecasts).where(and(eq(wfmForecasts.orgId, ctx.actor.orgId), eq(wfmForecasts.id, id)));
  if (!r) throw new NotFound('wfm_forecast');
  return presentForecast(r);
}

export async function getForecast(ctx: Ctx, id: string): Promise<ForecastOutput> {
  assertCan(ctx.actor, 'wfm.read');
  return getForecastUnchecked(ctx, id);
}

/** A finished forecast, for the steps that build on it (requirements). */
export async function getDoneForecast(ctx: Ctx, id: string): Promise<Row> {
  const [r] = await ctx.db.select().from(wfmForecasts).where(and(eq(wfmForecasts.orgId, ctx.actor.orgId), eq(wfmForecasts.id, id)));
  if (!r) throw new NotFound('wfm_forecast');
  if (r.status !== 'done') throw new Invalid([fieldError('forecastId', 'not_finished', 'wfm.not_finished')], 'error.wfm_not_finished');
  return r;
}

export async function listForecasts(ctx: Ctx): Promise<Pick<ForecastOutput, 'id' | 'status' | 'series' | 'source' | 'intervalMinutes' | 'method' | 'accuracy' | 'dates' | 'createdAt'>[]> {
  assertCan(ctx.actor, 'wfm.read');
  const found = await ctx.db.select({ id: wfmForecasts.id, status: wfmForecasts.status, series: wfmForecasts.series, source: wfmForecasts.source, intervalMinutes: wfmForecasts.intervalMinutes, method: wfmForecasts.method, accuracy: wfmForecasts.accuracy, dates: wfmForecasts.dates, createdAt: wfmForecasts.createdAt })
    .from(wfmForecasts).where(eq(wfmForecasts.orgId, ctx.actor.orgId)).orderBy(desc(wfmForecasts.createdAt)).limit(50);
  return found.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}
