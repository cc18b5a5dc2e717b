// Forecasting call volume (and AHT) per interval: seasonal-naive baselines, weekday profile models,
// an intraday × weekday multiplicative model with a smoothed daily level (the day-level equivalent of
// double-seasonal Holt–Winters), special days, selection by rolling-origin backtest, prediction intervals.
//
// Sources:
// - J. W. Taylor (2003), "Short-term electricity demand forecasting using double seasonal exponential
//   smoothing", Journal of the Operational Research Society 54(8):799–805 (intraday and intraweek
//   seasonal cycles with a smoothed level; here the intraweek cycle is a weekday factor on the daily
//   total and the intraday cycle a per-weekday profile, which is the multiplicative form of his model
//   aggregated to days).
// - J. W. Taylor (2008), "A comparison of univariate time series methods for forecasting intraday arrivals
//   at a call center", Management Science 54(2):253–265 (seasonal naive and averages of past weeks'
//   profiles are strong at horizons of days; combining methods helps).
// - Weinberg, Brown & Stroud (2007), JASA 102(480) (the bank data; arrivals ≈ Poisson given the daily
//   level and the intraday profile: counts = day total × profile share).
// - L. J. H. Tashman (2000), "Out-of-sample tests of forecasting accuracy: an analysis and review",
//   International Journal of Forecasting 16(4):437–450 (rolling-origin evaluation).
// - Negative-binomial prediction intervals: variance f + φ·f² with φ by the method of moments on the
//   backtest errors (Cameron & Trivedi 1998, "Regression Analysis of Count Data", §3.2).
//
// Accuracy: MAPE is the mean over intervals of |a − f| / a, skipping intervals whose actual is 0 (they
// have no percentage error); MAE and RMSE over all intervals.

/** One day of interval values (index 0 = the day's first interval). */
export type DaySeries = { date: string; values: number[] };
/** Days in date order, each with the same number of intervals. Missing weekdays count as closed days (holidays). */
export type IntervalSeries = { intervalMinutes: number; days: DaySeries[] };

export type ForecastMethod =
  | 'seasonal-naive-daily'
  | 'seasonal-naive-weekly'
  | 'weekday-average'
  | 'weekday-median'
  | 'level-profile'
  | 'holt-winters-daily'
  | 'double-seasonal-holt-winters'
  | 'combination';

export type SpecialDayKind = 'holiday' | 'after-holiday' | 'month-start' | 'month-end';

export type Accuracy = { mape: number; mae: number; rmse: number };

export type ForecastOptions = {
  /** Holidays (YYYY-MM-DD) that have data (e.g. a reduced day); weekdays missing from the data are treated as closed holidays anyway. */
  holidays?: readonly string[];
  /** Methods to choose among (default: all but the seasonal naives). */
  candidates?: readonly ForecastMethod[];
  /** Whether to also try each candidate with learned special-day multipliers (default true). */
  specialDays?: boolean;
  /** Rolling-origin blocks for selection (default 4). */
  backtestBlocks?: number;
  /** Central coverage of the prediction intervals (default 0.8). */
  coverage?: number;
};

export type CandidateScore = { method: ForecastMethod; specialDays: boolean; mape: number; mae: number; rmse: number };

export type Forecast = {
  method: ForecastMethod;
  specialDays: boolean;
  dates: string[];
  /** Forecast mean per target day and interval. */
  mean: number[][];
  lower: number[][];
  upper: number[][];
  coverage: number;
  /** Negative-binomial overdispersion φ (variance = f + φf²) from the backtest errors. */
  dispersion: number;
  /** Inner rolling-origin scores of every candidate (best first). */
  candidates: CandidateScore[];
  /** Special-day multipliers learned from the history (kinds seen at least twice). */
  specialMultipliers: Partial<Record<SpecialDayKind, number>>;
};

export const DEFAULT_CANDIDATES: readonly ForecastMethod[] = ['weekday-average', 'weekday-median', 'level-profile', 'holt-winters-daily', 'double-seasonal-holt-winters', 'combination'];

import { dshwFit, dshwForecast } from './dshw.ts';

