// Erlang C (M/M/N) and Erlang A (M/M/N+M) by exact birth-death computation.
//
// Sources:
// - N. Gans, G. Koole, A. Mandelbaum (2003), "Telephone call centers: tutorial, review, and research
//   prospects", Manufacturing & Service Operations Management 5(2):79–141 (Erlang B/C, §4.1; Erlang A, §4.2.3).
// - O. Garnett, A. Mandelbaum, M. Reiman (2002), "Designing a call center with impatient customers",
//   Manufacturing & Service Operations Management 4(3):208–227 (the M/M/N+M model, its birth-death
//   stationary distribution, waiting time of served and abandoning customers).
// - G. Koole (2013), "Call Center Optimization", MG books, ch. 5 (Erlang B recursion, Erlang C service level
//   and ASA, Erlang A).
//
// Numerics. Erlang B by the recursion B(0)=1, B(n) = a·B(n-1) / (n + a·B(n-1)), which stays in (0, 1]
// (no factorials, no overflow) and costs O(N). Erlang C from B: C = N·B / (N − a·(1 − B)).
// Erlang A: the stationary distribution relative to p_N; below N the mass is p_N·(1/B − 1) (the Erlang B
// identity), above N the weights Π_{j=1..k} λ / (Nμ + jθ) are summed in log space (log-sum-exp) until the
// geometric bound on the rest is below 1e-20 of the largest, so
// loads of thousands of Erlangs and N up to 10,000 neither overflow nor underflow.
//
// Erlang A service level (derivation, see docs/wfm-models.md): an arrival that finds m ≥ 0 callers
// waiting (state N+m) reaches an agent after V = Σ_{i=0..m} Exp(Nμ + iθ) (each stage ends when an agent
// frees up or one of the i callers ahead abandons; callers behind do not matter under FCFS), unless its
// own patience τ ~ Exp(θ) runs out first. P(answered within T | m) = E[e^{−θV}; V ≤ T]. Exponential
// tilting gives E[e^{−θV}; V ≤ T] = w_m · P(V' ≤ T) with w_m = Π_{i=0..m} (Nμ+iθ)/(Nμ+(i+1)θ) (= P(served | m))
// and V' = Σ_{j=1..m+1} Exp(Nμ + jθ), whose density is ∝ e^{−(Nμ+θ)t}(1 − e^{−θt})^m, so with x = e^{−θT}
// and α = Nμ/θ + 1: P(V' ≤ T) = 1 − I_x(α, m+1) (regularised incomplete beta), and for integer second
// argument I_x(α, m+1) = Σ_{j=0..m} x^α·Γ(α+j)/(Γ(α)·j!)·(1−x)^j, accumulated across m in one pass.

/** Per-interval load: arrivals in the interval, its length, mean handle time. */
export type ErlangInput = {
  /** Arrivals per interval. */
  calls: number;
  intervalMinutes: number;
  ahtSeconds: number;
  /** Agents (servers) N ≥ 1 (whole number). */
  agents: number;
  /** Service-level threshold T in seconds. */
  targetSeconds: number;
  /** Mean patience (exponential); omitted or null → Erlang C (infinitely patient callers). */
  patienceSeconds?: number | null;
};

export type ErlangResult = {
  model: 'erlang-c' | 'erlang-a';
  agents: number;
  /** Offered load a = λ·AHT in Erlangs. */
  load: number;
  /** P(an arrival waits) = P(all agents busy on arrival). */
  pWait: number;
  /** P(an arrival is answered within T); with patience, abandoning callers are not answered. */
  serviceLevel: number;
  /** Mean time in queue over all arrivals (seconds); Infinity for an unstable Erlang C queue. */
  asa: number;
  /** Mean fraction of agents busy. */
  occupancy: number;
  /** P(an arrival abandons); 0 for Erlang C. */
  pAbandon: number;
  /** false when Erlang C with a ≥ N (queue grows without bound). */
  stable: boolean;
};

/** Offered load in Erlangs. */
export function offeredLoad(calls: number, intervalMinutes: number, ahtSeconds: number): number {
  return (calls * ahtSeconds) / (intervalMinutes * 60);
}

/** Erlang B blocking probability B(N, a) by the full recursion from B(0) = 1 (O(N)). */
export function erlangBFull(agents: number, load: number): number {
  let b = 1;
  for (let n = 1; n <= agents; n++) b = (load * b) / (n + load * b);
  return b;
}

