// Double-seasonal Holt–Winters: exact recovery of a noise-free double-seasonal series (its generating
// formula is the oracle), Nelder–Mead on Rosenbrock's function (minimum 0 at (1, 1)).
import { describe, expect, it } from 'vitest';
import { dshwFit, dshwForecast, dshwInit, dshwRun, nelderMead } from './dshw.ts';

const s1 = 12;
const s2 = s1 * 5;
const D = Array.from({ length: s1 }, (_, i) => 0.5 + Math.sin((Math.PI * (i + 0.5)) / s1));
const W = Array.from({ length: s2 }, (_, p) => [1.25, 1, 0.95, 0.9, 0.9][Math.floor(p / s1)] * (1 + 0.1 * Math.cos((2 * Math.PI * p) / s2)));
const gen = (t: number, level = 100) => level * D[t % s1] * W[t % s2];

describe('double-seasonal Holt–Winters (Taylor 2003)', () => {
  it('recovers a noise-free double-seasonal series a week ahead', () => {
    const y = Float64Array.from({ length: 8 * s2 }, (_, t) => gen(t));
    for (const horizonSteps of [undefined, s2]) {
      const fit = dshwFit(y, s1, s2, { horizonSteps });
      const f = dshwForecast(fit.state, s1, s2, fit.params.phi, s2);
      for (let k = 0; k < s2; k++) expect(Math.abs(f[k] / gen(y.length + k) - 1)).toBeLessThan(1e-3);
    }
  });

  it('follows a level shift with α > 0 and ignores it with α = 0', () => {
    const y = Float64Array.from({ length: 8 * s2 }, (_, t) => gen(t, t < 6 * s2 ? 100 : 130));
    const init = dshwInit(y.subarray(0, 2 * s2), s1, s2);
    const adaptive = dshwRun(y, s1, s2, { alpha: 0.2, delta: 0, omega: 0, phi: 0 }, init).state;
    const frozen = dshwRun(y, s1, s2, { alpha: 0, delta: 0, omega: 0, phi: 0 }, init).state;
    expect(adaptive.level / frozen.level).toBeGreaterThan(1.25);
    expect(adaptive.level / frozen.level).toBeLessThan(1.35);
  });

  it('Nelder–Mead finds the Rosenbrock minimum', () => {
    const r = nelderMead(([x, y]) => (1 - x) ** 2 + 100 * (y - x * x) ** 2, [-1.2, 1], 0.5, 2000, 1e-16);
    expect(r.x[0]).toBeCloseTo(1, 3);
    expect(r.x[1]).toBeCloseTo(1, 3);
    expect(r.fx).toBeLessThan(1e-6);
  });
});
