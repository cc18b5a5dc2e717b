// BG/NBD ("beta-geometric / negative binomial distribution") model of repeat buying.
// Source: Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way: An Alternative to the Pareto/NBD Model",
// Marketing Science 24(2):275–284 — likelihood eq. (6), E[X(t)] eq. (7), P(alive) eq. (A3 / "P(τ > T)"),
// conditional expectation eq. (10); and Fader, Hardie & Lee (2008) "Computing P(alive) using the BG/NBD model".
//   L(r,α,a,b | x,tx,T) = B(a,b+x)/B(a,b) · Γ(r+x)α^r/(Γ(r)(α+T)^(r+x))
//                       + δ(x>0) · B(a+1,b+x−1)/B(a,b) · Γ(r+x)α^r/(Γ(r)(α+tx)^(r+x))
// Computed in log space (ln Γ, log-sum-exp) so it stays finite for large x, T.
import { hyp2f1 } from './hyp2f1.ts';
import { minimize } from './optimize.ts';
import { prepareRepeat, requirePositive, checkRow, screeningSample, type PreparedRepeat } from './prepare.ts';
import { lgamma, logAddExp } from './special.ts';
import { ModelFitError, finiteOrThrow, type FitOptions, type ModelFit, type RepeatSummary } from './types.ts';

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

function check(p: BgNbdParams): void {
  requirePositive('BG/NBD', { r: p.r, alpha: p.alpha, a: p.a, b: p.b });
}

/** Σ count · ln L over prepared data (no validation; parameters assumed positive). */
export function bgNbdPreparedLogLikelihood(p: BgNbdParams, d: PreparedRepeat, scratch?: Float64Array[]): number {
  const { r, alpha, a, b } = p;
  const nx = d.ux.length;
  const [A, B, lT, lTx] = scratch ?? [
    new Float64Array(nx),
    new Float64Array(nx),
    new Float64Array(d.uT.length),
    new Float64Array(d.utx.length),
  ];
  const common = -lgamma(r) + r * Math.log(alpha) + lgamma(a + b) - lgamma(b);
  const lnA = Math.log(a);
  for (let k = 0; k < nx; k++) {
    const x = d.ux[k];
    A[k] = common + lgamma(r + x) + lgamma(b + x) - lgamma(a + b + x);
    B[k] = x > 0 ? lnA - Math.log(b + x - 1) : -Infinity;
  }
  for (let k = 0; k < d.uT.length; k++) lT[k] = Math.log(alpha + d.uT[k]);
  for (let k = 0; k < d.utx.length; k++) lTx[k] = Math.log(alpha + d.utx[k]);
  const { w, xi, Ti, txi, ux } = d;
  let ll = 0;
  for (let i = 0; i < d.rows; i++) {
    const k = xi[i];
    const rx = r + ux[k];
    const a3 = -rx * lT[Ti[i]];
    let li: number;
    if (ux[k] > 0) {
      const a4 = B[k] - rx * lTx[txi[i]];
      li = A[k] + (a3 > a4 ? a3 + Math.log1p(Math.exp(a4 - a3)) : a4 + Math.log1p(Math.exp(a3 - a4)));
    } else li = A[k] + a3;
    ll += w[i] * li;
  }
  return ll;
}

/** Log-likelihood Σ count · ln L(r, α, a, b | x, tx, T). */
export function bgNbdLogLikelihood(p: BgNbdParams, data: readonly RepeatSummary[]): number {
  check(p);
  return finiteOrThrow(bgNbdPreparedLogLikelihood(p, prepareRepeat(data)), 'BG/NBD log-likelihood');
}

