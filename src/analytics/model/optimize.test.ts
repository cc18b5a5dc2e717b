import { describe, expect, it } from 'vitest';
import { minimize, nelderMead } from './optimize.ts';

const rosenbrock = (x: readonly number[]): number => {
  let s = 0;
  for (let i = 0; i + 1 < x.length; i++) s += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2;
  return s;
};

describe('Nelder–Mead', () => {
  it('finds the Rosenbrock minimum (1, …, 1) in 2 and 4 dimensions and reports convergence', () => {
    for (const x0 of [
      [-1.2, 1],
      [-1.2, 1, -1.2, 1],
    ]) {
      const res = minimize(rosenbrock, [x0, x0.map((v) => v + 0.5)], { ftolAbs: 1e-14, ftolRel: 0, xtol: 1e-8 });
      expect(res.converged).toBe(true);
      for (const v of res.x) expect(Math.abs(v - 1)).toBeLessThan(1e-5);
      expect(res.starts).toBe(2);
    }
  });

  it('walks away from non-finite values and reports non-convergence when the iteration cap is hit', () => {
    const f = (x: readonly number[]): number => (x[0] < 0 ? NaN : (x[0] - 2) ** 2 + (x[1] + 1) ** 2);
    const res = minimize(f, [[0.1, 0]]);
    expect(Math.abs(res.x[0] - 2)).toBeLessThan(1e-4);
    expect(nelderMead(rosenbrock, [-1.2, 1], { maxIterations: 5 }).converged).toBe(false);
  });
});
