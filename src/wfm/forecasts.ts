// Forecasts (话务预测) per series: the method is chosen by rolling-origin backtest (model/forecast.ts), scored on
// the last held-out days against the weekly seasonal naive, then refit on all history for the next open days,
// with prediction intervals and a volume-weighted AHT forecast.
import { and, desc, eq } from 'drizzle-orm';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Invalid, NotFound } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { t } from '../i18n/messages.ts';
import './messages.ts';
import { loadSeries } from './history.ts';
import { evaluateHoldout, forecastAht, forecastSeries, nextOpenDates } from './model/forecast.ts';
import { createForecastInput, type CreateForecastInput, type ForecastOutput } from './schemas.ts';
import { wfmForecasts } from './tables.ts';

type Row = typeof wfmForecasts.$inferSelect;
const finite = (a: { mape: number; mae: number; rmse: number }) => ({ mape: Number.isFinite(a.mape) ? a.mape : 0, mae: a.mae, rmse: a.rmse });

export function presentForecast(r: Row): ForecastOutput {
  return {
    id: r.id, series: r.series, source: r.source, intervalMinutes: r.intervalMinutes, method: r.method, accuracy: r.accuracy, baseline: r.baseline, holdout: r.holdout,
    dates: r.dates, mean: r.mean, lower: r.lower, upper: r.upper, ahtSeconds: r.ahtSeconds, coverage: r.coverage, createdAt: r.createdAt.toISOString(),
  };
}

export const MIN_HISTORY_DAYS = 14;

export async function createForecast(ctx: Ctx, raw: CreateForecastInput): Promise<ForecastOutput> {
  assertCan(ctx.actor, 'wfm.plan');
  const input = createForecastInput.parse(raw);
  const { calls, ahtSeconds } = await loadSeries(ctx, input.series, input.source, input.intervalMinutes);
  if (calls.days.length < MIN_HISTORY_DAYS + input.holdoutDays) {
    throw new Invalid([{ path: 'series', code: 'no_history', message: t(ctx.actor.locale, 'wfm.no_history', { days: MIN_HISTORY_DAYS + input.holdoutDays }) }]);
  }
  const opts = { coverage: input.coverage, backtestBlocks: 2 };
  const held = evaluateHoldout(calls, { holdoutDays: input.holdoutDays, ...opts });
  const dates = nextOpenDates(calls, input.horizonDays);
  const fc = forecastSeries(calls, dates, opts);
  const aht = forecastAht(calls, ahtSeconds, dates, { ...opts, candidates: [fc.method], specialDays: fc.specialDays });
  const heldActual = calls.days.slice(-input.holdoutDays).map((d) => d.values);
  const round = (g: number[][]) => g.map((r) => r.map((v) => Math.round(v * 100) / 100));
  const row = {
    id: newId(), orgId: ctx.actor.orgId, series: input.series, source: input.source, intervalMinutes: input.intervalMinutes, method: fc.method + (fc.specialDays ? '+special-days' : ''),
    accuracy: finite(held.accuracy), baseline: finite(held.baselines.seasonalNaiveWeekly),
    holdout: { dates: held.holdoutDates, actual: heldActual, forecast: round(held.forecast.mean) },
    dates, mean: round(fc.mean), lower: fc.lower, upper: fc.upper, ahtSeconds: round(aht.ahtSeconds), coverage: fc.coverage,
    createdBy: ctx.actor.userId, createdAt: ctx.now(),
  };
  return ctx.db.transaction(async (tx) => {
    const [saved] = await tx.insert(wfmForecasts).values(row).returning();
    await audit(ctx, { action: 'wfm_forecast.create', entityType: 'wfm_forecast', entityId: saved.id, data: { series: input.series, source: input.source, method: row.method, mape: row.accuracy.mape } }, tx);
    return presentForecast(saved);
  });
}

export async function getForecast(ctx: Ctx, id: string): Promise<ForecastOutput> {
  assertCan(ctx.actor, 'wfm.read');
  const [r] = await ctx.db.select().from(wfmForecasts).where(and(eq(wfmForecasts.orgId, ctx.actor.orgId), eq(wfmForecasts.id, id)));
  if (!r) throw new NotFound('wfm_forecast');
  return presentForecast(r);
}

export async function listForecasts(ctx: Ctx): Promise<Pick<ForecastOutput, 'id' | 'series' | 'source' | 'intervalMinutes' | 'method' | 'accuracy' | 'dates' | 'createdAt'>[]> {
  assertCan(ctx.actor, 'wfm.read');
  const found = await ctx.db.select({ id: wfmForecasts.id, series: wfmForecasts.series, source: wfmForecasts.source, intervalMinutes: wfmForecasts.intervalMinutes, method: wfmForecasts.method, accuracy: wfmForecasts.accuracy, dates: wfmForecasts.dates, createdAt: wfmForecasts.createdAt })
    .from(wfmForecasts).where(eq(wfmForecasts.orgId, ctx.actor.orgId)).orderBy(desc(wfmForecasts.createdAt)).limit(50);
  return found.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}