/** Maximum-likelihood fit (Nelder–Mead on log-parameters, several starts, restarts). */
export function fitBgNbd(data: readonly RepeatSummary[], opts: FitOptions = {}): ModelFit<BgNbdParams> {
  const d = prepareRepeat(data);
  if (d.repeatBuyers <= 0) throw new ModelFitError('no_repeat_buyers', 'BG/NBD: no customer made a repeat purchase');
  if (d.sumT <= 0) throw new ModelFitError('invalid_input', 'BG/NBD: every customer has T = 0');
  const scratch = [
    new Float64Array(d.ux.length),
    new Float64Array(d.ux.length),
    new Float64Array(d.uT.length),
    new Float64Array(d.utx.length),
  ];
  const W = d.customers;
  const objective = (data: PreparedRepeat, sc: Float64Array[]) => (t: readonly number[]): number => {
    for (const v of t) if (v > 30 || v < -30) return Infinity;
    const ll = bgNbdPreparedLogLikelihood({ r: Math.exp(t[0]), alpha: Math.exp(t[1]), a: Math.exp(t[2]), b: Math.exp(t[3]) }, data, sc);
    return -ll / W;
  };
  const f = objective(d, scratch);
  const sub = screeningSample(d);
  const screen = sub
    ? objective(sub, [new Float64Array(sub.ux.length), new Float64Array(sub.ux.length), new Float64Array(sub.uT.length), new Float64Array(sub.utx.length)])
    : undefined;
  const rate = Math.max(d.sumX / d.sumT, 1e-6); // repeat purchases per unit time
  const alpha0 = 1 / rate;
  const natural: number[][] = [
    ...(opts.starts ?? []),
    [1, alpha0, 1, 1],
    [0.3, 0.3 * alpha0, 0.5, 3],
    [3, 3 * alpha0, 3, 0.7],
  ];
  const starts = natural.map((s) => s.map((v) => Math.log(v)));
  const res = minimize(f, starts, { screen, step: 0.5, ftolAbs: 1e-11, ftolRel: 1e-12, xtol: 1e-5, maxIterations: opts.maxIterations });
  const params: BgNbdParams = { r: Math.exp(res.x[0]), alpha: Math.exp(res.x[1]), a: Math.exp(res.x[2]), b: Math.exp(res.x[3]) };
  if (!Number.isFinite(res.fx)) throw new ModelFitError('did_not_converge', 'BG/NBD: the likelihood is not finite at any tried point');
  if (!res.converged && opts.requireConvergence !== false) {
    throw new ModelFitError('did_not_converge', `BG/NBD: no convergence after ${res.iterations} iterations`);
  }
  return { params, logLikelihood: -res.fx * W, converged: res.converged, iterations: res.iterations, starts: res.starts };
}

/** Evaluate g at a ≠ 1: where (a−1) sits in a denominator, a within 1e-7 of 1 is replaced by the mean at 1 ± 1e-5. */
function awayFromOne(a: number, g: (a: number) => number): number {
  if (Math.abs(a - 1) > 1e-7) return g(a);
  return 0.5 * (g(1 - 1e-5) + g(1 + 1e-5));
}

/** Unconditional E[X(t)] for a customer observed from time 0 (FHL 2005 eq. 7). */
export function bgNbdExpected(p: BgNbdParams, t: number): number {
  check(p);
  if (!Number.isFinite(t) || t < 0) throw new ModelFitError('invalid_input', 'BG/NBD: t must be ≥ 0');
  if (t === 0) return 0;
  const { r, alpha, b } = p;
  // Euler's transformation 2F1(A,B;C;z) = (1−z)^(C−A−B) 2F1(C−A, C−B; C; z) with 1−z = α/(α+t) turns
  // (α/(α+t))^r 2F1(r, b; a+b−1; z) into (α/(α+t))^(a−1) 2F1(a+b−1−r, a−1; a+b−1; z): small parameters, no overflow
  const v = awayFromOne(p.a, (a) => {
    const z = t / (alpha + t);
    return ((a + b - 1) / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), a - 1) * hyp2f1(a + b - 1 - r, a - 1, a + b - 1, z));
  });
  return finiteOrThrow(v, 'BG/NBD E[X(t)]');
}

/** P(alive | x, tx, T) (FHL 2005 / FHL 2008 note): 1 / (1 + δ(x>0) a/(b+x−1) ((α+T)/(α+tx))^(r+x)). */
export function bgNbdPAlive(p: BgNbdParams, c: RepeatSummary): number {
  check(p);
  checkRow(c, 'customer');
  if (c.x <= 0) return 1;
  const { r, alpha, a, b } = p;
  const lt = Math.log(a) - Math.log(b + c.x - 1) + (r + c.x) * (Math.log(alpha + c.T) - Math.log(alpha + c.tx));
  return finiteOrThrow(1 / (1 + Math.exp(lt)), 'BG/NBD P(alive)');
}

/** E[Y(t) | x, tx, T]: expected purchases in (T, T+t] given the history (FHL 2005 eq. 10). */
export function bgNbdConditionalExpected(p: BgNbdParams, c: RepeatSummary, t: number): number {
  check(p);
  checkRow(c, 'customer');
  if (!Number.isFinite(t) || t < 0) throw new ModelFitError('invalid_input', 'BG/NBD: t must be ≥ 0');
  if (t === 0) return 0;
  const { r, alpha, b } = p;
  const { x, tx, T } = c;
  const pAliveOf = (a: number): number =>
    x > 0 ? 1 / (1 + Math.exp(Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx)))) : 1;
  const v = awayFromOne(p.a, (a) => {
    const z = t / (alpha + T + t);
    const head = (a + b + x - 1) / (a - 1);
    // Euler's transformation as in bgNbdExpected: ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; a+b+x−1; z)
    // = ((α+T)/(α+T+t))^(a−1) 2F1(a+b−1−r, a−1; a+b+x−1; z), which stays finite for heavy buyers (large x)
    const bracket = 1 - Math.exp((a - 1) * (Math.log(alpha + T) - Math.log(alpha + T + t))) * hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z);
    return head * bracket * pAliveOf(a);
  });
  return finiteOrThrow(v, 'BG/NBD E[Y(t) | x, tx, T]');
}
