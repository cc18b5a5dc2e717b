import { describe, expect, it } from 'vitest';
import { minimize, nelderMead, newtonPolish } from './optimize.ts';

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

describe('Newton polish', () => {
  it('finishes a badly scaled, correlated quadratic in a few steps, and never claims convergence where there is no minimum', () => {
    // f = 1e4·(x − 1)² + (x − 1)(y + 2) + 1e-2·(y + 2)²: condition number ~1e6, minimum at (1, −2).
    const f = (v: readonly number[]) => 1e4 * (v[0] - 1) ** 2 + (v[0] - 1) * (v[1] + 2) + 1e-2 * (v[1] + 2) ** 2;
    const res = newtonPolish(f, [0.3, 5], f([0.3, 5]), { ftolAbs: 1e-12, ftolRel: 0, xtol: 1e-6, h: 1e-3 });
    expect(res.converged).toBe(true);
    expect(Math.abs(res.x[0] - 1)).toBeLessThan(1e-6);
    expect(Math.abs(res.x[1] + 2)).toBeLessThan(1e-4);
    expect(res.steps).toBeLessThan(6);
    // Unbounded below along a direction (like a likelihood whose maximum is at infinity): not converged, finite.
    const ridge = (v: readonly number[]) => -v[0] + v[1] ** 2;
    const r2 = newtonPolish(ridge, [0, 1], ridge([0, 1]));
    expect(r2.converged).toBe(false);
    expect(Number.isFinite(r2.fx)).toBe(true);
    // A saddle is not a minimum.
    const saddle = (v: readonly number[]) => v[0] ** 2 - v[1] ** 2;
    expect(newtonPolish(saddle, [0, 0], 0).converged).toBe(false);
  });
});