// ---------------------------------------------------------------- calendar

const DAY_MS = 86_400_000;
const toDayNumber = (date: string): number => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
const fromDayNumber = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);
/** Weekday of a day number, 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday, 3). */
const weekdayOfNumber = (n: number): number => (((n + 3) % 7) + 7) % 7;
/** 0 = Monday … 6 = Sunday. */
export const weekdayOf = (date: string): number => weekdayOfNumber(toDayNumber(date));

type Day = { date: string; dayNumber: number; weekday: number; kinds: SpecialDayKind[] };

/** The days of the week the series has data on (e.g. 5 for weekdays only). */
function openWeekdays(dates: readonly string[]): Set<number> {
  return new Set(dates.map(weekdayOf));
}

/** Special-day kinds of a date given the open weekdays, the holiday set and the data's closed days. */
function kindsOf(dayNumber: number, open: Set<number>, closed: Set<number>): SpecialDayKind[] {
  const kinds: SpecialDayKind[] = [];
  if (closed.has(dayNumber)) kinds.push('holiday');
  // previous open weekday closed → after-holiday
  let p = dayNumber - 1;
  while (!open.has(weekdayOfNumber(p))) p--;
  if (closed.has(p)) kinds.push('after-holiday');
  // first / last open business day of the month
  const month = fromDayNumber(dayNumber).slice(0, 7);
  let q = dayNumber - 1;
  while (!open.has(weekdayOfNumber(q)) || closed.has(q)) q--;
  if (fromDayNumber(q).slice(0, 7) !== month) kinds.push('month-start');
  let r = dayNumber + 1;
  while (!open.has(weekdayOfNumber(r)) || closed.has(r)) r++;
  if (fromDayNumber(r).slice(0, 7) !== month) kinds.push('month-end');
  return kinds;
}

/** Calendar of the history and the targets: closed days = given holidays + open weekdays missing from the data. */
function buildCalendar(history: IntervalSeries, targetDates: readonly string[], holidays: readonly string[] | undefined) {
  const dates = history.days.map((d) => d.date);
  for (const d of [...dates, ...targetDates, ...(holidays ?? [])]) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || !Number.isFinite(toDayNumber(d))) throw new RangeError(`not a date (YYYY-MM-DD): ${d}`);
  }
  for (let i = 1; i < dates.length; i++) if (dates[i] <= dates[i - 1]) throw new RangeError(`days must be in increasing date order: ${dates[i - 1]}, ${dates[i]}`);
  const open = openWeekdays(dates.length ? dates : targetDates);
  const closed = new Set<number>((holidays ?? []).map(toDayNumber));
  const present = new Set(dates.map(toDayNumber));
  if (dates.length) {
    const first = toDayNumber(dates[0]);
    const last = toDayNumber(dates[dates.length - 1]);
    for (let n = first; n <= last; n++) if (open.has(weekdayOfNumber(n)) && !present.has(n)) closed.add(n);
  }
  const mk = (date: string): Day => {
    const dn = toDayNumber(date);
    return { date, dayNumber: dn, weekday: weekdayOfNumber(dn), kinds: kindsOf(dn, open, closed) };
  };
  return { days: dates.map(mk), targets: targetDates.map(mk), daysPerWeek: open.size };
}

// ---------------------------------------------------------------- history and methods

type History = {
  values: number[][];
  totals: number[];
  days: Day[];
  daysPerWeek: number;
  width: number;
};

function makeHistory(series: IntervalSeries, days: Day[], daysPerWeek: number): History {
  const width = series.days[0]?.values.length ?? 0;
  for (const d of series.days) if (d.values.length !== width) throw new RangeError(`day ${d.date} has ${d.values.length} intervals, expected ${width}`);
  const values = series.days.map((d) => d.values);
  return { values, totals: values.map((v) => v.reduce((s, x) => s + x, 0)), days, daysPerWeek, width };
}

const isSpecial = (d: Day) => d.kinds.length > 0;

