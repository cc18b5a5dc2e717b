// Double-seasonal Holt–Winters, multiplicative, no trend, with an AR(1) adjustment of the one-step error
// (J. W. Taylor 2003, "Short-term electricity demand forecasting using double seasonal exponential
// smoothing", JORS 54(8):799–805, eqs. (5)–(9) without the trend term):
//   L_t = α·y_t/(D_{t−s1}·W_{t−s2}) + (1−α)·L_{t−1}
//   D_t = δ·y_t/(L_t·W_{t−s2}) + (1−δ)·D_{t−s1}          (intraday cycle, s1 intervals)
//   W_t = ω·y_t/(L_t·D_{t−s1}) + (1−ω)·W_{t−s2}          (intraweek cycle, s2 intervals)
//   ŷ_t(k) = L_t·D_{t−s1+k}·W_{t−s2+k} + φ^k·e_t,   e_t = y_t − L_{t−1}·D_{t−s1}·W_{t−s2}
// The series is the data days laid end to end (s1 = intervals per day, s2 = s1 × data days per week), as
// the seasonal-naive and TBATS references treat the bank data. Parameters minimise, by Nelder–Mead on the
// logit scale, the in-sample sum of squared errors (after the first week) of either one-step forecasts
// (Taylor's criterion) or, for planning horizons, forecasts made at the start of every block of H steps
// (H ≤ s2) for the whole block: ŷ_t = L_o·D_o[t mod s1]·W_{t−s2}, with L_o, D_o the level and intraday
// factors at the block's origin o (W_{t−s2} is still the latest weekly factor for t < o + s2). One-step
// fitting makes the level chase intraday noise (α ≈ 0.23 on the bank data), which a week ahead is costly;
// the horizon criterion matches the use. φ is 0 under the horizon criterion (φ^k vanishes at those k).

export type DshwParams = { alpha: number; delta: number; omega: number; phi: number };

export type DshwState = { level: number; day: Float64Array; week: Float64Array; lastError: number; t: number };

const EPS = 1e-9;

/** Initial state from the first two weeks: level = mean, intraday factors = mean share × s1, weekly = residual ratio. */
export function dshwInit(y: ArrayLike<number>, s1: number, s2: number): DshwState {
  const n = Math.min(y.length, 2 * s2);
  if (n < s2) throw new RangeError('double-seasonal Holt–Winters needs at least one week of data');
  let level = 0;
  for (let t = 0; t < n; t++) level += y[t] / n;
  level = Math.max(level, EPS);
  const day = new Float64Array(s1);
  const days = Math.floor(n / s1);
  for (let d = 0; d < days; d++) {
    let m = 0;
    for (let i = 0; i < s1; i++) m += y[d * s1 + i] / s1;
    for (let i = 0; i < s1; i++) day[i] += (m > 0 ? y[d * s1 + i] / m : 1) / days;
  }
  for (let i = 0; i < s1; i++) day[i] = Math.max(day[i], EPS);
  const week = new Float64Array(s2);
  const weeks = Math.floor(n / s2);
  for (let w = 0; w < weeks; w++) for (let p = 0; p < s2; p++) week[p] += y[w * s2 + p] / (level * day[p % s1]) / weeks;
  for (let p = 0; p < s2; p++) week[p] = Math.max(week[p], EPS);
  return { level, day, week, lastError: 0, t: 0 };
}

/** Runs the recursions over y from the initial state; returns the final state and the one-step SSE after the first week. */
export function dshwRun(
  y: ArrayLike<number>,
  s1: number,
  s2: number,
  p: DshwParams,
  init: DshwState,
  horizonSteps?: number,
): { state: DshwState; sse: number } {
  const day = Float64Array.from(init.day);
  const week = Float64Array.from(init.week);
  let level = init.level;
  let lastError = 0;
  let sse = 0;
  const { alpha, delta, omega, phi } = p;
  const H = horizonSteps && horizonSteps > 1 ? Math.min(horizonSteps, s2) : 0;
  const dayAtOrigin = new Float64Array(H ? s1 : 0);
  let levelAtOrigin = level;
  for (let t = 0; t < y.length; t++) {
    const i = t % s1;
    const q = t % s2;
    const d = day[i];
    const w = week[q];
    const base = level * d * w;
    const e = y[t] - base;
    if (H) {
      if (t % H === 0) {
        levelAtOrigin = level;
        dayAtOrigin.set(day);
      }
      if (t >= s2) {
        const r = y[t] - levelAtOrigin * dayAtOrigin[i] * w;
        sse += r * r;
      }
    } else if (t >= s2) {
      const r = e - phi * lastError;
      sse += r * r;
    }
    lastError = e;
    const yt = Math.max(y[t], EPS);
    const newLevel = Math.max(EPS, (alpha * yt) / (d * w) + (1 - alpha) * level);
    day[i] = Math.max(EPS, (delta * yt) / (newLevel * w) + (1 - delta) * d);
    week[q] = Math.max(EPS, (omega * yt) / (newLevel * d) + (1 - omega) * w);
    level = newLevel;
  }
  return { state: { level, day, week, lastError, t: y.length }, sse };
}

