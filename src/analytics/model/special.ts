// Special functions in log space: ln Γ (Lanczos approximation, g = 7, n = 9: Press et al. / Godfrey coefficients,
// ~1e-15 relative), the sign of Γ for negative arguments (reflection formula Γ(x)Γ(1−x) = π / sin πx),
// log-sum-exp helpers. Pure functions.

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln |Γ(x)|; +Infinity at the poles x = 0, −1, −2, … */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return Infinity;
  if (x < 0.5) {
    if (x === Math.floor(x)) return Infinity;
    // reflection: Γ(x) = π / (sin(πx) Γ(1−x))
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  }
  if (x > 1e7) {
    // Stirling with two correction terms (the Lanczos sum loses nothing here, but this is cheaper and exact enough)
    return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + 1 / (12 * x) - 1 / (360 * x * x * x);
  }
  const y = x - 1;
  let a = LANCZOS[0];
  const t = y + LANCZOS_G + 0.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (y + i);
  return HALF_LOG_2PI + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Sign of Γ(x): +1 for x > 0, alternating on the negative axis; 0 at the poles. */
export function gammaSign(x: number): number {
  if (x > 0) return 1;
  if (x === Math.floor(x)) return 0;
  return Math.floor(x) % 2 === 0 ? 1 : -1;
}

/** Γ(x) as a signed number (may overflow to ±Infinity for large x). */
export function gamma(x: number): number {
  const s = gammaSign(x);
  if (s === 0) return NaN;
  return s * Math.exp(lgamma(x));
}

/** 1/Γ(x), zero at the poles. */
export function rgamma(x: number): number {
  const s = gammaSign(x);
  if (s === 0) return 0;
  return s * Math.exp(-lgamma(x));
}

/** ln B(a, b). */
export function lbeta(a: number, b: number): number {
  return lgamma(a) + lgamma(b) - lgamma(a + b);
}

/** ln(e^a + e^b), stable. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** ln(e^a − e^b) for a ≥ b (−Infinity when equal). */
export function logSubExp(a: number, b: number): number {
  if (b === -Infinity) return a;
  const d = b - a;
  if (d >= 0) return -Infinity;
  // ln(1 − e^d), d < 0: choose the accurate branch (Mächler 2012)
  return a + (d > -Math.LN2 ? Math.log(-Math.expm1(d)) : Math.log1p(-Math.exp(d)));
}
