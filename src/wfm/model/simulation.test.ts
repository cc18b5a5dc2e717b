import { describe, expect, it } from 'vitest';
import { simulate, simulateReplication, SimulationInputError, type SimulationInput, type Ci95 } from './simulation.ts';
import { erlangAOracle, erlangCOracle, priorityWaitsOracle } from './queueing-oracle.test-helper.ts';
import { meanCi95, tQuantile975 } from './confidence.ts';
import { stream } from './random.ts';

const inCi = (ci: Ci95, x: number) => {
  expect(ci).not.toBeNull();
  const [lo, hi] = ci as [number, number];
  return lo <= x && x <= hi;
};

// Steady-state runs: 1 h warm-up, 8 h measured, 20 replications.
const base = { durationMinutes: 9 * 60, warmupMinutes: 60, replications: 20, seed: 20261124 };

describe('the oracles themselves', () => {
  it('Erlang C matches the issue’s published case (100 calls / 30 min, AHT 180 s, 14 agents, 20 s)', () => {
    const m = erlangCOracle(100 / 1800, 1 / 180, 14, 20);
    expect(m.serviceLevel).toBeCloseTo(0.888, 3);
    expect(m.pWait).toBeCloseTo(0.174, 3);
    expect(m.occupancy).toBeCloseTo(0.714, 3);
  });

  it('the birth-death / Runge-Kutta Erlang A solver reduces to Erlang C without abandonment', () => {
    const c = erlangCOracle(100 / 1800, 1 / 180, 12, 20);
    const a = erlangAOracle(100 / 1800, 1 / 180, 12, 0, 20);
    expect(a.serviceLevel).toBeCloseTo(c.serviceLevel, 6);
    expect(a.asa).toBeCloseTo(c.asa, 4);
    expect(a.pWait).toBeCloseTo(c.pWait, 8);
  });
});

describe('confidence intervals', () => {
  it('uses the published t quantiles', () => {
    expect(tQuantile975(1)).toBe(12.706);
    expect(tQuantile975(19)).toBe(2.093);
    expect(tQuantile975(45)).toBeCloseTo(2.014, 2);
    expect(tQuantile975(1e9)).toBeCloseTo(1.96, 6);
  });
  it('mean ± t·s/√n', () => {
    const m = meanCi95([1, 2, 3, 4]);
    // s = 1.2910, t(3) = 3.182 → half-width 2.054
    expect(m.mean).toBe(2.5);
    expect(m.halfWidth).toBeCloseTo((3.182 * Math.sqrt(5 / 3)) / 2, 10);
    expect(meanCi95([7]).ci95).toBeNull();
  });
});

describe('single queue against Erlang C and Erlang A', () => {
  it('M/M/N without patience agrees with Erlang C within the 95% CI', () => {
    const input: SimulationInput = {
      ...base,
      queues: [{ id: 'q', arrivalsPerHour: 200, ahtSeconds: 180, patienceSeconds: null, targetSeconds: 20 }],
      agents: [{ count: 14, skills: ['q'] }],
    };
    const r = simulate(input).queues[0];
    const e = erlangCOracle(200 / 3600, 1 / 180, 14, 20);
    expect(inCi(r.serviceLevelCi95, e.serviceLevel)).toBe(true);
    expect(inCi(r.asaCi95, e.asa)).toBe(true);
    expect(inCi(r.occupancyCi95, e.occupancy)).toBe(true);
    expect(r.pAbandon).toBe(0);
    // the interval is informative, not wide enough to agree with anything
    expect((r.serviceLevelCi95 as [number, number])[1] - (r.serviceLevelCi95 as [number, number])[0]).toBeLessThan(0.04);
    // and it does reject a wrong staffing level
    expect(inCi(r.serviceLevelCi95, erlangCOracle(200 / 3600, 1 / 180, 13, 20).serviceLevel)).toBe(false);
    expect(inCi(r.serviceLevelCi95, erlangCOracle(200 / 3600, 1 / 180, 15, 20).serviceLevel)).toBe(false);
  });

  it('M/M/N+M with exponential patience agrees with Erlang A within the 95% CI', () => {
    const input: SimulationInput = {
      ...base,
      queues: [{ id: 'q', arrivalsPerHour: 200, ahtSeconds: 180, patienceSeconds: 120, targetSeconds: 20 }],
      agents: [{ count: 10, skills: ['q'] }],
    };
    const r = simulate(input).queues[0];
    const e = erlangAOracle(200 / 3600, 1 / 180, 10, 1 / 120, 20);
    expect(inCi(r.serviceLevelCi95, e.serviceLevel)).toBe(true);
    expect(inCi(r.asaCi95, e.asa)).toBe(true);
    expect(inCi(r.pAbandonCi95, e.pAbandon)).toBe(true);
    expect(inCi(r.occupancyCi95, e.occupancy)).toBe(true);
    expect(e.pAbandon).toBeGreaterThan(0.05);
    // Erlang C cannot even be computed here (load = agents), and the model without patience is far off
    expect(inCi(r.serviceLevelCi95, erlangCOracle(200 / 3600, 1 / 180, 11, 20).serviceLevel)).toBe(false);
  });
});

