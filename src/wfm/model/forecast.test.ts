// Forecasting: accuracy measures and quantiles against hand-computed/published values; special days
// recovered from synthetic data with a known effect; the acceptance on the bank's real arrivals.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readArrivals, sharedDataDir } from '../bank-calls.ts';
import {
  accuracy,
  aggregateSeries,
  evaluateHoldout,
  forecastAht,
  forecastSeries,
  forecastWith,
  nextOpenDates,
  negBinomialQuantile,
  normalQuantile,
  weekdayOf,
  type IntervalSeries,
} from './forecast.ts';
import { mulberry32 } from '../../platform/mulberry32.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dataDir = sharedDataDir(repoRoot);
const bankFile = dataDir ? path.join(dataDir, 'bank_calls.csv') : undefined;
const haveBank = !!bankFile && fs.existsSync(bankFile);

/** Deterministic PRNG (mulberry32) and Poisson sampler (Knuth for small means, normal beyond). */
function rng(seed: number) {
  return mulberry32(seed);
}
function poisson(r: () => number, m: number): number {
  if (m > 50) return Math.max(0, Math.round(m + Math.sqrt(m) * normalQuantile(Math.min(1 - 1e-12, Math.max(1e-12, r())))));
  const l = Math.exp(-m);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= r();
  } while (p > l);
  return k - 1;
}

/** Weekdays from `start` for `weeks` weeks, 20 intervals a day, with a month-start multiplier. */
function synthetic(weeks: number, monthStart: number, seed: number, skip: string[] = []): IntervalSeries {
  const r = rng(seed);
  const shape = Array.from({ length: 20 }, (_, j) => 1 + Math.sin((Math.PI * j) / 19));
  const wk = [1.2, 1.0, 1.0, 0.95, 0.9];
  const days: IntervalSeries['days'] = [];
  let prevMonth = '';
  for (let d = 0; d < weeks * 7; d++) {
    const date = new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10); // 2024-01-01 is a Monday
    const w = weekdayOf(date);
    if (w > 4 || skip.includes(date)) continue;
    const first = date.slice(0, 7) !== prevMonth;
    prevMonth = date.slice(0, 7);
    const f = wk[w] * (first && days.length ? monthStart : 1);
    days.push({ date, values: shape.map((s) => poisson(r, 40 * s * f)) });
  }
  return { intervalMinutes: 15, days };
}

describe('accuracy and quantiles', () => {
  it('MAPE skips zero actuals; MAE and RMSE over all intervals', () => {
    const a = accuracy(
      [
        [10, 0],
        [20, 5],
      ],
      [
        [12, 3],
        [15, 5],
      ],
    );
    // |10−12|/10 = 0.2, |20−15|/20 = 0.25, 0 → mean 0.15 over the 3 nonzero actuals
    expect(a.mape).toBeCloseTo(0.15, 12);
    expect(a.mae).toBeCloseTo((2 + 3 + 5 + 0) / 4, 12);
    expect(a.rmse).toBeCloseTo(Math.sqrt((4 + 9 + 25) / 4), 12);
  });

  it('normal and Poisson / negative-binomial quantiles (tables)', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.1)).toBeCloseTo(-1.281552, 5);
    // Poisson(10): P(X ≤ 13) = 0.8645, P(X ≤ 14) = 0.9165 → 0.9-quantile 14; median 10
    expect(negBinomialQuantile(10, 0, 0.9)).toBe(14);
    expect(negBinomialQuantile(10, 0, 0.5)).toBe(10);
    // NB with r = 1 (φ = 1) is geometric on {0,1,…} with q = 1/(1+m): P(X ≤ k) = 1 − (m/(1+m))^{k+1}; m = 4 → 0.9-quantile: (0.8)^{k+1} ≤ 0.1 → k = 10
    expect(negBinomialQuantile(4, 1, 0.9)).toBe(10);
  });

  it('aggregates 5-minute intervals to 15 minutes', () => {
    const s = aggregateSeries({ intervalMinutes: 5, days: [{ date: '2024-01-01', values: [1, 2, 3, 4, 5, 6] }] }, 15);
    expect(s).toEqual({ intervalMinutes: 15, days: [{ date: '2024-01-01', values: [6, 15] }] });
    expect(() => aggregateSeries(s, 20)).toThrow();
  });
});