/**
 * Where the Erlang B recursion may start, and the value to start from: for a large load, n0 = a − 9√a with
 * B(n0) ≈ 1 − n0/a (the recursion's fixed point below a). The map B ↦ aB/(n + aB) has slope ≈ n/a below a
 * and ≈ a/n above, so a starting error shrinks by ∏ n/a ≈ e^{−81/2} ≈ 1e-18 before n reaches a: the result
 * equals the full recursion to double precision for n ≥ a (tested), in O(√a) steps instead of O(a).
 */
export function erlangBStart(load: number): { n0: number; b0: number } {
  const n0 = Math.floor(load - 9 * Math.sqrt(load));
  if (load < 200 || n0 < 1) return { n0: 0, b0: 1 };
  return { n0, b0: 1 - n0 / load };
}

/** Erlang B blocking probability B(N, a) by the stable recursion (started at erlangBStart for large loads). */
export function erlangB(agents: number, load: number): number {
  // The contraction has done its work by n ≈ a; below that, the full recursion.
  if (agents < load) return erlangBFull(agents, load);
  const { n0, b0 } = erlangBStart(load);
  let b = b0;
  for (let n = n0 + 1; n <= agents; n++) b = (load * b) / (n + load * b);
  return b;
}

/** Erlang C P(wait) from Erlang B; 1 when a ≥ N. */
export function erlangCFromB(agents: number, load: number, b: number): number {
  if (load >= agents) return 1;
  const c = (agents * b) / (agents - load * (1 - b));
  return Math.min(1, Math.max(0, c));
}

/** Erlang C probability of waiting C(N, a). */
export function erlangC(agents: number, load: number): number {
  return erlangCFromB(agents, load, erlangB(agents, load));
}

