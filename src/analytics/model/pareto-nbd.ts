// Pareto/NBD model of repeat buying in continuous time.
// Source: Schmittlein, Morrison & Colombo (1987), "Counting Your Customers: Who Are They and What Will They Do Next?",
// Management Science 33(1):1–24; likelihood as derived in Fader & Hardie (2005), "A Note on Deriving the Pareto/NBD
// Model and Related Expressions" (http://brucehardie.com/notes/009/), eqs. (16)–(19), (22) (P(alive)), (25)
// (conditional expectation):
//   L = Γ(r+x)α^r β^s/Γ(r) · { 1/((α+T)^(r+x)(β+T)^s) + s/(r+s+x) · A0 }
//   α ≥ β: A0 = 2F1(r+s+x, s+1; r+s+x+1; (α−β)/(α+tx))/(α+tx)^(r+s+x) − 2F1(…; (α−β)/(α+T))/(α+T)^(r+s+x)
//   α < β: A0 = 2F1(r+s+x, r+x; r+s+x+1; (β−α)/(β+tx))/(β+tx)^(r+s+x) − 2F1(…; (β−α)/(β+T))/(β+T)^(r+s+x)
// Computed in log space; the difference in A0 with a stable log(e^u − e^v); 2F1 once per distinct (x, tx) and (x, T).
import { hyp2f1 } from './hyp2f1.ts';
import { minimize } from './optimize.ts';
import { prepareRepeat, requirePositive, checkRow, screeningSample, type PreparedRepeat } from './prepare.ts';
import { lgamma, logAddExp, logSubExp } from './special.ts';
import { ModelFitError, finiteOrThrow, type FitOptions, type ModelFit, type RepeatSummary } from './types.ts';

export interface ParetoNbdParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

function check(p: ParetoNbdParams): void {
  requirePositive('Pareto/NBD', { r: p.r, alpha: p.alpha, s: p.s, beta: p.beta });
}

interface Pairs {
  /** row → index of its (x, tx) pair and of its (x, T) pair */
  rowTx: Int32Array;
  rowT: Int32Array;
  /** pair → x index, time value */
  txX: Int32Array;
  txV: Float64Array;
  TX: Int32Array;
  TV: Float64Array;
}

function preparePairs(d: PreparedRepeat): Pairs {
  const mk = (timeIdx: Int32Array, timeVals: Float64Array, nTime: number) => {
    const map = new Map<number, number>();
    const xs: number[] = [];
    const vs: number[] = [];
    const row = new Int32Array(d.rows);
    for (let i = 0; i < d.rows; i++) {
      const key = d.xi[i] * nTime + timeIdx[i];
      let k = map.get(key);
      if (k === undefined) {
        k = xs.length;
        map.set(key, k);
        xs.push(d.xi[i]);
        vs.push(timeVals[timeIdx[i]]);
      }
      row[i] = k;
    }
    return { row, xs: Int32Array.from(xs), vs: Float64Array.from(vs) };
  };
  const a = mk(d.txi, d.utx, d.utx.length);
  const b = mk(d.Ti, d.uT, d.uT.length);
  return { rowTx: a.row, rowT: b.row, txX: a.xs, txV: a.vs, TX: b.xs, TV: b.vs };
}

/** ln of the two A0 terms for one pair: ln 2F1(·; z) − (r+s+x) ln(m + t). */
function logA0Term(p: ParetoNbdParams, x: number, t: number): number {
  const { r, alpha, s, beta } = p;
  const k = r + s + x;
  if (alpha >= beta) {
    const m = alpha + t;
    return Math.log(hyp2f1(k, s + 1, k + 1, (alpha - beta) / m)) - k * Math.log(m);
  }
  const m = beta + t;
  return Math.log(hyp2f1(k, r + x, k + 1, (beta - alpha) / m)) - k * Math.log(m);
}

/** ln of the "alive" term Γ(r+x)α^r β^s/Γ(r) / ((α+T)^(r+x)(β+T)^s) and ln L for one customer. */
function logParts(p: ParetoNbdParams, c: RepeatSummary): { alive: number; total: number } {
  const { r, alpha, s, beta } = p;
  const x = c.x;
  const tx = x > 0 ? c.tx : 0;
  const head = lgamma(r + x) - lgamma(r) + r * Math.log(alpha) + s * Math.log(beta);
  const alive = head - (r + x) * Math.log(alpha + c.T) - s * Math.log(beta + c.T);
  const a0 = logSubExp(logA0Term(p, x, tx), logA0Term(p, x, c.T));
  const total = logAddExp(alive, head + Math.log(s / (r + s + x)) + a0);
  return { alive, total };
}

