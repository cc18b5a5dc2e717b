// Staffing: the fewest agents meeting a service-level target, an ASA target and a maximum occupancy,
// then shrinkage. Erlang C / Erlang A from ./erlang.ts.
//
// Sources: Gans, Koole & Mandelbaum (2003) §4 (square-root staffing and the monotonicity of service
// level, ASA and occupancy in N); Koole (2013) "Call Center Optimization" ch. 5 (staffing to a service
// level; scheduled agents = agents / (1 − shrinkage)).
//
// Search. Erlang C: every measure is monotone in N, so step up from the least stable N = ⌊a⌋+1 (or the
// occupancy bound ⌈a/ρmax⌉), continuing the Erlang B recursion: O(N) in total for the whole search.
// Erlang A: service level is increasing and ASA decreasing in N (Garnett et al. 2002), so a binary search
// between a lower bound and a doubling upper bound.
import { erlangAMeasures, erlangB, erlangBStart, erlangCMeasures, offeredLoad, type ErlangResult } from './erlang.ts';

export type StaffingTarget = {
  /** Service-level threshold T (seconds). */
  targetSeconds: number;
  /** Required fraction answered within T (0–1), e.g. 0.8. Omit for none. */
  serviceLevel?: number;
  /** Required mean time in queue over all arrivals (seconds). Omit for none. */
  asaSeconds?: number;
  /** Maximum occupancy (0–1], e.g. 0.85. Omit for none. */
  maxOccupancy?: number;
  /** Shrinkage (0–1): breaks, training, absence; scheduled = ⌈agents / (1 − shrinkage)⌉. */
  shrinkage?: number;
  /** Exponential patience mean (seconds) → Erlang A; omitted/null → Erlang C. */
  patienceSeconds?: number | null;
  /** Upper limit on agents searched (default 100,000). */
  maxAgents?: number;
};

export type IntervalLoad = { calls: number; intervalMinutes: number; ahtSeconds: number };

export type StaffingResult = ErlangResult & {
  /** Scheduled agents after shrinkage. */
  scheduledAgents: number;
  /** false when no N ≤ maxAgents meets the targets (the result then describes maxAgents). */
  feasible: boolean;
};

function meets(r: ErlangResult, t: StaffingTarget): boolean {
  if (!r.stable) return false;
  if (t.serviceLevel != null && r.serviceLevel < t.serviceLevel - 1e-12) return false;
  if (t.asaSeconds != null && r.asa > t.asaSeconds + 1e-12) return false;
  if (t.maxOccupancy != null && r.occupancy > t.maxOccupancy + 1e-12) return false;
  return true;
}

export function scheduledFromAgents(agents: number, shrinkage: number | undefined): number {
  const s = shrinkage ?? 0;
  if (!(s >= 0 && s < 1)) throw new RangeError('shrinkage must be in [0, 1)');
  // Round away floating noise (14 / 0.7 = 20.000000000000004).
  if (agents === 0) return 0;
  return Math.ceil(agents / (1 - s) - 1e-9);
}

function validate(t: StaffingTarget): void {
  if (!(t.targetSeconds >= 0)) throw new RangeError('targetSeconds must be ≥ 0');
  if (t.serviceLevel != null && !(t.serviceLevel >= 0 && t.serviceLevel < 1)) throw new RangeError('serviceLevel must be in [0, 1)');
  if (t.maxOccupancy != null && !(t.maxOccupancy > 0 && t.maxOccupancy <= 1)) throw new RangeError('maxOccupancy must be in (0, 1]');
  if (t.asaSeconds != null && !(t.asaSeconds > 0)) throw new RangeError('asaSeconds must be > 0');
  if (t.patienceSeconds != null && !(t.patienceSeconds > 0)) throw new RangeError('patienceSeconds must be > 0');
}

function withShrink(r: ErlangResult, feasible: boolean, shrinkage: number | undefined): StaffingResult {
  return {
    model: r.model,
    agents: r.agents,
    load: r.load,
    pWait: r.pWait,
    serviceLevel: r.serviceLevel,
    asa: r.asa,
    occupancy: r.occupancy,
    pAbandon: r.pAbandon,
    stable: r.stable,
    scheduledAgents: scheduledFromAgents(r.agents, shrinkage),
    feasible,
  };
}

function evalA(n: number, a: number, ahtSeconds: number, targetSeconds: number, patience: number): ErlangResult {
  return erlangAMeasures(n, a, ahtSeconds, targetSeconds, patience, erlangB(n, a));
}

/** Minimum agents for one interval meeting every target given. 0 calls → 0 agents. */
export function staffInterval(load: IntervalLoad, target: StaffingTarget): StaffingResult {
  validate(target);
  return staffValidated(load, target);
}

