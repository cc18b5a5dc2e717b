// `kefu wfm forecast --input FILE --format bank-calls [--holdout-days D] [--holdout-end YYYY-MM-DD]
//   [--interval-minutes 5|15|30|60] [--holidays D1,D2] [--json]`
// Holds out D data days (default 5) ending at --holdout-end (default the last day), forecasts them from the
// days before only (method chosen by rolling-origin backtest) and scores it beside the seasonal naive.
import type { Command } from 'commander';
import { readArrivals, type ArrivalFormat } from '../wfm/bank-calls.ts';
import { aggregateSeries, evaluateHoldout, forecastSeries, nextOpenDates, type Accuracy, type CandidateScore, type ForecastMethod } from '../wfm/model/forecast.ts';
import { intOption } from './wfm-options.ts';

type ForecastOpts = {
  input: string;
  format: ArrivalFormat;
  holdoutDays: number;
  holdoutEnd?: string;
  intervalMinutes?: number;
  holidays?: string;
  horizonDays?: number;
  json?: boolean;
};

export type WfmForecastOutput = {
  method: ForecastMethod;
  specialDays: boolean;
  intervalMinutes: number;
  holdoutDays: number;
  holdoutStart: string;
  holdoutEnd: string;
  accuracy: Accuracy;
  baselines: { seasonalNaiveWeekly: Accuracy; seasonalNaiveDaily: Accuracy };
  predictionInterval: { coverage: number; observedCoverage: number; dispersion: number };
  candidates: CandidateScore[];
  /** With --horizon-days: the next open days forecast from all the data. */
  forecast?: { method: ForecastMethod; specialDays: boolean; coverage: number; days: { date: string; mean: number[]; lower: number[]; upper: number[] }[] };
};

export function runWfmForecast(o: ForecastOpts): WfmForecastOutput {
  let series = readArrivals(o.input, o.format);
  if (o.intervalMinutes != null) series = aggregateSeries(series, o.intervalMinutes);
  const holidays = o.holidays ? o.holidays.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
  const r = evaluateHoldout(series, { holdoutDays: o.holdoutDays, holdoutEnd: o.holdoutEnd, holidays });
  const out: WfmForecastOutput = {
    method: r.method,
    specialDays: r.specialDays,
    intervalMinutes: r.intervalMinutes,
    holdoutDays: r.holdoutDates.length,
    holdoutStart: r.holdoutDates[0],
    holdoutEnd: r.holdoutDates[r.holdoutDates.length - 1],
    accuracy: r.accuracy,
    baselines: r.baselines,
    predictionInterval: { coverage: r.forecast.coverage, observedCoverage: r.intervalCoverage, dispersion: r.forecast.dispersion },
    candidates: r.forecast.candidates,
  };
  if (o.horizonDays) {
    const f = forecastSeries(series, nextOpenDates(series, o.horizonDays, holidays), { holidays });
    const round = (xs: number[]) => xs.map((x) => Math.round(x * 100) / 100);
    out.forecast = {
      method: f.method,
      specialDays: f.specialDays,
      coverage: f.coverage,
      days: f.dates.map((date, i) => ({ date, mean: round(f.mean[i]), lower: f.lower[i], upper: f.upper[i] })),
    };
  }
  return out;
}

function formatText(r: WfmForecastOutput): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const acc = (a: Accuracy) => `MAPE ${pct(a.mape)}, MAE ${a.mae.toFixed(2)}, RMSE ${a.rmse.toFixed(2)}`;
  return (
    [
      `  方法 / method: ${r.method}${r.specialDays ? ' + 特殊日 / special days' : ''}, 时段 / interval: ${r.intervalMinutes} min`,
      `  验证期 / held out: ${r.holdoutStart} … ${r.holdoutEnd} (${r.holdoutDays} 天 / days)`,
      `  预测 / forecast: ${acc(r.accuracy)}`,
      `  周季节朴素 / seasonal naive (weekly): ${acc(r.baselines.seasonalNaiveWeekly)}`,
      `  日朴素 / naive (daily): ${acc(r.baselines.seasonalNaiveDaily)}`,
      `  ${pct(r.predictionInterval.coverage)} 预测区间覆盖率 / prediction-interval coverage: ${pct(r.predictionInterval.observedCoverage)}`,
      ...(r.forecast ?? { days: [] }).days.map((d) => `  ${d.date}: ${Math.round(d.mean.reduce((s, x) => s + x, 0)).toLocaleString('en-US')} 来电 / calls`),
    ].join('\n') + '\n'
  );
}

export function registerWfmForecast(wfm: Command): void {
  wfm
    .command('forecast')
    .description('forecast interval volumes and score them on held-out days / 话务量预测与验证')
    .requiredOption('--input <file>', 'arrivals file / 来电数据文件')
    .option('--format <format>', 'file format: bank-calls / 文件格式', 'bank-calls')
    .option('--holdout-days <d>', 'held-out data days / 验证天数', intOption('--holdout-days', 1), 5)
    .option('--holdout-end <date>', 'last held-out day YYYY-MM-DD (inclusive) / 验证期最后一天')
    .option('--interval-minutes <m>', 'aggregate to 5, 15, 30 or 60 minutes / 汇总时段长度', intOption('--interval-minutes', 1))
    .option('--holidays <dates>', 'comma-separated holidays with data / 节假日（逗号分隔）')
    .option('--horizon-days <n>', 'also forecast the next N open days from all the data / 预测之后 N 个工作日', intOption('--horizon-days', 1))
    .option('--json', 'print the result as JSON')
    .action((o: ForecastOpts) => {
      if (o.format !== 'bank-calls') throw new Error(`unknown --format ${o.format} / 不支持的格式`);
      if (o.holdoutEnd != null && !/^\d{4}-\d{2}-\d{2}$/.test(o.holdoutEnd)) throw new Error('--holdout-end must be YYYY-MM-DD / 日期格式应为 YYYY-MM-DD');
      const r = runWfmForecast(o);
      process.stdout.write(o.json ? `${JSON.stringify(r)}\n` : formatText(r));
    });
}