export interface ParetoScratch {
  pairs: Pairs;
  head: Float64Array;
  lsk: Float64Array;
  sk: Float64Array;
  lTx: Float64Array;
  lT: Float64Array;
  laT: Float64Array;
  lbT: Float64Array;
}

export function makeScratch(d: PreparedRepeat): ParetoScratch {
  const pairs = preparePairs(d);
  return {
    pairs,
    head: new Float64Array(d.ux.length),
    lsk: new Float64Array(d.ux.length),
    sk: new Float64Array(d.ux.length),
    lTx: new Float64Array(pairs.txX.length),
    lT: new Float64Array(pairs.TX.length),
    laT: new Float64Array(d.uT.length),
    lbT: new Float64Array(d.uT.length),
  };
}

/** Σ count · ln L over prepared data (no validation). */
export function paretoNbdPreparedLogLikelihood(p: ParetoNbdParams, d: PreparedRepeat, sc: ParetoScratch = makeScratch(d)): number {
  const { r, alpha, s, beta } = p;
  const { pairs, head, lsk, sk, lTx, lT, laT, lbT } = sc;
  const base = -lgamma(r) + r * Math.log(alpha) + s * Math.log(beta);
  for (let k = 0; k < d.ux.length; k++) {
    const x = d.ux[k];
    head[k] = base + lgamma(r + x);
    sk[k] = s / (r + s + x);
    lsk[k] = Math.log(sk[k]);
  }
  for (let k = 0; k < d.uT.length; k++) {
    laT[k] = Math.log(alpha + d.uT[k]);
    lbT[k] = Math.log(beta + d.uT[k]);
  }
  for (let k = 0; k < pairs.txX.length; k++) lTx[k] = logA0Term(p, d.ux[pairs.txX[k]], pairs.txV[k]);
  for (let k = 0; k < pairs.TX.length; k++) lT[k] = logA0Term(p, d.ux[pairs.TX[k]], pairs.TV[k]);
  const { w, xi, Ti, ux } = d;
  const { rowTx, rowT } = pairs;
  let ll = 0;
  for (let i = 0; i < d.rows; i++) {
    const k = xi[i];
    const ti = Ti[i];
    const alive = -(r + ux[k]) * laT[ti] - s * lbT[ti];
    const u = lTx[rowTx[i]];
    const v = lT[rowT[i]];
    let li: number;
    if (v >= u) li = alive;
    else if (u - alive < 30) {
      // ln(e^alive + s/k·(e^u − e^v)) with one log1p and two exps; e^(u−alive) is moderate here, and where
      // e^u ≈ e^v (tx ≈ T) it is O(1), so the difference loses no more than ~1e-16 absolute
      li = alive + Math.log1p(sk[k] * (Math.exp(u - alive) - Math.exp(v - alive)));
    } else {
      const d0 = v - u;
      const a0 = u + (d0 > -Math.LN2 ? Math.log(-Math.expm1(d0)) : Math.log1p(-Math.exp(d0)));
      const q = lsk[k] + a0;
      li = alive > q ? alive + Math.log1p(Math.exp(q - alive)) : q + Math.log1p(Math.exp(alive - q));
    }
    ll += w[i] * (head[k] + li);
  }
  return ll;
}

/** Log-likelihood Σ count · ln L(r, α, s, β | x, tx, T). */
export function paretoNbdLogLikelihood(p: ParetoNbdParams, data: readonly RepeatSummary[]): number {
  check(p);
  return finiteOrThrow(paretoNbdPreparedLogLikelihood(p, prepareRepeat(data)), 'Pareto/NBD log-likelihood');
}