function staffValidated(load: IntervalLoad, target: StaffingTarget): StaffingResult {
  const { calls, intervalMinutes, ahtSeconds } = load;
  if (!(calls >= 0) || !(intervalMinutes > 0) || !(ahtSeconds > 0)) throw new RangeError('calls ≥ 0, intervalMinutes > 0, ahtSeconds > 0 required');
  const a = offeredLoad(calls, intervalMinutes, ahtSeconds);
  const maxAgents = target.maxAgents ?? 100_000;
  if (a === 0) {
    return withShrink({ model: target.patienceSeconds != null ? 'erlang-a' : 'erlang-c', agents: 0, load: 0, pWait: 0, serviceLevel: 1, asa: 0, occupancy: 0, pAbandon: 0, stable: true }, true, target.shrinkage);
  }
  const occFloor = target.maxOccupancy != null ? Math.max(1, Math.ceil(a / target.maxOccupancy - 1e-9)) : 1;
  if (target.patienceSeconds == null) {
    // Erlang C: step up continuing the Erlang B recursion.
    const start = Math.max(occFloor, Math.floor(a) + 1);
    let { n0, b0: b } = erlangBStart(a);
    if (start - 1 <= n0) {
      n0 = 0;
      b = 1;
    }
    for (let n = n0 + 1; n < start; n++) b = (a * b) / (n + a * b);
    // Inline check (the same formulas as erlangCMeasures) so the loop allocates nothing.
    const sl = target.serviceLevel;
    const asaT = target.asaSeconds;
    const occ = target.maxOccupancy;
    const T = target.targetSeconds;
    for (let n = start; n <= maxAgents; n++) {
      b = (a * b) / (n + a * b);
      const c = (n * b) / (n - a * (1 - b));
      if (sl != null && 1 - c * Math.exp((-(n - a) * T) / ahtSeconds) < sl - 1e-12) continue;
      if (asaT != null && (c * ahtSeconds) / (n - a) > asaT + 1e-12) continue;
      if (occ != null && a / n > occ + 1e-12) continue;
      const r = erlangCMeasures(n, a, ahtSeconds, T, b);
      if (meets(r, target)) return withShrink(r, true, target.shrinkage);
    }
    return withShrink(erlangCMeasures(maxAgents, a, ahtSeconds, T, erlangB(maxAgents, a)), false, target.shrinkage);
  }
  // Erlang A: binary search (monotone measures).
  const patience = target.patienceSeconds;
  const T = target.targetSeconds;
  let lo = occFloor; // candidate lower bound (may itself meet)
  let first = evalA(lo, a, ahtSeconds, T, patience);
  if (meets(first, target)) return withShrink(first, true, target.shrinkage);
  let hi = Math.max(lo + 1, Math.ceil(a) + 1);
  let hiRes = evalA(Math.min(hi, maxAgents), a, ahtSeconds, T, patience);
  while (!meets(hiRes, target)) {
    if (hi >= maxAgents) return withShrink(hiRes, false, target.shrinkage);
    lo = hi;
    hi = Math.min(maxAgents, hi * 2);
    hiRes = evalA(hi, a, ahtSeconds, T, patience);
  }
  // invariant: lo fails, hi meets
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    const r = evalA(mid, a, ahtSeconds, T, patience);
    if (meets(r, target)) {
      hi = mid;
      hiRes = r;
    } else lo = mid;
  }
  first = hiRes;
  return withShrink(first, true, target.shrinkage);
}

/** Minimum agents per interval (vectorised over many intervals, one target). */
export function staffIntervals(intervals: readonly IntervalLoad[], target: StaffingTarget): StaffingResult[] {
  const out: StaffingResult[] = new Array<StaffingResult>(intervals.length);
  validate(target);
  for (let i = 0; i < intervals.length; i++) out[i] = staffValidated(intervals[i], target);
  return out;
}

/**
 * Agents per day and interval for a forecast grid (e.g. `Forecast.mean`), with one AHT or an AHT grid of
 * the same shape (e.g. `AhtForecast.ahtSeconds`).
 */
export function staffGrid(
  calls: readonly (readonly number[])[],
  ahtSeconds: number | readonly (readonly number[])[],
  intervalMinutes: number,
  target: StaffingTarget,
): StaffingResult[][] {
  validate(target);
  return calls.map((row, i) =>
    row.map((c, j) => staffValidated({ calls: c, intervalMinutes, ahtSeconds: typeof ahtSeconds === 'number' ? ahtSeconds : ahtSeconds[i][j] }, target)),
  );
}
