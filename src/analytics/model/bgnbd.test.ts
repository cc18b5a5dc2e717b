import { describe, expect, it } from 'vitest';
import {
  bgNbdConditionalExpected,
  bgNbdExpected,
  bgNbdLogLikelihood,
  bgNbdPAlive,
  fitBgNbd,
  type BgNbdParams,
} from './bgnbd.ts';
import { cdnowSampleSummaries } from './cdnow.fixture.ts';
import { lbeta } from './special.ts';
import { mulberry32, simulateBgNbd } from './simulate.ts';
import { ModelFitError, type RepeatSummary } from './types.ts';

// Fader, Hardie & Lee (2005), Marketing Science 24(2), §4 (CDNOW 1/10 sample, 2,357 customers, 39-week calibration):
// r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL = −9582.4.
const PUBLISHED: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const PUBLISHED_LL = -9582.4;

function within(actual: number, expected: number, relTol: number): void {
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThan(relTol);
}

describe('BG/NBD on the CDNOW sample (Fader, Hardie & Lee 2005)', () => {
  it('the maximum-likelihood fit reproduces the published estimates and log-likelihood within 0.5%', async () => {
    const data = await cdnowSampleSummaries();
    expect(data.length).toBe(2357);
    expect(data.reduce((s, c) => s + c.x, 0)).toBe(2457); // repeat transactions in calibration, as in the paper
    const fit = fitBgNbd(data);
    expect(fit.converged).toBe(true);
    within(fit.params.r, PUBLISHED.r, 0.005);
    within(fit.params.alpha, PUBLISHED.alpha, 0.005);
    within(fit.params.a, PUBLISHED.a, 0.005);
    within(fit.params.b, PUBLISHED.b, 0.005);
    within(fit.logLikelihood, PUBLISHED_LL, 0.005);
    expect(Math.abs(fit.logLikelihood - PUBLISHED_LL)).toBeLessThan(0.1);
  });

  it('the log-likelihood at the published (rounded) estimates is the published value', async () => {
    const data = await cdnowSampleSummaries();
    expect(Math.abs(bgNbdLogLikelihood(PUBLISHED, data) - PUBLISHED_LL)).toBeLessThan(0.1);
  });

  it('conditional expectation of the paper’s worked example: x = 2, tx = 30.43, T = 38.86 → 1.226 purchases in the next 39 weeks', () => {
    const e = bgNbdConditionalExpected(PUBLISHED, { x: 2, tx: 30.43, T: 38.86 }, 39);
    expect(Math.abs(e - 1.226)).toBeLessThan(0.0015);
  });
});