/** Maximum-likelihood fit (Nelder–Mead on log-parameters, several starts, restarts). */
export function fitParetoNbd(data: readonly RepeatSummary[], opts: FitOptions = {}): ModelFit<ParetoNbdParams> {
  const d = prepareRepeat(data);
  if (d.repeatBuyers <= 0) throw new ModelFitError('no_repeat_buyers', 'Pareto/NBD: no customer made a repeat purchase');
  if (d.sumT <= 0) throw new ModelFitError('invalid_input', 'Pareto/NBD: every customer has T = 0');
  const W = d.customers;
  const objective = (data: PreparedRepeat) => {
    const sc = makeScratch(data);
    return (t: readonly number[]): number => {
      for (const v of t) if (v > 30 || v < -30) return Infinity;
      const ll = paretoNbdPreparedLogLikelihood({ r: Math.exp(t[0]), alpha: Math.exp(t[1]), s: Math.exp(t[2]), beta: Math.exp(t[3]) }, data, sc);
      return -ll / W;
    };
  };
  const f = objective(d);
  const sub = screeningSample(d);
  const screen = sub ? objective(sub) : undefined;
  const rate = Math.max(d.sumX / d.sumT, 1e-6);
  const alpha0 = 1 / rate;
  const beta0 = Math.max(d.sumT / W, 1e-3);
  const natural: number[][] = [
    ...(opts.starts ?? []),
    [0.8, 0.8 * alpha0, 0.7, beta0],
    [0.3, 0.3 * alpha0, 0.4, 0.3 * beta0],
    [3, 3 * alpha0, 2.5, 3 * beta0],
  ];
  const starts = natural.map((s) => s.map((v) => Math.log(v)));
  const res = minimize(f, starts, { screen, step: 0.5, ftolAbs: 1e-11, ftolRel: 1e-12, xtol: 1e-5, maxIterations: opts.maxIterations });
  if (!Number.isFinite(res.fx)) throw new ModelFitError('did_not_converge', 'Pareto/NBD: the likelihood is not finite at any tried point');
  const params: ParetoNbdParams = { r: Math.exp(res.x[0]), alpha: Math.exp(res.x[1]), s: Math.exp(res.x[2]), beta: Math.exp(res.x[3]) };
  if (!res.converged && opts.requireConvergence !== false) {
    throw new ModelFitError('did_not_converge', `Pareto/NBD: no convergence after ${res.iterations} iterations`);
  }
  return { params, logLikelihood: -res.fx * W, converged: res.converged, iterations: res.iterations, starts: res.starts };
}

/** P(alive | x, tx, T) = alive term / L (Fader & Hardie 2005 note, eq. 22). */
export function paretoNbdPAlive(p: ParetoNbdParams, c: RepeatSummary): number {
  check(p);
  checkRow(c, 'customer');
  const { alive, total } = logParts(p, c);
  return finiteOrThrow(Math.min(1, Math.exp(alive - total)), 'Pareto/NBD P(alive)');
}

/** (1 − (u/(u+t))^(s−1)) / (s−1), with its limit ln(1 + t/u) at s = 1. */
function powerDiff(s: number, u: number, t: number): number {
  const L = Math.log1p(t / u);
  const e = s - 1;
  if (Math.abs(e) < 1e-10) return L;
  return -Math.expm1(-e * L) / e;
}

/** E[Y(t) | x, tx, T] (Schmittlein et al. 1987 eq. 22; Fader & Hardie 2005 note eq. 25). */
export function paretoNbdConditionalExpected(p: ParetoNbdParams, c: RepeatSummary, t: number): number {
  check(p);
  checkRow(c, 'customer');
  if (!Number.isFinite(t) || t < 0) throw new ModelFitError('invalid_input', 'Pareto/NBD: t must be ≥ 0');
  const { r, alpha, s, beta } = p;
  return finiteOrThrow(((r + c.x) * (beta + c.T)) / (alpha + c.T) * powerDiff(s, beta + c.T, t) * paretoNbdPAlive(p, c), 'Pareto/NBD E[Y(t) | x, tx, T]');
}

/** Unconditional E[X(t)] = rβ/(α(s−1)) · (1 − (β/(β+t))^(s−1)) (Schmittlein et al. 1987 eq. 17). */
export function paretoNbdExpected(p: ParetoNbdParams, t: number): number {
  check(p);
  if (!Number.isFinite(t) || t < 0) throw new ModelFitError('invalid_input', 'Pareto/NBD: t must be ≥ 0');
  return finiteOrThrow(((p.r * p.beta) / p.alpha) * powerDiff(p.s, p.beta, t), 'Pareto/NBD E[X(t)]');
}