// A single seed's 95% interval misses the true value 5% of the time, so the multi-skill comparisons check the
// intervals' coverage over 20 independent seeds (10 replications each): an unbiased simulation covers the
// exact value in ≥ 17 of 20 (binomial, p = 0.95: P(≤ 16) = 1.6%), a wrong model in almost none. Per-replication
// ASA is right-skewed, so its t-interval covers a little less than 95% with 10 replications (about 90%, as
// measured over 40 seeds): ASA is held to ≥ 15 of 20 (binomial, p = 0.9: P(≤ 14) = 1.1%).
function coverage(make: (seed: number) => SimulationInput, check: (r: ReturnType<typeof simulate>) => boolean[]): number[] {
  const hits: number[] = [];
  for (let s = 0; s < 20; s++) {
    const r = simulate(make(5000 + s));
    check(r).forEach((h, i) => (hits[i] = (hits[i] ?? 0) + (h ? 1 : 0)));
  }
  return hits;
}
const cov = { durationMinutes: 9 * 60, warmupMinutes: 60, replications: 10 };
const q100 = (id: string) => ({ id, arrivalsPerHour: 100, ahtSeconds: 180, patienceSeconds: null, targetSeconds: 20 });

describe('multi-skill configurations (coverage of the 95% CI over 20 seeds)', () => {
  it('single queue: Erlang C and Erlang A values are covered ≥ 17/20 times', () => {
    const c = erlangCOracle(200 / 3600, 1 / 180, 14, 20);
    const [hcSl, hcAsa] = coverage(
      (seed) => ({ ...cov, seed, queues: [{ ...q100('q'), arrivalsPerHour: 200 }], agents: [{ count: 14, skills: ['q'] }] }),
      (r) => [inCi(r.queues[0].serviceLevelCi95, c.serviceLevel), inCi(r.queues[0].asaCi95, c.asa)],
    );
    expect(hcAsa).toBeGreaterThanOrEqual(15);
    const a = erlangAOracle(200 / 3600, 1 / 180, 10, 1 / 120, 20);
    const ha = coverage(
      (seed) => ({ ...cov, seed, queues: [{ ...q100('q'), arrivalsPerHour: 200, patienceSeconds: 120 }], agents: [{ count: 10, skills: ['q'] }] }),
      (r) => [inCi(r.queues[0].serviceLevelCi95, a.serviceLevel), inCi(r.queues[0].pAbandonCi95, a.pAbandon)],
    );
    for (const h of [hcSl, ...ha]) expect(h).toBeGreaterThanOrEqual(17);
  });

  it('fully cross-trained agents serving two queues behave as the pooled single queue', () => {
    const pooled = erlangCOracle(200 / 3600, 1 / 180, 14, 20);
    const separate = erlangCOracle(100 / 3600, 1 / 180, 7, 20);
    const [sl, asa, wrong] = coverage(
      (seed) => ({ ...cov, seed, queues: [q100('a'), q100('b')], agents: [{ count: 14, skills: ['a', 'b'] }] }),
      (r) => [
        inCi(r.queues[1].serviceLevelCi95, pooled.serviceLevel),
        inCi(r.queues[1].asaCi95, pooled.asa),
        inCi(r.queues[1].serviceLevelCi95, separate.serviceLevel),
      ],
    );
    expect(sl).toBeGreaterThanOrEqual(17);
    expect(asa).toBeGreaterThanOrEqual(15);
    expect(wrong).toBeLessThanOrEqual(3);
  });

  it('dedicated agents behave as separate queues', () => {
    const pooled = erlangCOracle(200 / 3600, 1 / 180, 14, 20);
    const separate = erlangCOracle(100 / 3600, 1 / 180, 7, 20);
    const [sl, asa, wrong] = coverage(
      (seed) => ({ ...cov, seed, queues: [q100('a'), q100('b')], agents: [{ count: 7, skills: ['a'] }, { count: 7, skills: ['b'] }] }),
      (r) => [
        inCi(r.queues[0].serviceLevelCi95, separate.serviceLevel),
        inCi(r.queues[0].asaCi95, separate.asa),
        inCi(r.queues[0].serviceLevelCi95, pooled.serviceLevel),
      ],
    );
    expect(sl).toBeGreaterThanOrEqual(17);
    expect(asa).toBeGreaterThanOrEqual(15);
    expect(wrong).toBeLessThanOrEqual(3);
  });
});