describe('BG/NBD formulas against independent oracles', () => {
  const p: BgNbdParams = { r: 0.8, alpha: 5, a: 0.6, b: 3 };

  it('E[X(t)] (eq. 7, via 2F1) equals the quadrature of E[X(t) | λ, p] = (1 − e^(−λpt))/p over the mixing distributions', () => {
    // integrate λ analytically: E_λ[e^(−λpt)] = (α/(α+pt))^r; then p over Beta(a, b) numerically (u = p^a substitution)
    const oracle = (t: number): number => {
      const nodes = [0, -0.5384693101056831, 0.5384693101056831, -0.906179845938664, 0.906179845938664];
      const weights = [0.5688888888888889, 0.47862867049936647, 0.47862867049936647, 0.23692688505618908, 0.23692688505618908];
      const g = (u: number): number => {
        const q = Math.pow(u, 1 / p.a);
        const inner = q === 0 ? (p.r * t) / p.alpha : (1 - Math.pow(p.alpha / (p.alpha + q * t), p.r)) / q;
        return (inner * Math.pow(1 - q, p.b - 1)) / p.a;
      };
      let sum = 0;
      const n = 4000;
      for (let k = 0; k < n; k++) {
        const h = 0.5 / n;
        const m = (k + 0.5) / n;
        for (let j = 0; j < 5; j++) sum += weights[j] * h * g(m + h * nodes[j]);
      }
      return sum / Math.exp(lbeta(p.a, p.b));
    };
    for (const t of [1, 10, 39, 78, 520]) expect(Math.abs(bgNbdExpected(p, t) / oracle(t) - 1)).toBeLessThan(1e-8);
  });

  it('on simulated customers, Σ P(alive) and Σ E[Y(t) | history] match what then happens (law of total expectation)', () => {
    const rng = mulberry32(20240517);
    let alive = 0;
    let pAliveSum = 0;
    let pAliveVar = 0;
    let resid = 0;
    let residSq = 0;
    const t = 39;
    for (let i = 0; i < 20000; i++) {
      const T = 27 + 12 * rng();
      const sim = simulateBgNbd(rng, p, T + t);
      const cal = sim.times.filter((u) => u <= T);
      const c: RepeatSummary = { x: cal.length, tx: cal.length ? cal[cal.length - 1] : 0, T };
      const pa = bgNbdPAlive(p, c);
      pAliveSum += pa;
      pAliveVar += pa * (1 - pa);
      if (!(sim.deathTime <= T)) alive++;
      const future = sim.times.length - cal.length;
      const e = bgNbdConditionalExpected(p, c, t);
      resid += future - e;
      residSq += (future - e) ** 2;
    }
    expect(Math.abs(alive - pAliveSum)).toBeLessThan(4 * Math.sqrt(pAliveVar));
    expect(Math.abs(resid)).toBeLessThan(4 * Math.sqrt(residSq));
  });

  it('P(alive) is 1 without repeat purchases and falls with the time since the last purchase', () => {
    expect(bgNbdPAlive(p, { x: 0, tx: 0, T: 30 })).toBe(1);
    const recent = bgNbdPAlive(p, { x: 3, tx: 29, T: 30 });
    const old = bgNbdPAlive(p, { x: 3, tx: 5, T: 30 });
    expect(recent).toBeGreaterThan(old);
    expect(old).toBeGreaterThan(0);
  });
});

