// Erlang B/C against published tables and the reference; Erlang A against an independent
// oracle: the truncated CTMC generator solved by Gaussian elimination (stationary law) and the tagged
// caller's transient probabilities by uniformisation (answered within T), plus the exact special case
// θ = μ (number in system ~ Poisson(a), the M/M/∞ law).
import { describe, expect, it } from 'vitest';
import { erlangB, erlangBFull, erlangC, evaluateErlang, offeredLoad } from './erlang.ts';
import { staffGrid, staffInterval, staffIntervals } from './staffing.ts';

/** Stationary law of the M/M/N+M birth-death chain truncated at K states, by Gaussian elimination on πQ = 0. */
function ctmcStationary(N: number, lambda: number, mu: number, theta: number, K: number): number[] {
  // Build Q^T with the last equation replaced by Σπ = 1.
  const A: number[][] = Array.from({ length: K }, () => new Array<number>(K + 1).fill(0));
  const death = (n: number) => Math.min(n, N) * mu + Math.max(n - N, 0) * theta;
  for (let i = 0; i < K; i++) {
    const up = i < K - 1 ? lambda : 0;
    const down = i > 0 ? death(i) : 0;
    // column i of Q: Q[i][i] = −(up+down); Q[i][i+1] = up; Q[i][i−1] = down → (Q^T)[j][i]
    A[i][i] -= up + down;
    if (i < K - 1) A[i + 1][i] += up;
    if (i > 0) A[i - 1][i] += down;
  }
  for (let j = 0; j <= K; j++) A[K - 1][j] = j < K ? 1 : 1;
  // Gaussian elimination with partial pivoting.
  for (let c = 0; c < K; c++) {
    let p = c;
    for (let r = c + 1; r < K; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
    [A[c], A[p]] = [A[p], A[c]];
    for (let r = 0; r < K; r++) {
      if (r === c) continue;
      const f = A[r][c] / A[c][c];
      if (f === 0) continue;
      for (let j = c; j <= K; j++) A[r][j] -= f * A[c][j];
    }
  }
  return A.map((row, i) => row[K] / row[i]);
}

/**
 * Tagged caller arriving with m callers ahead: P(answered within T) by uniformisation of the chain
 * (j ahead → j−1 at Nμ+jθ; head of line → served at Nμ; own abandonment at θ).
 */
function taggedAnsweredWithin(m: number, N: number, mu: number, theta: number, T: number): number {
  const L = N * mu + m * theta + theta; // ≥ every total exit rate
  // states 0..m (number ahead), served (index m+1), abandoned absorbed implicitly (mass lost).
  let v = new Array<number>(m + 2).fill(0);
  v[m] = 1;
  let served = 0;
  let poisson = Math.exp(-L * T);
  let cumPoisson = poisson;
  // served mass after k jumps, weighted by Poisson(LT) probabilities of ≥ k jumps: accumulate via the DTMC.
  let k = 0;
  let servedAtK = 0;
  let result = poisson * servedAtK;
  while (cumPoisson < 1 - 1e-15 && k < 100000) {
    const next = new Array<number>(m + 2).fill(0);
    next[m + 1] = v[m + 1];
    for (let j = 0; j <= m; j++) {
      if (v[j] === 0) continue;
      const down = N * mu + j * theta;
      const out = down + theta;
      next[j] += v[j] * (1 - out / L);
      if (j === 0) next[m + 1] += (v[j] * N * mu) / L;
      else next[j - 1] += (v[j] * down) / L;
    }
    v = next;
    k++;
    poisson *= (L * T) / k;
    cumPoisson += poisson;
    servedAtK = v[m + 1];
    result += poisson * servedAtK;
  }
  served = result;
  return served;
}

/** Tagged caller with m ahead: P(ever served), by iterating the embedded jump chain to absorption. */
function taggedServedEver(m: number, N: number, mu: number, theta: number): number {
  let v = new Array<number>(m + 1).fill(0);
  v[m] = 1;
  let served = 0;
  for (let step = 0; step <= m; step++) {
    const next = new Array<number>(m + 1).fill(0);
    for (let j = 0; j <= m; j++) {
      if (v[j] === 0) continue;
      const down = N * mu + j * theta;
      const pDown = down / (down + theta);
      if (j === 0) served += v[j] * pDown;
      else next[j - 1] += v[j] * pDown;
    }
    v = next;
  }
  return served;
}

describe('Erlang B and C (published tables)', () => {
  it('Erlang B table values', () => {
    expect(erlangB(1, 1)).toBeCloseTo(0.5, 12);
    expect(erlangB(5, 2)).toBeCloseTo(0.0367, 4);
    expect(erlangB(10, 5)).toBeCloseTo(0.01838, 5);
    // Erlang B table, 1% grade of service: N → A
    for (const [n, a] of [
      [10, 4.461],
      [20, 12.031],
      [50, 37.901],
      [100, 84.064],
    ] as const) {
      expect(Math.abs(erlangB(n, a) - 0.01)).toBeLessThan(0.0002);
    }
  });

  it('Erlang C: C(10, 5) = 0.0361; issue reference 100 calls/30 min, AHT 180 s, 80/20, 85%, 30% shrinkage', () => {
    expect(erlangC(10, 5)).toBeCloseTo(0.0361, 4);
    const r = staffInterval({ calls: 100, intervalMinutes: 30, ahtSeconds: 180 }, { targetSeconds: 20, serviceLevel: 0.8, maxOccupancy: 0.85, shrinkage: 0.3 });
    expect(r.agents).toBe(14);
    expect(r.scheduledAgents).toBe(20);
    expect(r.serviceLevel).toBeCloseTo(0.888, 3);
    expect(r.occupancy).toBeCloseTo(0.714, 3);
    expect(r.pWait).toBeCloseTo(0.174, 3);
    // 13 agents miss 80/20 (0.796)
    expect(evaluateErlang({ calls: 100, intervalMinutes: 30, ahtSeconds: 180, agents: 13, targetSeconds: 20 }).serviceLevel).toBeLessThan(0.8);
  });

  it('occupancy cap and ASA target bind', () => {
    // 10 Erlangs, cap 60% → at least 17 agents
    expect(staffInterval({ calls: 100, intervalMinutes: 30, ahtSeconds: 180 }, { targetSeconds: 20, serviceLevel: 0.8, maxOccupancy: 0.6 }).agents).toBe(17);
    const asa = staffInterval({ calls: 100, intervalMinutes: 30, ahtSeconds: 180 }, { targetSeconds: 20, asaSeconds: 5 });
    expect(asa.asa).toBeLessThanOrEqual(5);
    expect(evaluateErlang({ calls: 100, intervalMinutes: 30, ahtSeconds: 180, agents: asa.agents - 1, targetSeconds: 20 }).asa).toBeGreaterThan(5);
  });

  it('the O(√a) start of the Erlang B recursion equals the full recursion from B(0) = 1', () => {
    for (let a = 150; a < 12000; a *= 1.13) {
      for (const n of [Math.floor(a / 2), Math.ceil(a), Math.ceil(a) + 2, Math.ceil(a + Math.sqrt(a)), Math.ceil(1.25 * a)]) {
        const full = erlangBFull(n, a);
        expect(Math.abs(erlangB(n, a) - full) / full).toBeLessThan(1e-13);
      }
    }
  });

  it('stable at 10,000 agents and thousands of Erlangs: finite and monotone', () => {
    const calls = 9900 * 6; // 9,900 Erlangs at AHT 300 s per 30 min = 59,400 calls
    const a = offeredLoad(calls, 30, 300);
    expect(a).toBeCloseTo(9900, 9);
    let prevSl = -1;
    let prevAsa = Number.POSITIVE_INFINITY;
    for (let n = 9901; n <= 10000; n++) {
      const r = evaluateErlang({ calls, intervalMinutes: 30, ahtSeconds: 300, agents: n, targetSeconds: 20 });
      for (const v of [r.pWait, r.serviceLevel, r.asa, r.occupancy]) expect(Number.isFinite(v)).toBe(true);
      expect(r.serviceLevel).toBeGreaterThanOrEqual(prevSl);
      expect(r.asa).toBeLessThanOrEqual(prevAsa);
      prevSl = r.serviceLevel;
      prevAsa = r.asa;
    }
    const s = staffInterval({ calls, intervalMinutes: 30, ahtSeconds: 300 }, { targetSeconds: 20, serviceLevel: 0.8 });
    expect(s.agents).toBeGreaterThan(9900);
    expect(s.agents).toBeLessThan(10000);
    // Square-root staffing sanity (Gans et al. 2003): N ≈ a + β√a with β ≈ 0.1–0.5 for 80/20 at this scale.
    expect((s.agents - 9900) / Math.sqrt(9900)).toBeLessThan(0.5);
    // Erlang A at 10,000 agents, overloaded and underloaded
    for (const n of [5000, 9900, 10000]) {
      const r = evaluateErlang({ calls: 12000 * 6, intervalMinutes: 30, ahtSeconds: 300, agents: n, targetSeconds: 20, patienceSeconds: 90 });
      for (const v of [r.pWait, r.serviceLevel, r.asa, r.occupancy, r.pAbandon]) expect(Number.isFinite(v)).toBe(true);
    }
    // Light load, many agents: no NaN when B underflows
    const light = evaluateErlang({ calls: 10, intervalMinutes: 30, ahtSeconds: 300, agents: 10000, targetSeconds: 20, patienceSeconds: 90 });
    expect(light.serviceLevel).toBe(1);
    expect(light.pWait).toBe(0);
  });
});

describe('Erlang A (M/M/N+M) against an independent CTMC oracle', () => {
  const cases = [
    { N: 5, a: 4.5, aht: 180, patience: 120, T: 20 },
    { N: 10, a: 12, aht: 240, patience: 60, T: 30 },
    { N: 3, a: 1.2, aht: 300, patience: 600, T: 60 },
    { N: 8, a: 8, aht: 120, patience: 30, T: 10 },
  ];
  for (const c of cases) {
    it(`N=${c.N}, a=${c.a}, patience ${c.patience} s, T=${c.T} s`, () => {
      const mu = 1 / c.aht;
      const lambda = c.a * mu;
      const theta = 1 / c.patience;
      const K = 260;
      const pi = ctmcStationary(c.N, lambda, mu, theta, K);
      let pWait = 0;
      let eQ = 0;
      let sl = 0;
      let pServed = 0;
      for (let n = 0; n < K; n++) {
        if (n < c.N) {
          sl += pi[n];
          pServed += pi[n];
          continue;
        }
        const m = n - c.N;
        pWait += pi[n];
        eQ += m * pi[n];
        if (pi[n] > 1e-14) {
          sl += pi[n] * taggedAnsweredWithin(m, c.N, mu, theta, c.T);
          pServed += pi[n] * taggedServedEver(m, c.N, mu, theta);
        }
      }
      const r = evaluateErlang({ calls: lambda * 1800, intervalMinutes: 30, ahtSeconds: c.aht, agents: c.N, targetSeconds: c.T, patienceSeconds: c.patience });
      expect(r.pWait).toBeCloseTo(pWait, 9);
      expect(r.asa).toBeCloseTo(eQ / lambda, 6);
      expect(r.serviceLevel).toBeCloseTo(sl, 8);
      expect(r.pAbandon).toBeCloseTo(1 - pServed, 8);
      // Abandonment flow balance: λ·P(ab) = θ·E[Q]
      expect(r.pAbandon).toBeCloseTo((theta * eQ) / lambda, 9);
    });
  }

  it('θ = μ: number in system is Poisson(a) (M/M/∞ law)', () => {
    const a = 7.3;
    const N = 9;
    const r = evaluateErlang({ calls: a * 10, intervalMinutes: 30, ahtSeconds: 180, agents: N, targetSeconds: 15, patienceSeconds: 180 });
    let p = Math.exp(-a);
    let below = 0;
    let eQ = 0;
    for (let n = 0; n < 200; n++) {
      if (n < N) below += p;
      else eQ += (n - N) * p;
      p *= a / (n + 1);
    }
    expect(r.pWait).toBeCloseTo(1 - below, 12);
    expect(r.asa).toBeCloseTo((eQ / a) * 180, 8);
  });

  it('patience → ∞ tends to Erlang C', () => {
    const c = evaluateErlang({ calls: 100, intervalMinutes: 30, ahtSeconds: 180, agents: 12, targetSeconds: 20 });
    const a = evaluateErlang({ calls: 100, intervalMinutes: 30, ahtSeconds: 180, agents: 12, targetSeconds: 20, patienceSeconds: 1e9 });
    expect(a.serviceLevel).toBeCloseTo(c.serviceLevel, 6);
    expect(a.pWait).toBeCloseTo(c.pWait, 6);
    expect(a.asa).toBeCloseTo(c.asa, 3);
  });

  it('staffing with patience: minimal N, service level monotone in N', () => {
    const load = { calls: 400, intervalMinutes: 30, ahtSeconds: 240 };
    const target = { targetSeconds: 20, serviceLevel: 0.85, patienceSeconds: 90 };
    const r = staffInterval(load, target);
    expect(r.serviceLevel).toBeGreaterThanOrEqual(0.85);
    const below = evaluateErlang({ ...load, agents: r.agents - 1, targetSeconds: 20, patienceSeconds: 90 });
    expect(below.serviceLevel).toBeLessThan(0.85);
    let prev = 0;
    for (let n = 1; n <= 120; n++) {
      const s = evaluateErlang({ ...load, agents: n, targetSeconds: 20, patienceSeconds: 90 }).serviceLevel;
      expect(s).toBeGreaterThanOrEqual(prev - 1e-12);
      prev = s;
    }
    // Patience helps: never more agents than Erlang C for the same target.
    expect(r.agents).toBeLessThanOrEqual(staffInterval(load, { targetSeconds: 20, serviceLevel: 0.85 }).agents);
  });

  it('staffGrid: per-day, per-interval agents from a forecast grid and an AHT grid', () => {
    const g = staffGrid([[100, 0], [50, 100]], [[180, 180], [360, 180]], 30, { targetSeconds: 20, serviceLevel: 0.8, maxOccupancy: 0.85, shrinkage: 0.3 });
    // 50 calls × 360 s = 100 calls × 180 s (10 Erlangs) but the longer AHT makes the 20 s threshold easier
    expect(g.map((r) => r.map((x) => x.agents))).toEqual([
      [14, 0],
      [staffInterval({ calls: 50, intervalMinutes: 30, ahtSeconds: 360 }, { targetSeconds: 20, serviceLevel: 0.8, maxOccupancy: 0.85 }).agents, 14],
    ]);
    expect(g[1][0].agents).toBeLessThanOrEqual(14);
  });

  it('staffIntervals: vectorised, zero-call intervals need nobody', () => {
    const rs = staffIntervals(
      [
        { calls: 0, intervalMinutes: 15, ahtSeconds: 200 },
        { calls: 100, intervalMinutes: 30, ahtSeconds: 180 },
      ],
      { targetSeconds: 20, serviceLevel: 0.8, maxOccupancy: 0.85, shrinkage: 0.3 },
    );
    expect(rs.map((r) => [r.agents, r.scheduledAgents])).toEqual([
      [0, 0],
      [14, 20],
    ]);
  });
});
