// Confidence intervals across independent replications: mean ± t(0.975, n−1) · s / √n (Law & Kelton,
// "Simulation Modeling and Analysis", 5th ed., §4.5 and §9.4.1). The t quantiles are the published
// two-sided 95% values (NIST/SEMATECH e-Handbook of Statistical Methods, §1.3.6.7.2, table of the
// t distribution); between tabulated degrees of freedom they are interpolated linearly in 1/df.

const T975: ReadonlyArray<readonly [number, number]> = [
  [1, 12.706], [2, 4.303], [3, 3.182], [4, 2.776], [5, 2.571], [6, 2.447], [7, 2.365], [8, 2.306], [9, 2.262], [10, 2.228],
  [11, 2.201], [12, 2.179], [13, 2.16], [14, 2.145], [15, 2.131], [16, 2.12], [17, 2.11], [18, 2.101], [19, 2.093], [20, 2.086],
  [21, 2.08], [22, 2.074], [23, 2.069], [24, 2.064], [25, 2.06], [26, 2.056], [27, 2.052], [28, 2.048], [29, 2.045], [30, 2.042],
  [40, 2.021], [50, 2.009], [60, 2.0], [80, 1.99], [100, 1.984], [120, 1.98],
];

/** Two-sided 95% Student t quantile t(0.975, df). */
export function tQuantile975(df: number): number {
  if (!(df >= 1)) throw new RangeError('degrees of freedom must be ≥ 1');
  const last = T975[T975.length - 1];
  if (df >= last[0]) {
    // between 120 and ∞ (1.960), linear in 1/df
    const w = last[0] / df;
    return 1.96 + (last[1] - 1.96) * w;
  }
  for (let i = 0; i < T975.length; i++) {
    const [d, t] = T975[i];
    if (df === d) return t;
    if (df < d) {
      const [d0, t0] = T975[i - 1];
      const w = (1 / df - 1 / d) / (1 / d0 - 1 / d);
      return t + (t0 - t) * w;
    }
  }
  return 1.96;
}

export interface MeanCi {
  mean: number;
  /** [lo, hi], or null with fewer than two replications. */
  ci95: [number, number] | null;
  halfWidth: number | null;
}

/** `range`: the values the quantity can take (a probability: [0, 1]); the interval is clipped to it,
 *  since a t interval on a few replications can otherwise reach past 100%. */
export function meanCi95(xs: readonly number[], range: readonly [number, number] = [-Infinity, Infinity]): MeanCi {
  const n = xs.length;
  if (n === 0) return { mean: Number.NaN, ci95: null, halfWidth: null };
  let mean = 0;
  for (const x of xs) mean += x;
  mean /= n;
  if (n < 2) return { mean, ci95: null, halfWidth: null };
  let ss = 0;
  for (const x of xs) ss += (x - mean) * (x - mean);
  const h = (tQuantile975(n - 1) * Math.sqrt(ss / (n - 1))) / Math.sqrt(n);
  return { mean, ci95: [Math.max(range[0], mean - h), Math.min(range[1], mean + h)], halfWidth: h };
}
