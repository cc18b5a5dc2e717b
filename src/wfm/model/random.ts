// Seeded pseudo-random streams for simulation: sfc32 (Chris Doty-Humphrey's "small fast counting" generator,
// from PractRand, which it passes) seeded through splitmix32 (the 32-bit variant of Steele, Lea & Flood,
// "Fast splittable pseudorandom number generators", OOPSLA 2014), so that every (seed, replication, stream)
// triple gives an independent-looking stream and the same triple always gives the same numbers.

export type Uniform = () => number;

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A stream of uniforms in [0, 1) for the given seed and stream path (e.g. replication, queue, purpose). */
export function stream(seed: number, ...path: number[]): Uniform {
  let h = splitmix32(seed >>> 0)();
  for (const p of path) h = splitmix32((h ^ Math.imul(p + 1, 0x27d4eb2d)) >>> 0)();
  const sm = splitmix32(h);
  let a = sm();
  let b = sm();
  let c = sm();
  let d = sm() | 1;
  const next: Uniform = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

export function exponential(u: Uniform, mean: number): number {
  return -mean * Math.log(1 - u());
}

export function standardNormal(u: Uniform): number {
  // Box–Muller; 1 − u avoids log(0).
  const r = Math.sqrt(-2 * Math.log(1 - u()));
  return r * Math.cos(2 * Math.PI * u());
}

/** Lognormal with the given mean and coefficient of variation (σ² = ln(1 + cv²), μ = ln(mean) − σ²/2). */
export function lognormal(u: Uniform, mean: number, cv: number): number {
  const s2 = Math.log(1 + cv * cv);
  return Math.exp(Math.log(mean) - s2 / 2 + Math.sqrt(s2) * standardNormal(u));
}