/** Indices < o of the last k ordinary days with weekday w (falls back to any ordinary days, then any days). */
function lastSameWeekday(h: History, o: number, w: number, k: number): number[] {
  const out: number[] = [];
  for (let i = o - 1; i >= 0 && out.length < k; i--) if (h.days[i].weekday === w && !isSpecial(h.days[i])) out.push(i);
  if (out.length) return out;
  for (let i = o - 1; i >= 0 && out.length < k; i--) if (!isSpecial(h.days[i])) out.push(i);
  if (out.length) return out;
  for (let i = o - 1; i >= 0 && out.length < k; i--) out.push(i);
  return out;
}

function meanRows(rows: number[][], width: number): number[] {
  const m = new Array<number>(width).fill(0);
  for (const r of rows) for (let j = 0; j < width; j++) m[j] += r[j] / rows.length;
  return m;
}

function medianRows(rows: number[][], width: number): number[] {
  const m = new Array<number>(width);
  const col = new Array<number>(rows.length);
  for (let j = 0; j < width; j++) {
    for (let i = 0; i < rows.length; i++) col[i] = rows[i][j];
    col.sort((a, b) => a - b);
    const n = col.length;
    m[j] = n % 2 ? col[(n - 1) / 2] : (col[n / 2 - 1] + col[n / 2]) / 2;
  }
  return m;
}

/** Mean intraday share profile of the given days. */
function profileOf(h: History, idx: number[]): number[] {
  const rows = idx.filter((i) => h.totals[i] > 0).map((i) => h.values[i].map((x) => x / h.totals[i]));
  if (!rows.length) return new Array<number>(h.width).fill(1 / Math.max(1, h.width));
  return meanRows(rows, h.width);
}

type MethodFn = (h: History, o: number, targets: Day[]) => number[][];

const METHODS: Record<ForecastMethod, MethodFn> = {
  'seasonal-naive-daily': (h, o, targets) => targets.map(() => h.values[o - 1].slice()),
  // The same position one week of data days back (5 data days for a weekdays-only center), repeated beyond a week.
  'seasonal-naive-weekly': (h, o, targets) => targets.map((_, j) => h.values[Math.max(0, o - h.daysPerWeek + (j % h.daysPerWeek))].slice()),
  'weekday-average': (h, o, targets) => targets.map((t) => meanRows(lastSameWeekday(h, o, t.weekday, 6).map((i) => h.values[i]), h.width)),
  'weekday-median': (h, o, targets) => targets.map((t) => medianRows(lastSameWeekday(h, o, t.weekday, 5).map((i) => h.values[i]), h.width)),
  'level-profile': (h, o, targets) =>
    targets.map((t) => {
      const lvl = lastSameWeekday(h, o, t.weekday, 4).reduce((s, i, _, a) => s + h.totals[i] / a.length, 0);
      return profileOf(h, lastSameWeekday(h, o, t.weekday, 8)).map((p) => p * lvl);
    }),
  'holt-winters-daily': (h, o, targets) => {
    // Daily totals: multiplicative level + weekday seasonal (Holt–Winters without trend), ordinary days only.
    const alpha = 0.2;
    const gamma = 0.05;
    const ordinary: number[] = [];
    for (let i = 0; i < o; i++) if (!isSpecial(h.days[i]) && h.totals[i] > 0) ordinary.push(i);
    const init = ordinary.slice(0, 2 * h.daysPerWeek);
    let level = init.reduce((s, i) => s + h.totals[i], 0) / Math.max(1, init.length);
    const season = new Array<number>(7).fill(1);
    for (let w = 0; w < 7; w++) {
      const ix = init.filter((i) => h.days[i].weekday === w);
      if (ix.length && level > 0) season[w] = ix.reduce((s, i) => s + h.totals[i], 0) / ix.length / level;
    }
    for (const i of ordinary) {
      const w = h.days[i].weekday;
      const y = h.totals[i];
      const next = (alpha * y) / season[w] + (1 - alpha) * level;
      season[w] = (gamma * y) / next + (1 - gamma) * season[w];
      level = next;
    }
    return targets.map((t) => profileOf(h, lastSameWeekday(h, o, t.weekday, 8)).map((p) => p * level * season[t.weekday]));
  },
  'double-seasonal-holt-winters': (h, o, targets) => {
    const s1 = h.width;
    const s2 = s1 * h.daysPerWeek;
    const y = new Float64Array(o * s1);
    for (let i = 0; i < o; i++) y.set(h.values[i], i * s1);
    const fit = dshwFit(y, s1, s2, { horizonSteps: Math.min(s2, targets.length * s1) });
    const flat = dshwForecast(fit.state, s1, s2, fit.params.phi, targets.length * s1);
    return targets.map((_, j) => flat.slice(j * s1, (j + 1) * s1));
  },
  combination: (h, o, targets) => {
    const parts = (['weekday-average', 'weekday-median', 'level-profile'] as const).map((m) => METHODS[m](h, o, targets));
    return targets.map((_, j) => parts[0][j].map((_, k) => (parts[0][j][k] + parts[1][j][k] + parts[2][j][k]) / 3));
  },
};

