// Gamma-Gamma model of spend per transaction.
// Source: Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary Value" (http://brucehardie.com/notes/025/),
// eqs. (1)–(5); building on Colombo & Jiang (1999), J. Interactive Marketing 13(3).
//   f(m̄x | p, q, γ; x) = Γ(px+q)/(Γ(px)Γ(q)) · γ^q x^(px) m̄x^(px−1) / (γ + x m̄x)^(px+q)
//   E(M | p, q, γ, m̄x, x) = p(γ + x m̄x)/(px + q − 1)
// x = number of repeat transactions, m̄x = their mean value. Computed in log space.
import { minimize } from './optimize.ts';
import { lgamma } from './special.ts';
import { ModelFitError, finiteOrThrow, type FitOptions, type ModelFit, type SpendSummary } from './types.ts';

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

interface PreparedSpend {
  rows: number;
  customers: number;
  w: Float64Array;
  x: Float64Array;
  lx: Float64Array;
  lmx: Float64Array;
  xmx: Float64Array;
  sumMx: number;
}

function check(pr: GammaGammaParams): void {
  for (const [k, v] of Object.entries(pr)) {
    if (!Number.isFinite(v) || v <= 0) throw new ModelFitError('invalid_input', `Gamma-Gamma: parameter ${k} must be a finite number > 0`);
  }
}

function prepare(data: readonly SpendSummary[]): PreparedSpend {
  if (!Array.isArray(data) || data.length === 0) throw new ModelFitError('no_data', 'no spend summaries');
  const n = data.length;
  const w = new Float64Array(n);
  const x = new Float64Array(n);
  const lx = new Float64Array(n);
  const lmx = new Float64Array(n);
  const xmx = new Float64Array(n);
  let customers = 0;
  let sumMx = 0;
  for (let i = 0; i < n; i++) {
    const c = data[i];
    if (!Number.isFinite(c.x) || !Number.isFinite(c.mx) || c.x <= 0 || c.mx <= 0) {
      throw new ModelFitError('invalid_input', `row ${i}: x and mx must be finite numbers > 0`);
    }
    const cnt = c.count ?? 1;
    if (!Number.isFinite(cnt) || cnt < 0) throw new ModelFitError('invalid_input', `row ${i}: count must be ≥ 0`);
    w[i] = cnt;
    x[i] = c.x;
    lx[i] = Math.log(c.x);
    lmx[i] = Math.log(c.mx);
    xmx[i] = c.x * c.mx;
    customers += cnt;
    sumMx += cnt * c.mx;
  }
  if (customers <= 0) throw new ModelFitError('no_data', 'all counts are zero');
  return { rows: n, customers, w, x, lx, lmx, xmx, sumMx };
}

function preparedLL(pr: GammaGammaParams, d: PreparedSpend): number {
  const { p, q, gamma } = pr;
  const base = -lgamma(q) + q * Math.log(gamma);
  let ll = 0;
  for (let i = 0; i < d.rows; i++) {
    const px = p * d.x[i];
    const li = base + lgamma(px + q) - lgamma(px) + px * d.lx[i] + (px - 1) * d.lmx[i] - (px + q) * Math.log(gamma + d.xmx[i]);
    ll += d.w[i] * li;
  }
  return ll;
}

/** Σ count · ln f(m̄x | p, q, γ; x). */
export function gammaGammaLogLikelihood(pr: GammaGammaParams, data: readonly SpendSummary[]): number {
  check(pr);
  return finiteOrThrow(preparedLL(pr, prepare(data)), 'Gamma-Gamma log-likelihood');
}

/** Maximum-likelihood fit on repeat customers (x > 0). */
export function fitGammaGamma(data: readonly SpendSummary[], opts: FitOptions = {}): ModelFit<GammaGammaParams> {
  const d = prepare(data);
  const W = d.customers;
  const f = (t: readonly number[]): number => {
    for (const v of t) if (v > 30 || v < -30) return Infinity;
    return -preparedLL({ p: Math.exp(t[0]), q: Math.exp(t[1]), gamma: Math.exp(t[2]) }, d) / W;
  };
  const m = d.sumMx / W;
  const natural: number[][] = [...(opts.starts ?? []), [1, 2, m], [5, 4, 0.6 * m], [0.5, 1.5, m]];
  const res = minimize(
    f,
    natural.map((s) => s.map((v) => Math.log(v))),
    { step: 0.5, ftolAbs: 1e-11, ftolRel: 1e-12, xtol: 1e-5, maxIterations: opts.maxIterations },
  );
  if (!Number.isFinite(res.fx)) throw new ModelFitError('did_not_converge', 'Gamma-Gamma: the likelihood is not finite at any tried point');
  const params: GammaGammaParams = { p: Math.exp(res.x[0]), q: Math.exp(res.x[1]), gamma: Math.exp(res.x[2]) };
  if (!res.converged && opts.requireConvergence !== false) {
    throw new ModelFitError('did_not_converge', `Gamma-Gamma: no convergence after ${res.iterations} iterations`);
  }
  return { params, logLikelihood: -res.fx * W, converged: res.converged, iterations: res.iterations, starts: res.starts };
}

/** E(M | p, q, γ, m̄x, x) = p(γ + x·m̄x)/(px + q − 1); with x = 0 the population mean pγ/(q−1). */
export function gammaGammaExpectedSpend(pr: GammaGammaParams, x: number, mx: number): number {
  check(pr);
  if (!Number.isFinite(x) || !Number.isFinite(mx) || x < 0 || mx < 0) {
    throw new ModelFitError('invalid_input', 'Gamma-Gamma: x and mx must be finite numbers ≥ 0');
  }
  const den = pr.p * x + pr.q - 1;
  if (den <= 0) throw new ModelFitError('invalid_input', 'Gamma-Gamma: expected spend is infinite (p·x + q ≤ 1)');
  return (pr.p * (pr.gamma + x * mx)) / den;
}
