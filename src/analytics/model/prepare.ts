// Validation and compaction of repeat-purchase summaries shared by BG/NBD and Pareto/NBD: every row is checked once,
// and x, T, tx are replaced by indexes into their distinct values, so a log-likelihood evaluation computes each
// ln Γ, ln(α+T), 2F1, … once per distinct value instead of once per row.
import { ModelFitError, type RepeatSummary } from './types.ts';

export interface PreparedRepeat {
  rows: number;
  /** Σ count. */
  customers: number;
  repeatBuyers: number;
  w: Float64Array;
  xi: Int32Array;
  Ti: Int32Array;
  txi: Int32Array;
  /** Distinct values. */
  ux: Float64Array;
  uT: Float64Array;
  utx: Float64Array;
  /** Σ count·x and Σ count·T (for data-driven starting points). */
  sumX: number;
  sumT: number;
}

function indexer(): { map: Map<number, number>; values: number[]; idx: (v: number) => number } {
  const map = new Map<number, number>();
  const values: number[] = [];
  return {
    map,
    values,
    idx(v: number): number {
      let i = map.get(v);
      if (i === undefined) {
        i = values.length;
        values.push(v);
        map.set(v, i);
      }
      return i;
    },
  };
}

export function checkRow(c: RepeatSummary, where: string): void {
  const { x, tx, T } = c;
  if (!Number.isFinite(x) || !Number.isFinite(tx) || !Number.isFinite(T)) {
    throw new ModelFitError('invalid_input', `${where}: x, tx and T must be finite numbers`);
  }
  if (x < 0 || tx < 0 || T < 0) throw new ModelFitError('invalid_input', `${where}: x, tx and T must be ≥ 0`);
  if (tx > T * (1 + 1e-12) + 1e-12) throw new ModelFitError('invalid_input', `${where}: tx (${tx}) exceeds T (${T})`);
  if (c.count !== undefined && (!Number.isFinite(c.count) || c.count < 0)) {
    throw new ModelFitError('invalid_input', `${where}: count must be a finite number ≥ 0`);
  }
}

/** x = 0 rows have no recency: tx is taken as 0 for them. */
export function prepareRepeat(data: readonly RepeatSummary[]): PreparedRepeat {
  if (!Array.isArray(data) || data.length === 0) throw new ModelFitError('no_data', 'no customer summaries');
  const n = data.length;
  const w = new Float64Array(n);
  const xi = new Int32Array(n);
  const Ti = new Int32Array(n);
  const txi = new Int32Array(n);
  const X = indexer();
  const TT = indexer();
  const TX = indexer();
  let customers = 0;
  let repeatBuyers = 0;
  let sumX = 0;
  let sumT = 0;
  for (let i = 0; i < n; i++) {
    const c = data[i];
    checkRow(c, `row ${i}`);
    const cnt = c.count ?? 1;
    w[i] = cnt;
    xi[i] = X.idx(c.x);
    Ti[i] = TT.idx(c.T);
    txi[i] = TX.idx(c.x > 0 ? c.tx : 0);
    customers += cnt;
    if (c.x > 0) repeatBuyers += cnt;
    sumX += cnt * c.x;
    sumT += cnt * c.T;
  }
  if (customers <= 0) throw new ModelFitError('no_data', 'all counts are zero');
  return {
    rows: n,
    customers,
    repeatBuyers,
    w,
    xi,
    Ti,
    txi,
    ux: Float64Array.from(X.values),
    uT: Float64Array.from(TT.values),
    utx: Float64Array.from(TX.values),
    sumX,
    sumT,
  };
}

export function requirePositive(name: string, values: Record<string, number>): void {
  for (const [k, v] of Object.entries(values)) {
    if (!Number.isFinite(v) || v <= 0) throw new ModelFitError('invalid_input', `${name}: parameter ${k} must be a finite number > 0`);
  }
}

/**
 * A deterministic, unbiased subsample for screening starting points on large data: rows with count ≥ k are kept
 * whole; every k-th of the other rows is kept with its count multiplied by k (Horvitz–Thompson), so the subsampled
 * log-likelihood estimates the full one. Returns null when the data are already small.
 */
export function screeningSample(d: PreparedRepeat, targetRows = 20_000): PreparedRepeat | null {
  if (d.rows <= 2 * targetRows) return null;
  const k = Math.ceil(d.rows / targetRows);
  const out: RepeatSummary[] = [];
  let j = 0;
  for (let i = 0; i < d.rows; i++) {
    const x = d.ux[d.xi[i]];
    const row = { x, tx: d.utx[d.txi[i]], T: d.uT[d.Ti[i]] };
    if (d.w[i] >= k) out.push({ ...row, count: d.w[i] });
    else if (j++ % k === 0) out.push({ ...row, count: d.w[i] * k });
  }
  return prepareRepeat(out);
}
