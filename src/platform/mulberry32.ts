// mulberry32 (Tommy Ettinger, 2017): a small, fast 32-bit PRNG, uniform in [0, 1). Deterministic for a
// seed, so demo data, simulated data sets and randomized tests can be replayed exactly.
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
