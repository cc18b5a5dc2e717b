// A small seeded PRNG so that demo data is reproducible: the same seed gives the same customers.
// sfc32 ("Small Fast Chaotic", Chris Doty-Humphrey, PractRand) seeded through splitmix32; both are
// public domain and pass PractRand to well beyond what a demo generator draws.

/** 32-bit FNV-1a of a string: turns `--seed abc` into a number. */
export function hashSeed(seed: string | number): number {
  const s = String(seed);
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform 32-bit unsigned integer. */
  uint32(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

/** An independent stream for the given seed and stream name (customers, contacts …). */
export function createRng(seed: string | number, stream = ''): Rng {
  const init = splitmix32(hashSeed(`${seed}\u0000${stream}`));
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const uint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) uint32(); // discard the warm-up outputs
  const next = () => uint32() / 4294967296;
  return {
    next,
    uint32,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
  };
}

/** Weighted choice in O(log n) over precomputed cumulative weights. */
export class WeightedTable<T> {
  private readonly cumulative: number[] = [];
  private readonly total: number;
  constructor(readonly items: readonly T[], weights: readonly number[]) {
    if (items.length !== weights.length || items.length === 0) throw new Error('WeightedTable: items and weights must match');
    let sum = 0;
    for (const w of weights) {
      sum += w;
      this.cumulative.push(sum);
    }
    this.total = sum;
  }
  pick(rng: Rng): T {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo];
  }
}

/**
 * A keyed bijection on [0, 10^8): a balanced Feistel network over two base-10^4 halves, so that
 * the i-th customer's 8 phone digits look random yet never repeat within a run.
 */
export function permute1e8(i: number, keys: readonly number[]): number {
  const M = 10_000;
  let l = Math.floor(i / M) % M;
  let r = i % M;
  for (const k of keys) {
    let h = Math.imul(r ^ k, 0x9e3779b1);
    h ^= h >>> 15;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    const f = (h >>> 0) % M;
    const nl = r;
    r = (l + f) % M;
    l = nl;
  }
  return l * M + r;
}
