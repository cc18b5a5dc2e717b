// Simulators for tests and benchmarks: draw customers from the generative story of each model with a seeded PRNG
// (randomness is passed in, never global). Gamma variates by Marsaglia & Tsang (2000), "A Simple Method for
// Generating Gamma Variables", ACM TOMS 26(3) (with the U^(1/k) boost for shape < 1); beta as G1/(G1+G2).
import type { BgNbdParams } from './bgnbd.ts';
import type { GammaGammaParams } from './gamma-gamma.ts';
import type { ParetoNbdParams } from './pareto-nbd.ts';

export type Rng = () => number;

/** mulberry32: a small, fast 32-bit PRNG (uniform in [0, 1)); deterministic for a seed. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uniformOpen(rng: Rng): number {
  let u = rng();
  while (u === 0) u = rng();
  return u;
}

export function normal(rng: Rng): number {
  const u = uniformOpen(rng);
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Gamma(shape, rate). */
export function gammaVariate(rng: Rng, shape: number, rate: number): number {
  if (shape < 1) return gammaVariate(rng, shape + 1, rate) * Math.pow(uniformOpen(rng), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = uniformOpen(rng);
    if (u < 1 - 0.0331 * x * x * x * x) return (d * v) / rate;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return (d * v) / rate;
  }
}

export function betaVariate(rng: Rng, a: number, b: number): number {
  const x = gammaVariate(rng, a, 1);
  const y = gammaVariate(rng, b, 1);
  return x / (x + y);
}

export function exponential(rng: Rng, rate: number): number {
  return -Math.log(uniformOpen(rng)) / rate;
}

/** A simulated customer: purchase times after the first (time 0) up to `horizon`, and what is hidden. */
export interface SimulatedCustomer {
  /** Repeat purchase times in (0, horizon], ascending. */
  times: number[];
  /** Time the customer became inactive (Infinity if never within the horizon). */
  deathTime: number;
  /** Latent purchase rate. */
  lambda: number;
}

/** BG/NBD story (FHL 2005 §3): λ ~ Γ(r, α), p ~ Beta(a, b); Poisson(λ) purchases; after each, drop out with p. */
export function simulateBgNbd(rng: Rng, p: BgNbdParams, horizon: number): SimulatedCustomer {
  const lambda = gammaVariate(rng, p.r, p.alpha);
  const drop = betaVariate(rng, p.a, p.b);
  const times: number[] = [];
  let t = 0;
  let deathTime = Infinity;
  for (;;) {
    t += exponential(rng, lambda);
    if (t > horizon) break;
    times.push(t);
    if (rng() < drop) {
      deathTime = t;
      break;
    }
  }
  return { times, deathTime, lambda };
}

/** Pareto/NBD story (SMC 1987): λ ~ Γ(r, α), μ ~ Γ(s, β); lifetime τ ~ Exp(μ); Poisson(λ) purchases while alive. */
export function simulateParetoNbd(rng: Rng, p: ParetoNbdParams, horizon: number): SimulatedCustomer {
  const lambda = gammaVariate(rng, p.r, p.alpha);
  const mu = gammaVariate(rng, p.s, p.beta);
  const tau = exponential(rng, mu);
  const end = Math.min(tau, horizon);
  const times: number[] = [];
  let t = 0;
  for (;;) {
    t += exponential(rng, lambda);
    if (t > end) break;
    times.push(t);
  }
  return { times, deathTime: tau <= horizon ? tau : Infinity, lambda };
}

/** Gamma-Gamma story: ν ~ Γ(q, γ), each transaction's value ~ Γ(p, ν). Returns the values and the true mean p/ν. */
export function simulateSpend(rng: Rng, pr: GammaGammaParams, n: number): { values: number[]; trueMean: number } {
  const nu = gammaVariate(rng, pr.q, pr.gamma);
  const values: number[] = [];
  for (let i = 0; i < n; i++) values.push(gammaVariate(rng, pr.p, nu));
  return { values, trueMean: pr.p / nu };
}