describe('determinism and inputs', () => {
  const input: SimulationInput = {
    durationMinutes: 120,
    replications: 3,
    seed: 7,
    queues: [
      { id: 'front', arrivalsPerHour: [300, 500, 200, 400], ahtSeconds: 200, patienceSeconds: 90, targetSeconds: 20, transfers: [{ to: 'spec', probability: 0.1 }] },
      { id: 'spec', arrivalsPerHour: 30, ahtSeconds: 400, patienceSeconds: null, targetSeconds: 30, serviceDistribution: 'lognormal', serviceCv: 0.8, priority: 1, overflow: { afterSeconds: 60, skills: ['front'] } },
    ],
    agents: [
      { count: 30, skills: ['front'], present: [20, 30, 25, 10] },
      { count: 8, skills: [{ skill: 'spec', proficiency: 5 }, { skill: 'front', proficiency: 1 }] },
    ],
  };

  it('the same seed gives the same result; another seed a different one', () => {
    const a = simulate(input);
    expect(simulate(input)).toEqual(a);
    expect(simulate({ ...input, seed: 8 })).not.toEqual(a);
    expect(a.queues[0].offered).toBeGreaterThan(600);
    // transfers arrive in the specialist queue on top of its own ~60 calls
    expect(a.queues[1].offered).toBeGreaterThan(60 + 40);
  });

  it('every counted call ends answered or abandoned, and occupancy stays within [0, 1]', () => {
    for (let rep = 0; rep < 5; rep++) {
      const r = simulateReplication(input, rep);
      for (const q of Object.values(r.queues)) {
        expect(q.answered + q.abandoned).toBe(q.offered);
        expect(q.answeredWithinTarget).toBeLessThanOrEqual(q.answered);
        expect(q.occupancy).toBeGreaterThan(0);
        expect(q.occupancy).toBeLessThanOrEqual(1);
      }
      expect(r.queues.spec.abandoned).toBe(0);
    }
  });

  it('offered matches the time-varying Poisson rate', () => {
    const reps = Array.from({ length: 40 }, (_, i) => simulateReplication({ ...input, replications: 1 }, i).queues.front.offered);
    const m = meanCi95(reps);
    // expected: 30 min at each of 300, 500, 200, 400 per hour = 700
    expect(inCi(m.ci95, 700)).toBe(true);
  });

  it('replications use independent streams', () => {
    const a = stream(1, 0, 0, 0);
    const b = stream(1, 1, 0, 0);
    const xs = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).not.toEqual(xs);
    expect(Array.from({ length: 5 }, stream(1, 0, 0, 0))).toEqual(xs);
  });

  it('a schedule with nobody present leaves calls unanswered; patience makes them abandon', () => {
    const r = simulate({
      durationMinutes: 60,
      replications: 2,
      seed: 1,
      queues: [{ id: 'q', arrivalsPerHour: 60, ahtSeconds: 60, patienceSeconds: 30, targetSeconds: 20 }],
      agents: [{ count: 5, skills: ['q'], present: [0] }],
    });
    expect(r.queues[0].serviceLevel).toBe(0);
    expect(r.queues[0].pAbandon).toBe(1);
  });

  it('rejects invalid input', () => {
    expect(() => simulate({ ...input, replications: 0 })).toThrow(SimulationInputError);
    expect(() => simulate({ ...input, queues: [{ ...input.queues[0], transfers: [{ to: 'nowhere', probability: 0.1 }] }] })).toThrow(SimulationInputError);
    expect(() => simulate({ ...input, agents: [{ count: 2, skills: ['front'], present: [3] }] })).toThrow(SimulationInputError);
  });
});

