import { describe, expect, it } from 'vitest';
import { bgNbdConditionalExpected, bgNbdPAlive, type BgNbdParams } from './bgnbd.ts';
import { clv, WEEKS_PER_YEAR } from './clv.ts';
import { gammaGammaExpectedSpend, type GammaGammaParams } from './gamma-gamma.ts';
import { paretoNbdConditionalExpected, type ParetoNbdParams } from './pareto-nbd.ts';
import { gammaVariate, mulberry32, simulateBgNbd } from './simulate.ts';
import { ModelFitError } from './types.ts';

const bg: BgNbdParams = { r: 0.8, alpha: 5, a: 0.6, b: 3 };
const pn: ParetoNbdParams = { r: 0.8, alpha: 6, s: 0.7, beta: 15 };
const gg: GammaGammaParams = { p: 4, q: 3, gamma: 20 };

describe('CLV', () => {
  it('without discounting it is expected purchases × expected spend, for both transaction models', () => {
    const c = { x: 3, tx: 25, T: 30, mx: 40 };
    const m = gammaGammaExpectedSpend(gg, 3, 40);
    expect(clv({ model: 'bgnbd', params: bg }, gg, c, 52, 0)).toBeCloseTo(bgNbdConditionalExpected(bg, c, 52) * m, 9);
    expect(clv({ model: 'pareto-nbd', params: pn }, gg, c, 52, 0)).toBeCloseTo(paretoNbdConditionalExpected(pn, c, 52) * m, 9);
    // fractional horizon: the last period is shorter
    expect(clv({ model: 'bgnbd', params: bg }, gg, c, 10.5, 0)).toBeCloseTo(bgNbdConditionalExpected(bg, c, 10.5) * m, 9);
  });

  it('discounting lowers it, and a purchase certain in week 52 would be worth 1/(1+d)', () => {
    const c = { x: 3, tx: 25, T: 30, mx: 40 };
    const v0 = clv({ model: 'bgnbd', params: bg }, gg, c, 104, 0);
    const v10 = clv({ model: 'bgnbd', params: bg }, gg, c, 104, 0.1);
    const v30 = clv({ model: 'bgnbd', params: bg }, gg, c, 104, 0.3);
    expect(v10).toBeLessThan(v0);
    expect(v30).toBeLessThan(v10);
    expect(Math.pow(1.1, -(52 / WEEKS_PER_YEAR))).toBeCloseTo(1 / 1.1 ** (364 / 365.25), 12);
  });

  it('Σ CLV over simulated customers equals the discounted value they then actually bring (BG/NBD + Gamma-Gamma)', () => {
    const rng = mulberry32(4242);
    const horizon = 52;
    const d = 0.15;
    let predicted = 0;
    let realised = 0;
    let sq = 0;
    for (let i = 0; i < 15000; i++) {
      const T = 27 + 12 * rng();
      const sim = simulateBgNbd(rng, bg, T + horizon);
      const nu = gammaVariate(rng, gg.q, gg.gamma);
      const spend = sim.times.map(() => gammaVariate(rng, gg.p, nu));
      const calIdx = sim.times.filter((u) => u <= T).length;
      const x = calIdx;
      const mx = x > 0 ? spend.slice(0, x).reduce((s, v) => s + v, 0) / x : 0;
      const c = { x, tx: x ? sim.times[x - 1] : 0, T, mx };
      const value = clv({ model: 'bgnbd', params: bg }, gg, c, horizon, d);
      let real = 0;
      for (let k = x; k < sim.times.length; k++) {
        const week = Math.ceil(sim.times[k] - T); // purchase in week i is discounted to the end of week i
        real += spend[k] / Math.pow(1 + d, week / WEEKS_PER_YEAR);
      }
      predicted += value;
      realised += real;
      sq += (real - value) ** 2;
      expect(bgNbdPAlive(bg, c)).toBeGreaterThan(0);
    }
    expect(Math.abs(realised - predicted)).toBeLessThan(4 * Math.sqrt(sq));
  });

  it('rejects a negative horizon or a discount rate ≤ −100%', () => {
    const c = { x: 1, tx: 2, T: 3, mx: 10 };
    expect(() => clv({ model: 'bgnbd', params: bg }, gg, c, -1, 0.1)).toThrow(ModelFitError);
    expect(() => clv({ model: 'bgnbd', params: bg }, gg, c, 10, -1)).toThrow(ModelFitError);
  });
});