/** Forecasts k = 1…h steps after the state. */
export function dshwForecast(state: DshwState, s1: number, s2: number, phi: number, h: number): number[] {
  const out: number[] = new Array<number>(h);
  let ar = state.lastError;
  for (let k = 1; k <= h; k++) {
    const t = state.t + k - 1; // index of the forecast step in the series
    ar *= phi;
    out[k - 1] = Math.max(0, state.level * state.day[t % s1] * state.week[t % s2] + ar);
  }
  return out;
}

const logistic = (x: number) => 1 / (1 + Math.exp(-x));

/** Nelder–Mead minimisation (standard coefficients 1, 2, 0.5, 0.5). */
export function nelderMead(f: (x: number[]) => number, x0: number[], step = 1, maxEval = 400, tol = 1e-10): { x: number[]; fx: number } {
  const n = x0.length;
  let simplex = [x0.slice(), ...x0.map((_, j) => x0.map((v, k) => (k === j ? v + step : v)))];
  let values = simplex.map(f);
  let evals = n + 1;
  while (evals < maxEval) {
    const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
    simplex = order.map(([, i]) => simplex[i]);
    values = order.map(([v]) => v);
    if (Math.abs(values[n] - values[0]) <= tol * (Math.abs(values[0]) + tol)) break;
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) centroid[k] += simplex[i][k] / n;
    const at = (c: number) => centroid.map((v, k) => v + c * (simplex[n][k] - v));
    const xr = at(-1);
    const fr = f(xr);
    evals++;
    if (fr < values[0]) {
      const xe = at(-2);
      const fe = f(xe);
      evals++;
      if (fe < fr) [simplex[n], values[n]] = [xe, fe];
      else [simplex[n], values[n]] = [xr, fr];
    } else if (fr < values[n - 1]) {
      [simplex[n], values[n]] = [xr, fr];
    } else {
      const xc = fr < values[n] ? at(-0.5) : at(0.5);
      const fc = f(xc);
      evals++;
      if (fc < Math.min(fr, values[n])) [simplex[n], values[n]] = [xc, fc];
      else {
        for (let i = 1; i <= n; i++) {
          simplex[i] = simplex[i].map((v, k) => simplex[0][k] + 0.5 * (v - simplex[0][k]));
          values[i] = f(simplex[i]);
          evals++;
        }
      }
    }
  }
  const best = values.indexOf(Math.min(...values));
  return { x: simplex[best], fx: values[best] };
}

/** Fits α, δ, ω, φ by minimising the one-step SSE; returns the parameters and the state at the end of y. */
export function dshwFit(
  y: ArrayLike<number>,
  s1: number,
  s2: number,
  opts: { horizonSteps?: number; maxEval?: number } = {},
): { params: DshwParams; state: DshwState; sse: number } {
  const init = dshwInit(y, s1, s2);
  const H = opts.horizonSteps;
  const maxEval = opts.maxEval ?? 200;
  const horizon = !!H && H > 1;
  const toParams = (x: number[]): DshwParams => ({ alpha: logistic(x[0]), delta: logistic(x[1]), omega: logistic(x[2]), phi: horizon ? 0 : logistic(x[3]) });
  const objective = (x: number[]) => dshwRun(y, s1, s2, toParams(x), init, H).sse;
  // start: α 0.05, δ 0.1, ω 0.1 (, φ 0.5)
  const start = horizon ? [-2.9, -2.2, -2.2] : [-2.9, -2.2, -2.2, 0];
  const { x } = nelderMead(objective, start, 1, maxEval);
  const params = toParams(x);
  const { state, sse } = dshwRun(y, s1, s2, params, init, H);
  return { params, state, sse };
}