describe('models on synthetic data with known structure', () => {
  it('seasonal naive weekly is the same position 5 data days back', () => {
    const s = synthetic(4, 1, 1);
    const fc = forecastWith({ intervalMinutes: 15, days: s.days.slice(0, 10) }, [s.days[10].date, s.days[11].date], 'seasonal-naive-weekly');
    expect(fc).toEqual([s.days[5].values, s.days[6].values]);
  });

  it('learns a month-start peak (×1.4) and applies it; picks the special-day variant', () => {
    const s = synthetic(40, 1.4, 7);
    const hist = { intervalMinutes: 15, days: s.days.filter((d) => d.date < '2024-09-01') };
    const target = s.days.find((d) => d.date >= '2024-09-01')!; // 2024-09-02, the first weekday of September
    const fc = forecastSeries(hist, [target.date], { backtestBlocks: 30 });
    expect(fc.specialMultipliers['month-start']).toBeGreaterThan(1.3);
    expect(fc.specialMultipliers['month-start']).toBeLessThan(1.5);
    expect(fc.specialDays).toBe(true);
    const total = fc.mean[0].reduce((x, y) => x + y, 0);
    const expected = 40 * 1.2 * 1.4 * Array.from({ length: 20 }, (_, j) => 1 + Math.sin((Math.PI * j) / 19)).reduce((x, y) => x + y, 0);
    expect(Math.abs(total / expected - 1)).toBeLessThan(0.06);
  });

  it('prediction intervals cover about their nominal share of Poisson data', () => {
    const s = synthetic(30, 1, 3);
    const n = s.days.length;
    const r = evaluateHoldout(s, { holdoutDays: 10, holdoutEnd: s.days[n - 1].date, specialDays: false });
    expect(r.intervalCoverage).toBeGreaterThan(0.7);
    expect(r.intervalCoverage).toBeLessThan(0.92);
    // Poisson noise at means ~40–80: profile averages beat the seasonal naive
    expect(r.accuracy.mape).toBeLessThan(r.baselines.seasonalNaiveWeekly.mape);
  });

  it('given holidays with reduced volume: multiplier learned (≈0.5) and applied to a holiday target', () => {
    const holidays = ['2024-02-14', '2024-03-20', '2024-04-17', '2024-05-22'];
    const base = synthetic(22, 1, 11);
    const s: IntervalSeries = { ...base, days: base.days.map((d) => (holidays.includes(d.date) ? { date: d.date, values: d.values.map((x) => Math.round(x / 2)) } : d)) };
    const hist = { ...s, days: s.days.filter((d) => d.date < '2024-05-22') };
    const fc = forecastSeries(hist, ['2024-05-22'], { holidays, backtestBlocks: 4, candidates: ['weekday-average'] });
    expect(fc.specialMultipliers.holiday).toBeGreaterThan(0.42);
    expect(fc.specialMultipliers.holiday).toBeLessThan(0.58);
    const plain = forecastWith(hist, ['2024-05-22'], 'weekday-average', { holidays });
    // applied with special days on, the holiday forecast is the ordinary forecast × the learned multiplier
    const applied = forecastWith(hist, ['2024-05-22'], 'weekday-average', { holidays, specialDays: true });
    expect(applied[0].reduce((a, b) => a + b, 0) / plain[0].reduce((a, b) => a + b, 0)).toBeCloseTo(fc.specialMultipliers.holiday!, 9);
  });

  it('a weekday missing from the data is a closed holiday; the next open day is an after-holiday day', () => {
    // Wednesdays after the closures carry ×1.5
    const closed = ['2024-01-23', '2024-02-20', '2024-03-19'];
    const base = synthetic(14, 1, 5, closed);
    const after = ['2024-01-24', '2024-02-21', '2024-03-20'];
    const s: IntervalSeries = { ...base, days: base.days.map((d) => (after.includes(d.date) ? { date: d.date, values: d.values.map((x) => Math.round(x * 1.5)) } : d)) };
    const fc = forecastSeries(s, nextOpenDates(s, 1), { candidates: ['weekday-average'] });
    expect(fc.specialMultipliers['after-holiday']).toBeGreaterThan(1.4);
    expect(fc.specialMultipliers['after-holiday']).toBeLessThan(1.6);
  });

  it('rejects bad dates and unordered days', () => {
    const s = synthetic(2, 1, 1);
    expect(() => forecastSeries(s, ['2024-13-45x'])).toThrow(RangeError);
    expect(() => forecastSeries({ ...s, days: [s.days[1], s.days[0], ...s.days.slice(2)] }, ['2024-01-15'])).toThrow(RangeError);
  });

  it('next open dates skip closed weekdays and holidays', () => {
    const s = synthetic(1, 1, 1); // Mon 2024-01-01 … Fri 2024-01-05
    expect(nextOpenDates(s, 3, ['2024-01-09'])).toEqual(['2024-01-08', '2024-01-10', '2024-01-11']);
  });

  it('AHT forecast is the volume-weighted AHT', () => {
    const calls = synthetic(10, 1, 5);
    // AHT 200 s in the morning half, 300 s in the afternoon half, every day
    const aht: IntervalSeries = { intervalMinutes: 15, days: calls.days.map((d) => ({ date: d.date, values: d.values.map((_, j) => (j < 10 ? 200 : 300)) })) };
    const fc = forecastAht(calls, aht, ['2024-03-11'], { candidates: ['weekday-average'], specialDays: false });
    expect(fc.ahtSeconds[0][0]).toBeCloseTo(200, 6);
    expect(fc.ahtSeconds[0][19]).toBeCloseTo(300, 6);
  });
});