/** Special-day multipliers learned from days < o: median of (day total / mean of the 4 previous ordinary same-weekday days). */
function learnSpecialMultipliers(h: History, o: number): Partial<Record<SpecialDayKind, number>> {
  const ratios: Partial<Record<SpecialDayKind, number[]>> = {};
  for (let i = 0; i < o; i++) {
    const d = h.days[i];
    if (!isSpecial(d)) continue;
    const ref: number[] = [];
    for (let j = i - 1; j >= 0 && ref.length < 4; j--) if (h.days[j].weekday === d.weekday && !isSpecial(h.days[j])) ref.push(h.totals[j]);
    if (ref.length < 2) continue;
    const base = ref.reduce((s, x) => s + x, 0) / ref.length;
    if (!(base > 0)) continue;
    // Attribute the day's ratio to each of its kinds (a day that is both counts for both).
    for (const k of d.kinds) (ratios[k] ??= []).push(h.totals[i] / base);
  }
  const out: Partial<Record<SpecialDayKind, number>> = {};
  for (const [k, rs] of Object.entries(ratios) as [SpecialDayKind, number[]][]) {
    if (rs.length < 2) continue;
    const s = rs.slice().sort((a, b) => a - b);
    out[k] = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
  return out;
}

function applySpecial(fc: number[][], targets: Day[], mult: Partial<Record<SpecialDayKind, number>>): number[][] {
  return fc.map((row, j) => {
    const kinds = targets[j].kinds;
    // Several kinds on one day: the strongest effect (the ratios were attributed to each kind).
    let f = 1;
    for (const k of kinds) {
      const m = mult[k];
      if (m != null && Math.abs(m - 1) > Math.abs(f - 1)) f = m;
    }
    return f === 1 ? row : row.map((x) => x * f);
  });
}

function runMethod(h: History, o: number, targets: Day[], method: ForecastMethod, special: boolean): number[][] {
  if (o < 1) throw new RangeError('no history before the forecast origin');
  const fc = METHODS[method](h, o, targets);
  return special ? applySpecial(fc, targets, learnSpecialMultipliers(h, o)) : fc;
}

// ---------------------------------------------------------------- accuracy and intervals

/** MAPE (skipping zero actuals), MAE and RMSE over all intervals of the given days. */
export function accuracy(actual: readonly (readonly number[])[], forecast: readonly (readonly number[])[]): Accuracy {
  let ape = 0;
  let nApe = 0;
  let ae = 0;
  let se = 0;
  let n = 0;
  for (let i = 0; i < actual.length; i++) {
    for (let j = 0; j < actual[i].length; j++) {
      const a = actual[i][j];
      const e = a - forecast[i][j];
      if (a !== 0) {
        ape += Math.abs(e) / Math.abs(a);
        nApe++;
      }
      ae += Math.abs(e);
      se += e * e;
      n++;
    }
  }
  return { mape: nApe ? ape / nApe : Number.NaN, mae: n ? ae / n : Number.NaN, rmse: n ? Math.sqrt(se / n) : Number.NaN };
}

/** Standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - pl) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** Quantile of a negative binomial with mean m and variance m + φm² (Poisson when φ = 0); exact by the pmf recursion, normal beyond. */
export function negBinomialQuantile(mean: number, phi: number, p: number): number {
  if (!(mean > 0)) return 0;
  const variance = mean + phi * mean * mean;
  let logP0: number;
  let ratio: (k: number) => number;
  if (phi > 0) {
    const r = 1 / phi;
    const q = r / (r + mean);
    logP0 = r * Math.log(q);
    ratio = (k) => ((k - 1 + r) / k) * (1 - q);
  } else {
    logP0 = -mean;
    ratio = (k) => mean / k;
  }
  if (logP0 < -700) return Math.max(0, Math.round(mean + normalQuantile(p) * Math.sqrt(variance)));
  let pk = Math.exp(logP0);
  let cdf = pk;
  let k = 0;
  const cap = mean + 50 * Math.sqrt(variance) + 50;
  while (cdf < p && k < cap) {
    k++;
    pk *= ratio(k);
    cdf += pk;
  }
  return k;
}

/** Method-of-moments overdispersion: Σ((a−f)² − f) / Σf², floored at 0. */
function dispersionOf(pairs: Pair[]): number {
  let num = 0;
  let den = 0;
  for (const { a, f } of pairs) {
    num += (a - f) ** 2 - f;
    den += f * f;
  }
  return den > 0 ? Math.max(0, num / den) : 0;
}

// ---------------------------------------------------------------- selection and public API

function sumAll(rows: number[][]): number {
  return rows.reduce((s, r) => s + r.reduce((t, x) => t + x, 0), 0);
}

type Pair = { a: number; f: number };

/**
 * Rolling-origin backtest inside the history: blocks of `blockDays` days ending at `o`, each forecast only
 * from the days before it, for every candidate with and without special days (the base forecast is computed
 * once per block and candidate). Returns accuracy averaged over blocks and the (actual, forecast) pairs.
 */
function innerBacktest(h: History, o: number, methods: readonly ForecastMethod[], specials: boolean[], blocks: number, blockDays: number) {
  const minHistory = 2 * h.daysPerWeek;
  const acc = new Map<string, { method: ForecastMethod; specialDays: boolean; scores: Accuracy[]; pairs: Pair[] }>();
  for (const m of methods) {
    for (const sp of specials) if (!(sp && m.startsWith('seasonal-naive'))) acc.set(`${m}|${sp}`, { method: m, specialDays: sp, scores: [], pairs: [] });
  }
  for (let b = 1; b <= blocks; b++) {
    const start = o - b * blockDays;
    if (start < minHistory) break;
    const idx = Array.from({ length: blockDays }, (_, j) => start + j);
    const targets = idx.map((i) => h.days[i]);
    const act = idx.map((i) => h.values[i]);
    const mult = specials.includes(true) ? learnSpecialMultipliers(h, start) : {};
    for (const m of methods) {
      const base = METHODS[m](h, start, targets);
      for (const sp of specials) {
        const slot = acc.get(`${m}|${sp}`);
        if (!slot) continue;
        const fc = sp ? applySpecial(base, targets, mult) : base;
        slot.scores.push(accuracy(act, fc));
        for (let j = 0; j < act.length; j++) for (let k = 0; k < act[j].length; k++) slot.pairs.push({ a: act[j][k], f: fc[j][k] });
      }
    }
  }
  return [...acc.values()].map((c) => {
    const avg = (key: keyof Accuracy) => c.scores.reduce((s, x) => s + x[key], 0) / Math.max(1, c.scores.length);
    const n = c.scores.length;
    return { method: c.method, specialDays: c.specialDays, mape: n ? avg('mape') : Number.POSITIVE_INFINITY, mae: avg('mae'), rmse: avg('rmse'), pairs: c.pairs };
  });
}

/**
 * Forecasts the target dates (after the history) choosing the method by rolling-origin backtest on the
 * history, with negative-binomial prediction intervals calibrated on the backtest errors.
 */
export function forecastSeries(history: IntervalSeries, targetDates: readonly string[], options: ForecastOptions = {}): Forecast {
  if (!history.days.length) throw new RangeError('empty history');
  const cal = buildCalendar(history, targetDates, options.holidays);
  const h = makeHistory(history, cal.days, cal.daysPerWeek);
  const o = h.days.length;
  const blockDays = Math.max(1, Math.min(targetDates.length || 1, 2 * h.daysPerWeek));
  const blocks = options.backtestBlocks ?? 4;
  const candidates = options.candidates ?? DEFAULT_CANDIDATES;
  const specials = options.specialDays === false ? [false] : [false, true];
  const scored = innerBacktest(h, o, candidates, specials, blocks, blockDays);
  // Stable sort: ties keep the simpler (earlier) candidate.
  scored.sort((a, b) => a.mape - b.mape);
  const best = scored[0];
  const mean = targetDates.length ? runMethod(h, o, cal.targets, best.method, best.specialDays) : [];
  const coverage = options.coverage ?? 0.8;
  const phi = dispersionOf(best.pairs);
  const lo = (1 - coverage) / 2;
  const hi = 1 - lo;
  return {
    method: best.method,
    specialDays: best.specialDays,
    dates: [...targetDates],
    mean,
    lower: mean.map((r) => r.map((f) => negBinomialQuantile(f, phi, lo))),
    upper: mean.map((r) => r.map((f) => negBinomialQuantile(f, phi, hi))),
    coverage,
    dispersion: phi,
    candidates: scored.map(({ pairs: _pairs, ...c }) => c),
    specialMultipliers: learnSpecialMultipliers(h, o),
  };
}

/** The next `count` open dates after the history's last day (open weekdays of the data, skipping closed/holiday dates). */
export function nextOpenDates(history: IntervalSeries, count: number, holidays: readonly string[] = []): string[] {
  if (!history.days.length) throw new RangeError('empty history');
  const open = openWeekdays(history.days.map((d) => d.date));
  const skip = new Set(holidays);
  const out: string[] = [];
  let n = toDayNumber(history.days[history.days.length - 1].date);
  while (out.length < count) {
    n++;
    const date = fromDayNumber(n);
    if (open.has(weekdayOfNumber(n)) && !skip.has(date)) out.push(date);
  }
  return out;
}

/** One fixed method (no selection), e.g. a baseline. */
export function forecastWith(history: IntervalSeries, targetDates: readonly string[], method: ForecastMethod, options: { holidays?: readonly string[]; specialDays?: boolean } = {}): number[][] {
  const cal = buildCalendar(history, targetDates, options.holidays);
  const h = makeHistory(history, cal.days, cal.daysPerWeek);
  return runMethod(h, h.days.length, cal.targets, method, options.specialDays ?? false);
}

/** Sums consecutive intervals into longer ones (5 → 15/30/60 minutes); the day's width must divide evenly. */
export function aggregateSeries(series: IntervalSeries, intervalMinutes: number): IntervalSeries {
  const k = intervalMinutes / series.intervalMinutes;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`${intervalMinutes} is not a multiple of ${series.intervalMinutes}`);
  if (k === 1) return series;
  return {
    intervalMinutes,
    days: series.days.map((d) => {
      const out: number[] = [];
      for (let j = 0; j < d.values.length; j += k) {
        let s = 0;
        for (let t = j; t < Math.min(d.values.length, j + k); t++) s += d.values[t];
        out.push(s);
      }
      return { date: d.date, values: out };
    }),
  };
}

