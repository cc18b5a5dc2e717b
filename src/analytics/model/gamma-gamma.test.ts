import { describe, expect, it } from 'vitest';
import { cdnowSampleSummaries } from './cdnow.fixture.ts';
import { fitGammaGamma, gammaGammaExpectedSpend, gammaGammaLogLikelihood, type GammaGammaParams } from './gamma-gamma.ts';
import { gammaVariate, mulberry32, simulateSpend } from './simulate.ts';
import { nelderMead } from './optimize.ts';
import { ModelFitError, type SpendSummary } from './types.ts';

function within(actual: number, expected: number, relTol: number): void {
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThan(relTol);
}

describe('Gamma-Gamma on the CDNOW sample (Fader & Hardie 2013, "The Gamma-Gamma Model of Monetary Value")', () => {
  it('the 946 repeat customers’ mean repeat spend gives the note’s estimates p = 6.25, q = 3.74, γ = 15.44', async () => {
    const data = (await cdnowSampleSummaries()).filter((c) => c.x > 0).map((c) => ({ x: c.x, mx: c.mx }));
    expect(data.length).toBe(946);
    const fit = fitGammaGamma(data);
    expect(fit.converged).toBe(true);
    within(fit.params.p, 6.25, 0.005);
    within(fit.params.q, 3.74, 0.005);
    within(fit.params.gamma, 15.44, 0.005);
    // the population mean spend per transaction implied by the published estimates: 6.25 · 15.44 / 2.74 ≈ $35.2
    const mean = (fit.params.p * fit.params.gamma) / (fit.params.q - 1);
    expect(Math.abs(mean - 35.2)).toBeLessThan(0.15);
  });
});

describe('Gamma-Gamma against simulation', () => {
  const truth: GammaGammaParams = { p: 4, q: 3, gamma: 20 };

  function simulate(seed: number, n: number): { data: SpendSummary[]; trueMeans: number[] } {
    const rng = mulberry32(seed);
    const data: SpendSummary[] = [];
    const trueMeans: number[] = [];
    for (let i = 0; i < n; i++) {
      const x = 1 + Math.floor(gammaVariate(rng, 2, 0.5)); // 1, 2, … repeat transactions
      const { values, trueMean } = simulateSpend(rng, truth, x);
      data.push({ x, mx: values.reduce((s, v) => s + v, 0) / x });
      trueMeans.push(trueMean);
    }
    return { data, trueMeans };
  }

  it('recovers known parameters from 20,000 simulated customers', () => {
    const { data } = simulate(11, 20000);
    const fit = fitGammaGamma(data);
    expect(fit.converged).toBe(true);
    within(fit.params.p, truth.p, 0.05);
    within(fit.params.q, truth.q, 0.06);
    within(fit.params.gamma, truth.gamma, 0.1);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(gammaGammaLogLikelihood(truth, data));
  });

  it('Σ E(M | x, m̄x) equals Σ of the customers’ true mean spend (law of total expectation)', () => {
    const { data, trueMeans } = simulate(12, 20000);
    let resid = 0;
    let sq = 0;
    data.forEach((c, i) => {
      const d = trueMeans[i] - gammaGammaExpectedSpend(truth, c.x, c.mx);
      resid += d;
      sq += d * d;
    });
    expect(Math.abs(resid)).toBeLessThan(4 * Math.sqrt(sq));
  });

  it('expected spend shrinks the observed mean toward the population mean pγ/(q−1), less so with more transactions', () => {
    const pop = (truth.p * truth.gamma) / (truth.q - 1);
    expect(gammaGammaExpectedSpend(truth, 0, 0)).toBeCloseTo(pop, 12);
    const e1 = gammaGammaExpectedSpend(truth, 1, 100);
    const e10 = gammaGammaExpectedSpend(truth, 10, 100);
    expect(e1).toBeGreaterThan(pop);
    expect(e1).toBeLessThan(e10);
    expect(e10).toBeLessThan(100);
  });

  it('grouped rows give the same log-likelihood; degenerate data is a typed error', () => {
    const rows: SpendSummary[] = [
      { x: 1, mx: 10 },
      { x: 1, mx: 10 },
      { x: 3, mx: 25 },
    ];
    expect(gammaGammaLogLikelihood(truth, rows)).toBeCloseTo(gammaGammaLogLikelihood(truth, [{ x: 1, mx: 10, count: 2 }, { x: 3, mx: 25 }]), 10);
    const code = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        if (e instanceof ModelFitError) return e.code;
        throw e;
      }
      return undefined;
    };
    expect(code(() => fitGammaGamma([]))).toBe('no_data');
    expect(code(() => fitGammaGamma([{ x: 0, mx: 10 }]))).toBe('invalid_input');
    expect(code(() => fitGammaGamma([{ x: 2, mx: 0 }]))).toBe('invalid_input');
    expect(code(() => gammaGammaExpectedSpend({ p: 1, q: 0.5, gamma: 1 }, 0, 0))).toBe('invalid_input');
  });
});

describe('Gamma-Gamma fitting under an iteration cap', () => {
  it('converges and recovers known parameters when the simplex is stopped by its cap (the Newton polish finishes)', () => {
    // Large p and q: the likelihood is a long curved ridge (the mean spend pγ/(q−1) is well determined, p, q and γ
    // much less), on which the simplex needs many iterations; 60 per run stops it short.
    const truth: GammaGammaParams = { p: 20, q: 15, gamma: 5 };
    const rng = mulberry32(31);
    const data: SpendSummary[] = [];
    for (let i = 0; i < 8000; i++) {
      const x = 1 + Math.floor(gammaVariate(rng, 2, 0.5));
      const { values } = simulateSpend(rng, truth, x);
      data.push({ x, mx: values.reduce((s, v) => s + v, 0) / x });
    }
    const simplexOnly = nelderMead((t) => -gammaGammaLogLikelihood({ p: Math.exp(t[0]), q: Math.exp(t[1]), gamma: Math.exp(t[2]) }, data) / data.length,
      [0, Math.log(2), Math.log(20)], { maxIterations: 60, ftolAbs: 1e-11, ftolRel: 1e-12, xtol: 1e-5 });
    expect(simplexOnly.converged).toBe(false);
    const fit = fitGammaGamma(data, { maxIterations: 60 });
    expect(fit.converged).toBe(true);
    within(fit.params.p, truth.p, 0.1);
    within(fit.params.q, truth.q, 0.15);
    within(fit.params.gamma, truth.gamma, 0.2);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(gammaGammaLogLikelihood(truth, data));
    const free = fitGammaGamma(data);
    expect(Math.abs(fit.logLikelihood - free.logLikelihood)).toBeLessThan(1e-6);
    within(fit.params.q, free.params.q, 1e-3);
  });
});
