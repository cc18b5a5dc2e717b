// The computation of one planner forecast run, pure (it runs in the solver worker thread, see solver-worker.ts):
// the method chosen by rolling-origin backtest and scored on the held-out days against the weekly seasonal naive
// (model/forecast.ts), then refit on all history for the next open days with prediction intervals and AHT.
import { evaluateHoldout, forecastAht, forecastSeries, nextOpenDates, type Accuracy, type IntervalSeries } from './model/forecast.ts';

export interface ForecastRunInput { calls: IntervalSeries; ahtSeconds: IntervalSeries; holdoutDays: number; horizonDays: number; coverage: number }
export interface ForecastRunResult {
  method: string; accuracy: Accuracy; baseline: Accuracy;
  holdout: { dates: string[]; actual: number[][]; forecast: number[][] };
  dates: string[]; mean: number[][]; lower: number[][]; upper: number[][]; ahtSeconds: number[][]; coverage: number;
}

const finite = (a: Accuracy): Accuracy => ({ mape: Number.isFinite(a.mape) ? a.mape : 0, mae: a.mae, rmse: a.rmse });
const round = (g: number[][]) => g.map((x) => x.map((v) => Math.round(v * 100) / 100));

export function computeForecastRun(input: ForecastRunInput, onStage: (progress: number) => void = () => {}): ForecastRunResult {
  const { calls, ahtSeconds } = input;
  const opts = { coverage: input.coverage, backtestBlocks: 2 };
  const held = evaluateHoldout(calls, { holdoutDays: input.holdoutDays, ...opts });
  onStage(0.5);
  const dates = nextOpenDates(calls, input.horizonDays);
  const fc = forecastSeries(calls, dates, opts);
  onStage(0.8);
  const aht = forecastAht(calls, ahtSeconds, dates, { ...opts, candidates: [fc.method], specialDays: fc.specialDays });
  return {
    method: fc.method + (fc.specialDays ? '+special-days' : ''), accuracy: finite(held.accuracy), baseline: finite(held.baselines.seasonalNaiveWeekly),
    holdout: { dates: held.holdoutDates, actual: calls.days.slice(-input.holdoutDays).map((d) => d.values), forecast: round(held.forecast.mean) },
    dates, mean: round(fc.mean), lower: fc.lower, upper: fc.upper, ahtSeconds: round(aht.ahtSeconds), coverage: fc.coverage,
  };
}