describe('service-time distributions, overflow and schedules', () => {
  it('lognormal service in M/G/1 agrees with the Pollaczek–Khinchine mean wait (coverage over 20 seeds)', () => {
    // Wq = λ E[S²] / (2 (1 − ρ)), E[S²] = m² (1 + cv²) (Kleinrock, "Queueing Systems" vol. 1, §5.6)
    const m = 60;
    const cv = 0.5;
    const lambda = 0.7 / m;
    const wq = (lambda * m * m * (1 + cv * cv)) / (2 * (1 - 0.7));
    const wqExponential = (lambda * m * m * 2) / (2 * (1 - 0.7));
    const [asa, occ, wrong] = coverage(
      (seed) => ({
        durationMinutes: 41 * 60,
        warmupMinutes: 60,
        replications: 10,
        seed,
        queues: [{ id: 'q', arrivalsPerHour: lambda * 3600, ahtSeconds: m, patienceSeconds: null, targetSeconds: 20, serviceDistribution: 'lognormal', serviceCv: cv }],
        agents: [{ count: 1, skills: ['q'] }],
      }),
      (r) => [inCi(r.queues[0].asaCi95, wq), inCi(r.queues[0].occupancyCi95, 0.7), inCi(r.queues[0].asaCi95, wqExponential)],
    );
    expect(asa).toBeGreaterThanOrEqual(15);
    expect(occ).toBeGreaterThanOrEqual(15);
    // exponential service (cv = 1) would wait 60% longer: the lognormal runs must not look like that
    expect(wrong).toBeLessThanOrEqual(3);
  });

  it('a queue with no agents of its own is answered only after the overflow threshold', () => {
    const r = simulate({
      durationMinutes: 240,
      replications: 3,
      seed: 3,
      queues: [
        { id: 'devices', arrivalsPerHour: 20, ahtSeconds: 120, patienceSeconds: null, targetSeconds: 40, overflow: { afterSeconds: 45, skills: ['front'] } },
        { id: 'front', arrivalsPerHour: 20, ahtSeconds: 120, patienceSeconds: null, targetSeconds: 40 },
      ],
      agents: [{ count: 6, skills: ['front'] }],
    });
    const [devices, front] = r.queues;
    expect(devices.serviceLevel).toBe(0);
    expect(devices.asa).toBeGreaterThanOrEqual(45);
    expect(devices.asa).toBeLessThan(60);
    expect(devices.answered).toBe(devices.offered);
    expect(front.serviceLevel).toBeGreaterThan(0.95);
  });

  it('agents leave at the end of their shift after finishing the call in hand', () => {
    // one agent for 30 minutes, then nobody; calls after that wait until the end (no patience)
    const r = simulateReplication(
      {
        durationMinutes: 60,
        replications: 1,
        seed: 9,
        queues: [{ id: 'q', arrivalsPerHour: 30, ahtSeconds: 60, patienceSeconds: null, targetSeconds: 20 }],
        agents: [{ count: 1, skills: ['q'], present: [1, 0] }],
      },
      0,
    );
    expect(r.queues.q.answered).toBeGreaterThan(5);
    expect(r.queues.q.answered).toBeLessThan(r.queues.q.offered);
    // occupancy over the hour counts only the staffed half hour (plus at most the call finished after it)
    expect(r.queues.q.occupancy).toBeGreaterThan(0.3);
    expect(r.queues.q.occupancy).toBeLessThanOrEqual(1);
  });
});

describe('caller tiers (priority classes)', () => {
  it('mean waits per tier agree with the non-preemptive priority M/M/c formula (coverage over 20 seeds)', () => {
    const lambda = 200 / 3600;
    const [wHigh, wLow] = priorityWaitsOracle([0.3 * lambda, 0.7 * lambda], 1 / 180, 14);
    const fifo = erlangCOracle(lambda, 1 / 180, 14, 0).asa;
    const [high, low, highFifo, total] = coverage(
      (seed) => ({
        ...cov,
        seed,
        queues: [{ ...q100('q'), arrivalsPerHour: 200, priorityMix: [{ priority: 5, share: 0.3 }, { priority: 0, share: 0.7 }] }],
        agents: [{ count: 14, skills: ['q'] }],
      }),
      (r) => {
        const [h, l] = r.queues[0].byPriority ?? [];
        return [inCi(h.asaCi95, wHigh), inCi(l.asaCi95, wLow), inCi(h.asaCi95, fifo), inCi(r.queues[0].asaCi95, fifo)];
      },
    );
    expect(high).toBeGreaterThanOrEqual(15);
    expect(low).toBeGreaterThanOrEqual(15);
    // the high tier does not wait like everybody in a FIFO queue; the queue as a whole does (work conservation)
    expect(highFifo).toBeLessThanOrEqual(3);
    expect(total).toBeGreaterThanOrEqual(15);
  });

  it('reports tiers highest first, with shares of the offered calls', () => {
    const r = simulate({
      durationMinutes: 600,
      replications: 4,
      seed: 2,
      queues: [{ id: 'q', arrivalsPerHour: 300, ahtSeconds: 60, patienceSeconds: 60, targetSeconds: 20, priorityMix: [{ priority: 0, share: 0.8 }, { priority: 3, share: 0.2 }] }],
      agents: [{ count: 5, skills: ['q'] }],
    });
    const by = r.queues[0].byPriority ?? [];
    expect(by.map((b) => b.priority)).toEqual([3, 0]);
    expect(by[0].offered / r.queues[0].offered).toBeGreaterThan(0.17);
    expect(by[0].offered / r.queues[0].offered).toBeLessThan(0.23);
    expect(by[0].serviceLevel).toBeGreaterThan(by[1].serviceLevel);
    expect(by[0].pAbandon).toBeLessThan(by[1].pAbandon);
  });
});
