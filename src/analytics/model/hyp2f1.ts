// Gauss hypergeometric function 2F1(a, b; c; z) for real arguments and z ≤ 1.
// Sources: Abramowitz & Stegun (1964) §15.1.1 (series), 15.3.5 (Pfaff transformation for z < 0),
// 15.3.6 (linear transformation z → 1−z), 15.1.20 (Gauss's theorem at z = 1); DLMF §15.2, §15.4, §15.8.
// Numerical care:
// - z < 0 is mapped by Pfaff, 2F1(a,b;c;z) = (1−z)^(−a) 2F1(a, c−b; c; z/(z−1)), onto w ∈ (0, 1) so the
//   series never alternates on a large |z|.
// - 0 ≤ z < 1: the defining series, stopped with a geometric tail bound (|term|/(1−ratio) ≤ 1e-16·|sum|);
//   for the positive parameters the customer-value models use every term is positive, so there is no cancellation.
//   It converges like n^(a+b−c−1) z^n, i.e. about 37/(1−z) terms: used while 1−z ≥ 2e-4.
// - 1−z < 2e-4: A&S 15.3.6 in the variable 1−z (two quickly convergent series). Its gamma factors have poles when
//   c−a−b is an integer; within 1e-4 of one we evaluate at c−a−b = M ± 1e-4, M ± 2e-4 (moving a) and interpolate
//   (4-point Lagrange, error O(h⁴) ≈ 1e-11 relative; the poles cancel in the exact limit A&S 15.3.10–12).
// - If the series does not converge within 250,000 terms (huge a, b), Euler's transformation
//   (1−z)^(c−a−b) 2F1(c−a, c−b; c; z) is tried; a value that overflows double range is returned as ±Infinity/NaN.
// - z = 1: Gauss's theorem Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) when c−a−b > 0, +Infinity otherwise.
import { gammaSign, lgamma } from './special.ts';

const EPS = 1e-16;
const MAX_SERIES_TERMS = 250_000;

function isNonPositiveInteger(v: number): boolean {
  return v <= 0 && v === Math.floor(v);
}

/** Γ(n1)Γ(n2)/(Γ(d1)Γ(d2)) as a signed number; 0 when a denominator sits on a pole. */
function gammaRatio(n1: number, n2: number, d1: number, d2: number): number {
  const sd1 = gammaSign(d1);
  const sd2 = gammaSign(d2);
  if (sd1 === 0 || sd2 === 0) return 0;
  const sign = gammaSign(n1) * gammaSign(n2) * sd1 * sd2;
  return sign * Math.exp(lgamma(n1) + lgamma(n2) - lgamma(d1) - lgamma(d2));
}

/** The defining series; returns NaN if it did not reach the tolerance within maxTerms. */
function series(a: number, b: number, c: number, z: number, maxTerms: number): number {
  let term = 1;
  let sum = 1;
  for (let n = 0; n < maxTerms; n++) {
    const ratio = ((a + n) * (b + n)) / ((c + n) * (n + 1)) * z;
    term *= ratio;
    sum += term;
    if (term === 0) return sum;
    if (Math.abs(term) <= EPS * Math.abs(sum)) {
      // candidate stop: require the geometric bound on the tail with the next ratio
      const next = Math.abs(((a + n + 1) * (b + n + 1)) / ((c + n + 1) * (n + 2)) * z);
      if (next < 1 && Math.abs(term) * (next / (1 - next)) <= EPS * Math.abs(sum)) return sum;
    }
  }
  return NaN;
}

/** Terminating series when a or b is a non-positive integer (a polynomial in z). */
function polynomial(a: number, b: number, c: number, z: number): number {
  const m = isNonPositiveInteger(a) ? -a : -b;
  let term = 1;
  let sum = 1;
  for (let n = 0; n < m; n++) {
    term *= ((a + n) * (b + n)) / ((c + n) * (n + 1)) * z;
    sum += term;
  }
  return sum;
}

/** A&S 15.3.6 for 0 < 1−z < 1 and c−a−b not an integer. */
function oneMinusZ(a: number, b: number, c: number, z: number): number {
  const m = c - a - b;
  const y = 1 - z;
  const c1 = gammaRatio(c, m, c - a, c - b);
  const c2 = gammaRatio(c, -m, a, b);
  const f1 = c1 === 0 ? 0 : c1 * hyp2f1(a, b, 1 - m, y);
  const f2 = c2 === 0 ? 0 : c2 * Math.pow(y, m) * hyp2f1(c - a, c - b, 1 + m, y);
  return f1 + f2;
}

/**
 * 2F1(a, b; c; z) for real a, b, c (c not a non-positive integer) and real z ≤ 1.
 * Throws RangeError outside that domain (it is never called there by the models).
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (![a, b, c, z].every(Number.isFinite)) throw new RangeError('hyp2f1: arguments must be finite');
  if (isNonPositiveInteger(c)) throw new RangeError('hyp2f1: c must not be a non-positive integer');
  if (z > 1) throw new RangeError('hyp2f1: z must be ≤ 1');
  if (z === 0 || a === 0 || b === 0) return 1;
  if (isNonPositiveInteger(a) || isNonPositiveInteger(b)) return polynomial(a, b, c, z);
  if (b === c) return Math.pow(1 - z, -a);
  if (a === c) return Math.pow(1 - z, -b);
  if (z === 1) {
    const m = c - a - b;
    if (m <= 0) return Infinity;
    return gammaRatio(c, m, c - a, c - b);
  }
  if (z < 0) {
    const w = z / (z - 1);
    // Pfaff; use the form whose second upper parameter is non-negative when one is
    if (c - b >= 0 || c - a < 0) return Math.pow(1 - z, -a) * hyp2f1(a, c - b, c, w);
    return Math.pow(1 - z, -b) * hyp2f1(c - a, b, c, w);
  }
  if (1 - z >= 2e-4) {
    const s = series(a, b, c, z, MAX_SERIES_TERMS);
    if (Number.isFinite(s)) return s;
    // Euler: 2F1(a,b;c;z) = (1−z)^(c−a−b) 2F1(c−a, c−b; c; z), often far better scaled when a, b are large
    const e = series(c - a, c - b, c, z, MAX_SERIES_TERMS);
    if (Number.isFinite(e)) return Math.pow(1 - z, c - a - b) * e;
    // the z → 1−z transformation below calls back with 1−z < 1/2, which never comes here again
    if (z <= 0.5) return NaN;
  }
  const m = c - a - b;
  const M = Math.round(m);
  const h = 1e-4;
  if (Math.abs(m - M) < h) {
    // 4-point Lagrange interpolation in a through c−a−b = M ± h, M ± 2h (error O(h⁴), cancellation ~1e-12)
    const d = m - M;
    let sum = 0;
    const offs = [-2 * h, -h, h, 2 * h];
    for (let i = 0; i < 4; i++) {
      let wgt = 1;
      for (let j = 0; j < 4; j++) if (j !== i) wgt *= (d - offs[j]) / (offs[i] - offs[j]);
      sum += wgt * oneMinusZ(c - b - M - offs[i], b, c, z);
    }
    return sum;
  }
  return oneMinusZ(a, b, c, z);
}