describe.skipIf(!haveBank)('bank_calls acceptance (Weinberg, Brown & Stroud 2007 data)', () => {
  it('weekly seasonal naive on the last week ≈ 15.5% (validates the MAPE definition); Kefu ≤ 12.2% there and better than the naive over the last 8 weeks (rolling origin)', () => {
    const s = readArrivals(bankFile!, 'bank-calls');
    expect(s.intervalMinutes).toBe(5);
    expect(s.days.length).toBe(164);
    expect(s.days[0].values.length).toBe(169);
    const kefu: number[] = [];
    let candidates: string[] = [];
    const naive: number[] = [];
    for (let k = 8; k >= 1; k--) {
      const end = s.days[s.days.length - 1 - 5 * (k - 1)].date;
      const r = evaluateHoldout(s, { holdoutDays: 5, holdoutEnd: end });
      kefu.push(r.accuracy.mape);
      candidates = r.forecast.candidates.map((c) => c.method);
      naive.push(r.baselines.seasonalNaiveWeekly.mape);
    }
    expect(naive[7]).toBeCloseTo(0.155, 3);
    expect(kefu.length).toBe(8);
    expect(kefu[7]).toBeLessThanOrEqual(0.122);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(kefu)).toBeLessThan(mean(naive));
    expect(candidates).toContain('double-seasonal-holt-winters');
    // No leakage: scrambling the held-out days and everything after them leaves the forecast unchanged.
    const end = s.days[s.days.length - 6].date;
    const base = evaluateHoldout(s, { holdoutDays: 5, holdoutEnd: end });
    const idx = s.days.findIndex((d) => d.date === end) - 4;
    const scrambled = { ...s, days: s.days.map((d, i) => (i >= idx ? { date: d.date, values: d.values.map((x) => x * 10 + 1) } : d)) };
    expect(evaluateHoldout(scrambled, { holdoutDays: 5, holdoutEnd: end }).forecast.mean).toEqual(base.forecast.mean);
  }, 120_000);
});