/** Erlang C measures for N agents given B(N, a) (lets a staffing search reuse the recursion). */
export function erlangCMeasures(agents: number, load: number, ahtSeconds: number, targetSeconds: number, b: number): ErlangResult {
  if (load <= 0) return { model: 'erlang-c', agents, load: 0, pWait: 0, serviceLevel: 1, asa: 0, occupancy: 0, pAbandon: 0, stable: true };
  if (load >= agents) {
    return { model: 'erlang-c', agents, load, pWait: 1, serviceLevel: 0, asa: Number.POSITIVE_INFINITY, occupancy: 1, pAbandon: 0, stable: false };
  }
  const pWait = erlangCFromB(agents, load, b);
  const serviceLevel = 1 - pWait * Math.exp((-(agents - load) * targetSeconds) / ahtSeconds);
  const asa = (pWait * ahtSeconds) / (agents - load);
  return { model: 'erlang-c', agents, load, pWait, serviceLevel: clamp01(serviceLevel), asa, occupancy: load / agents, pAbandon: 0, stable: true };
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** Most terms of the waiting part of the Erlang A chain summed (guards against absurd inputs). */
const MAX_QUEUE_TERMS = 20_000_000;
/** Scratch space for the queue's log weights (reused; grown by doubling). */
let logWeightBuffer = new Float64Array(4096);
/** The queue's tail is dropped once it is provably below e^-46 ≈ 1e-20 of the largest term. */
const LOG_TAIL = -46;

/**
 * Erlang A (M/M/N+M) measures. λ, μ, θ per second; b = B(N, a) from the Erlang B recursion.
 * Exact stationary distribution of the birth-death chain (truncated where terms fall below
 * double precision relative to the largest).
 */
export function erlangAMeasures(
  agents: number,
  load: number,
  ahtSeconds: number,
  targetSeconds: number,
  patienceSeconds: number,
  b: number,
): ErlangResult {
  if (load <= 0) return { model: 'erlang-a', agents, load: 0, pWait: 0, serviceLevel: 1, asa: 0, occupancy: 0, pAbandon: 0, stable: true };
  const mu = 1 / ahtSeconds;
  const lambda = load * mu;
  const theta = 1 / patienceSeconds;
  const nMu = agents * mu;
  // Weights relative to p_N: below N, Σ_{n<N} = 1/B − 1 (log form); queue part in logs.
  // log of Σ_{n<N} p_n / p_N:
  const logBelow = b > 0 ? Math.log1p(-b) - Math.log(b) : Number.POSITIVE_INFINITY;
  if (!Number.isFinite(logBelow)) {
    // B underflowed: P(all busy) < 1e-308, nobody waits.
    return { model: 'erlang-a', agents, load, pWait: 0, serviceLevel: 1, asa: 0, occupancy: load / agents, pAbandon: 0, stable: true };
  }
  // First pass: log weights of states N+k, k ≥ 0 (k = callers waiting), and their maximum.
  let logW = logWeightBuffer;
  logW[0] = 0;
  let len = 1;
  let lw = 0;
  let maxLog = Math.max(0, logBelow);
  for (let k = 1; k < MAX_QUEUE_TERMS; k++) {
    lw += Math.log(lambda / (nMu + k * theta));
    if (len === logW.length) {
      const grown = new Float64Array(logW.length * 2);
      grown.set(logW);
      logW = logWeightBuffer = grown;
    }
    logW[len++] = lw;
    if (lw > maxLog) maxLog = lw;
    // Past the peak the ratio r = λ/(Nμ+kθ) < 1 only falls, so the tail is below term·1/(1−r):
    // stop when that bound is under e^-46 (1e-20) of the largest term.
    const r = lambda / (nMu + (k + 1) * theta);
    if (r < 1 && lw - maxLog - Math.log1p(-r) < LOG_TAIL) break;
  }
  // Normalisation.
  let z = Math.exp(logBelow - maxLog);
  for (let k = 0; k < len; k++) z += Math.exp(logW[k] - maxLog);
  const logZ = maxLog + Math.log(z);
  // Second pass: P(wait), E[Q], P(abandon), P(answered within T).
  const logX = -theta * targetSeconds; // log x, x = e^{−θT}
  const oneMinusX = -Math.expm1(logX);
  const alpha = nMu / theta + 1;
  const logOneMinusX = oneMinusX > 0 ? Math.log(oneMinusX) : Number.NEGATIVE_INFINITY;
  let pWait = 0;
  let eQ = 0;
  let pServedGivenWait = 0; // Σ p_{N+m} w_m
  let pWithinGivenWait = 0; // Σ p_{N+m} w_m (1 − I_x(α, m+1))
  let logServe = 0; // log w_m
  let logTerm = alpha * logX; // log of x^α Γ(α+j)/(Γ(α) j!) (1−x)^j at j = m
  let incBeta = 0; // I_x(α, m+1)
  for (let m = 0; m < len; m++) {
    const p = Math.exp(logW[m] - logZ);
    pWait += p;
    eQ += m * p;
    logServe += -Math.log1p(theta / (nMu + m * theta));
    if (m > 0) logTerm += Math.log((alpha + m - 1) / m) + logOneMinusX;
    incBeta += Math.exp(logTerm);
    if (p === 0) continue;
    const w = Math.exp(logServe);
    pServedGivenWait += p * w;
    pWithinGivenWait += p * w * Math.max(0, 1 - Math.min(1, incBeta));
  }
  const pBelow = Math.exp(logBelow - logZ);
  const pAbandon = clamp01(pWait - pServedGivenWait);
  const serviceLevel = clamp01(pBelow + pWithinGivenWait);
  // Little's law on the queue: E[Q] = λ·E[time in queue], over all arrivals.
  const asa = eQ / lambda;
  const occupancy = Math.min(1, (load * (1 - pAbandon)) / agents);
  return { model: 'erlang-a', agents, load, pWait: clamp01(pWait), serviceLevel, asa, occupancy, pAbandon, stable: true };
}

/** Evaluates N agents: Erlang C, or Erlang A when a patience is given. */
export function evaluateErlang(input: ErlangInput): ErlangResult {
  const { calls, intervalMinutes, ahtSeconds, agents, targetSeconds } = input;
  if (!(agents >= 1) || !Number.isInteger(agents)) throw new RangeError('agents must be a whole number ≥ 1');
  if (!(ahtSeconds > 0) || !(intervalMinutes > 0) || !(calls >= 0) || !(targetSeconds >= 0)) {
    throw new RangeError('calls ≥ 0, intervalMinutes > 0, ahtSeconds > 0, targetSeconds ≥ 0 required');
  }
  const load = offeredLoad(calls, intervalMinutes, ahtSeconds);
  const b = erlangB(agents, load);
  const patience = input.patienceSeconds;
  if (patience != null) {
    if (!(patience > 0)) throw new RangeError('patienceSeconds must be > 0');
    return erlangAMeasures(agents, load, ahtSeconds, targetSeconds, patience, b);
  }
  return erlangCMeasures(agents, load, ahtSeconds, targetSeconds, b);
}