export type HoldoutEvaluation = {
  method: ForecastMethod;
  specialDays: boolean;
  intervalMinutes: number;
  holdoutDates: string[];
  accuracy: Accuracy;
  baselines: { seasonalNaiveWeekly: Accuracy; seasonalNaiveDaily: Accuracy };
  /** Fraction of held-out actuals inside the prediction interval. */
  intervalCoverage: number;
  forecast: Forecast;
};

/**
 * Holds out `holdoutDays` data days ending at `holdoutEnd` (inclusive; default the last day), forecasts them
 * from the days before only, and scores the forecast and the seasonal-naive baselines.
 */
export function evaluateHoldout(series: IntervalSeries, opts: { holdoutDays?: number; holdoutEnd?: string } & ForecastOptions = {}): HoldoutEvaluation {
  const D = opts.holdoutDays ?? 5;
  const endIdx = opts.holdoutEnd ? series.days.findIndex((d) => d.date === opts.holdoutEnd) : series.days.length - 1;
  if (endIdx < 0) throw new RangeError(`${opts.holdoutEnd} is not a day in the data`);
  const start = endIdx + 1 - D;
  if (D < 1 || start < 1) throw new RangeError('not enough history before the held-out days');
  const history: IntervalSeries = { intervalMinutes: series.intervalMinutes, days: series.days.slice(0, start) };
  const held = series.days.slice(start, endIdx + 1);
  const dates = held.map((d) => d.date);
  const actual = held.map((d) => d.values);
  const fc = forecastSeries(history, dates, opts);
  let inside = 0;
  let n = 0;
  for (let i = 0; i < actual.length; i++) {
    for (let j = 0; j < actual[i].length; j++) {
      n++;
      if (actual[i][j] >= fc.lower[i][j] && actual[i][j] <= fc.upper[i][j]) inside++;
    }
  }
  return {
    method: fc.method,
    specialDays: fc.specialDays,
    intervalMinutes: series.intervalMinutes,
    holdoutDates: dates,
    accuracy: accuracy(actual, fc.mean),
    baselines: {
      seasonalNaiveWeekly: accuracy(actual, forecastWith(history, dates, 'seasonal-naive-weekly', opts)),
      seasonalNaiveDaily: accuracy(actual, forecastWith(history, dates, 'seasonal-naive-daily', opts)),
    },
    intervalCoverage: n ? inside / n : Number.NaN,
    forecast: fc,
  };
}

