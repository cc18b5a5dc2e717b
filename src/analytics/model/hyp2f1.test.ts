import { describe, expect, it } from 'vitest';
import { hyp2f1 } from './hyp2f1.ts';
import { lgamma } from './special.ts';

function rel(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

/** Independent oracle for the Pareto/NBD case c = a + 1: 2F1(a, b; a+1; z) = a ∫0^1 t^(a−1) (1−zt)^(−b) dt
 *  by composite Gauss–Legendre (5 points) on a graded mesh toward u = 1. */
function oracleAp1(a: number, b: number, z: number): number {
  const nodes = [0, -0.5384693101056831, 0.5384693101056831, -0.906179845938664, 0.906179845938664];
  const weights = [0.5688888888888889, 0.47862867049936647, 0.47862867049936647, 0.23692688505618908, 0.23692688505618908];
  // a ≥ 2: integrate a·t^(a−1)(1−zt)^(−b) in t (smooth); a < 2: substitute u = t^a to remove the singularity at 0
  const f = a >= 2 ? (t: number): number => a * Math.pow(t, a - 1) * Math.pow(1 - z * t, -b) : (u: number): number => Math.pow(1 - z * Math.pow(u, 1 / a), -b);
  // mesh: uniform on [0, 0.5], then geometric toward 1 (where (1−zu^(1/a)) is smallest)
  const edges: number[] = [];
  for (let i = 0; i <= 200; i++) edges.push(0.5 * (i / 200));
  let gap = 0.5;
  while (gap > 1e-14) {
    gap /= 1.25;
    edges.push(1 - gap);
  }
  edges.push(1);
  let sum = 0;
  for (let k = 0; k + 1 < edges.length; k++) {
    const lo = edges[k];
    const hi = edges[k + 1];
    const h = (hi - lo) / 2;
    const m = (hi + lo) / 2;
    for (let j = 0; j < 5; j++) sum += weights[j] * h * f(m + h * nodes[j]);
  }
  return sum;
}

describe('hyp2f1 against closed forms (A&S 15.1.3–15.1.7, DLMF 15.4)', () => {
  it('2F1(1,1;2;z) = −ln(1−z)/z on both sides of 0 and near 1', () => {
    for (const z of [-50, -5, -0.9, -0.3, -1e-3, 1e-3, 0.3, 0.5, 0.7, 0.95, 0.999, 0.99995, 0.9999999]) {
      expect(rel(hyp2f1(1, 1, 2, z), -Math.log1p(-z) / z)).toBeLessThan(1e-11);
    }
  });

  it('2F1(1/2,1/2;3/2;z²) = arcsin(z)/z', () => {
    for (const x of [0.1, 0.5, 0.8, 0.99, 0.99999]) expect(rel(hyp2f1(0.5, 0.5, 1.5, x * x), Math.asin(x) / x)).toBeLessThan(1e-9);
  });

  it('2F1(1/2,1;3/2;−z²) = arctan(z)/z (negative z through Pfaff) and 2F1(1/2,1;3/2;z²) = artanh(z)/z (integer c−a−b = 0 near z = 1)', () => {
    for (const x of [0.2, 1, 3, 30]) expect(rel(hyp2f1(0.5, 1, 1.5, -x * x), Math.atan(x) / x)).toBeLessThan(1e-12);
    for (const x of [0.2, 0.7, 0.999, 0.99999, 0.9999999]) expect(rel(hyp2f1(0.5, 1, 1.5, x * x), Math.atanh(x) / x)).toBeLessThan(1e-10);
  });

  it('(1−z)^(−a) = 2F1(a,b;b;z) and the Euler/Pfaff identities hold where no shortcut applies', () => {
    expect(rel(hyp2f1(2.5, 1.3, 1.3, 0.6), Math.pow(0.4, -2.5))).toBeLessThan(1e-14);
    // 2F1(a, b; 2b; z) quadratic-transformation-free check: Pfaff 2F1(a,b;c;z) = (1−z)^(−a) 2F1(a, c−b; c; z/(z−1))
    const [a, b, c] = [0.7, 1.9, 2.6];
    for (const z of [0.3, 0.6, 0.85]) {
      expect(rel(hyp2f1(a, b, c, z), Math.pow(1 - z, -a) * hyp2f1(a, c - b, c, z / (z - 1)))).toBeLessThan(1e-12);
      // Euler: 2F1(a,b;c;z) = (1−z)^(c−a−b) 2F1(c−a, c−b; c; z)
      expect(rel(hyp2f1(a, b, c, z), Math.pow(1 - z, c - a - b) * hyp2f1(c - a, c - b, c, z))).toBeLessThan(1e-12);
    }
  });

  it("Gauss's theorem at z = 1, and continuity into it from below (the 1−z transformation path)", () => {
    for (const [a, b, c] of [
      [0.3, 0.7, 2.5],
      [1.5, 2.25, 5.1],
      [0.55, 1.61, 2.9],
    ]) {
      const exact = Math.exp(lgamma(c) + lgamma(c - a - b) - lgamma(c - a) - lgamma(c - b));
      expect(rel(hyp2f1(a, b, c, 1), exact)).toBeLessThan(1e-13);
      // F(1) − F(1−ε) = O(ε^min(1, c−a−b))
      const eps = 1e-9;
      expect(rel(hyp2f1(a, b, c, 1 - eps), exact)).toBeLessThan(10 * Math.pow(eps, Math.min(1, c - a - b)));
    }
    expect(hyp2f1(1, 1, 2, 1)).toBe(Infinity);
  });

  it('published special values: 2F1(1/3,2/3;5/6;27/32) = 8/5 and 2F1(1/4,1/2;3/4;80/81) = 9/5 (DLMF 15.4.31, 15.4.32)', () => {
    expect(rel(hyp2f1(1 / 3, 2 / 3, 5 / 6, 27 / 32), 8 / 5)).toBeLessThan(1e-12);
    expect(rel(hyp2f1(1 / 4, 1 / 2, 3 / 4, 80 / 81), 9 / 5)).toBeLessThan(1e-12);
  });

  it('terminating series: 2F1(−2,b;c;z) is the quadratic polynomial', () => {
    const [b, c, z] = [1.7, 3.2, -4.5];
    const poly = 1 - (2 * b * z) / c + (b * (b + 1) * z * z) / (c * (c + 1));
    expect(rel(hyp2f1(-2, b, c, z), poly)).toBeLessThan(1e-14);
  });

  it('Pareto/NBD arguments 2F1(k, b; k+1; z) agree with numerical quadrature, including z near 1 and large k', () => {
    const cases: [number, number, number][] = [
      [1.16, 1.61, 0.09],
      [1.16, 1.61, 0.6],
      [1.16, 0.55, 0.95],
      [21.2, 1.61, 0.5],
      [21.2, 20.6, 0.3],
      [101.2, 1.61, 0.9],
      [2.3, 1.0, 0.9999], // s = 0 ⇒ b = 1: c−a−b = 0, integer
      [1.5, 2.0, 0.99999], // c−a−b = −1, integer, transformation path
      [0.9, 0.4, 0.999999],
    ];
    for (const [k, b, z] of cases) expect(rel(hyp2f1(k, b, k + 1, z), oracleAp1(k, b, z))).toBeLessThan(2e-8);
  });

  it('rejects arguments outside its domain', () => {
    expect(() => hyp2f1(1, 1, 0, 0.5)).toThrow(RangeError);
    expect(() => hyp2f1(1, 1, 2, 1.5)).toThrow(RangeError);
    expect(() => hyp2f1(NaN, 1, 2, 0.5)).toThrow(RangeError);
  });
});