describe('BG/NBD fitting', () => {
  it('recovers known parameters from 60,000 simulated customers', () => {
    const truth: BgNbdParams = { r: 0.8, alpha: 5, a: 0.6, b: 3 };
    const rng = mulberry32(7);
    const data: RepeatSummary[] = [];
    for (let i = 0; i < 60000; i++) {
      const T = 26 + 52 * rng();
      const sim = simulateBgNbd(rng, truth, T);
      data.push({ x: sim.times.length, tx: sim.times.length ? sim.times[sim.times.length - 1] : 0, T });
    }
    const fit = fitBgNbd(data);
    expect(fit.converged).toBe(true);
    within(fit.params.r, truth.r, 0.05);
    within(fit.params.alpha, truth.alpha, 0.06);
    within(fit.params.a, truth.a, 0.1);
    within(fit.params.b, truth.b, 0.15);
    // the fit is at least as likely as the truth (it is the maximum)
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(bgNbdLogLikelihood(truth, data));
  });

  it('grouped rows (count) give the same log-likelihood and fit as the ungrouped rows', async () => {
    const data = await cdnowSampleSummaries();
    const groups = new Map<string, RepeatSummary>();
    for (const c of data) {
      const key = `${c.x}|${c.tx}|${c.T}`;
      const g = groups.get(key);
      if (g) g.count = (g.count ?? 1) + 1;
      else groups.set(key, { x: c.x, tx: c.tx, T: c.T, count: 1 });
    }
    const grouped = [...groups.values()];
    expect(grouped.length).toBeLessThan(data.length);
    const ungroupedRows = data.map((c) => ({ x: c.x, tx: c.tx, T: c.T }));
    expect(Math.abs(bgNbdLogLikelihood(PUBLISHED, grouped) - bgNbdLogLikelihood(PUBLISHED, ungroupedRows))).toBeLessThan(1e-7);
    const a = fitBgNbd(grouped);
    const b = fitBgNbd(ungroupedRows);
    expect(Math.abs(a.logLikelihood - b.logLikelihood)).toBeLessThan(1e-5);
    expect(Math.abs(a.params.r - b.params.r)).toBeLessThan(1e-4);
  });

  it('degenerate data is a typed error, never NaN', () => {
    const code = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        if (e instanceof ModelFitError) return e.code;
        throw e;
      }
      return undefined;
    };
    expect(code(() => fitBgNbd([]))).toBe('no_data');
    expect(code(() => fitBgNbd([{ x: 0, tx: 0, T: 10 }, { x: 0, tx: 0, T: 20, count: 5 }]))).toBe('no_repeat_buyers');
    expect(code(() => fitBgNbd([{ x: 1, tx: NaN, T: 10 }]))).toBe('invalid_input');
    expect(code(() => fitBgNbd([{ x: 1, tx: 12, T: 10 }]))).toBe('invalid_input');
    expect(code(() => fitBgNbd([{ x: -1, tx: 0, T: 10 }]))).toBe('invalid_input');
    expect(code(() => bgNbdLogLikelihood({ r: -1, alpha: 1, a: 1, b: 1 }, [{ x: 1, tx: 1, T: 2 }]))).toBe('invalid_input');
    expect(code(() => bgNbdPAlive({ r: 1, alpha: NaN, a: 1, b: 1 }, { x: 1, tx: 1, T: 2 }))).toBe('invalid_input');
    expect(code(() => fitBgNbd([{ x: 2, tx: 5, T: 10 }, { x: 0, tx: 0, T: 10 }], { maxIterations: 3 }))).toBe('did_not_converge');
  });

  it('a = 1 (removable singularity of eq. 7 and 10) gives finite values continuous with its neighbours', () => {
    const at1 = bgNbdExpected({ r: 0.5, alpha: 4, a: 1, b: 2 }, 20);
    const near = bgNbdExpected({ r: 0.5, alpha: 4, a: 1.001, b: 2 }, 20);
    expect(Number.isFinite(at1)).toBe(true);
    expect(Math.abs(at1 / near - 1)).toBeLessThan(1e-3);
    const c = { x: 3, tx: 20, T: 30 };
    const cAt1 = bgNbdConditionalExpected({ r: 0.5, alpha: 4, a: 1, b: 2 }, c, 20);
    expect(Math.abs(cAt1 / bgNbdConditionalExpected({ r: 0.5, alpha: 4, a: 0.999, b: 2 }, c, 20) - 1)).toBeLessThan(1e-3);
  });

  it('stays finite for heavy buyers over long histories (log-space)', () => {
    const data: RepeatSummary[] = [
      { x: 5000, tx: 9990, T: 10000 },
      { x: 0, tx: 0, T: 10000 },
      { x: 3, tx: 50, T: 10000 },
    ];
    const ll = bgNbdLogLikelihood({ r: 2, alpha: 3, a: 0.5, b: 5 }, data);
    expect(Number.isFinite(ll)).toBe(true);
    const e = bgNbdConditionalExpected({ r: 2, alpha: 3, a: 0.5, b: 5 }, data[0], 52);
    expect(Number.isFinite(e)).toBe(true);
    expect(e).toBeGreaterThan(0);
    // a heavy, recent buyer over a long horizon (2F1 at z ≈ 0.5 with parameters in the thousands before Euler's
    // transformation): about the rate x/T times t times P(alive), and below t·x/T
    const heavy = { x: 3000, tx: 99.5, T: 100 };
    const pr = { r: 2, alpha: 3, a: 0.5, b: 5 };
    const eh = bgNbdConditionalExpected(pr, heavy, 100);
    expect(Number.isFinite(eh)).toBe(true);
    expect(eh).toBeGreaterThan(0.5 * 3000 * bgNbdPAlive(pr, heavy));
    expect(eh).toBeLessThan(3000 * 1.01);
  });
});