export type AhtForecast = { method: ForecastMethod; specialDays: boolean; dates: string[]; calls: number[][]; ahtSeconds: number[][] };

/**
 * AHT per interval: the volume-weighted forecast, i.e. forecast workload (calls × AHT) over forecast calls,
 * both by the method selected on calls; where the call forecast is ~0, the history's volume-weighted AHT
 * for that interval of the day (else overall).
 */
export function forecastAht(calls: IntervalSeries, ahtSeconds: IntervalSeries, targetDates: readonly string[], options: ForecastOptions = {}): AhtForecast {
  if (calls.days.length !== ahtSeconds.days.length) throw new RangeError('calls and AHT histories must cover the same days');
  const workload: IntervalSeries = {
    intervalMinutes: calls.intervalMinutes,
    days: calls.days.map((d, i) => {
      if (ahtSeconds.days[i].date !== d.date) throw new RangeError(`AHT day ${ahtSeconds.days[i].date} ≠ calls day ${d.date}`);
      return { date: d.date, values: d.values.map((c, j) => c * (ahtSeconds.days[i].values[j] ?? 0)) };
    }),
  };
  const fc = forecastSeries(calls, targetDates, options);
  const wl = forecastWith(workload, targetDates, fc.method, { holidays: options.holidays, specialDays: fc.specialDays });
  const width = calls.days[0]?.values.length ?? 0;
  const slotCalls = new Array<number>(width).fill(0);
  const slotWork = new Array<number>(width).fill(0);
  for (let i = 0; i < calls.days.length; i++) {
    for (let j = 0; j < width; j++) {
      slotCalls[j] += calls.days[i].values[j];
      slotWork[j] += workload.days[i].values[j];
    }
  }
  const totalCalls = slotCalls.reduce((s, x) => s + x, 0);
  const overall = totalCalls > 0 ? sumAll([slotWork]) / totalCalls : 0;
  const aht = fc.mean.map((row, i) =>
    row.map((c, j) => (c > 1e-6 ? wl[i][j] / c : slotCalls[j] > 0 ? slotWork[j] / slotCalls[j] : overall)),
  );
  return { method: fc.method, specialDays: fc.specialDays, dates: [...targetDates], calls: fc.mean, ahtSeconds: aht };
}
