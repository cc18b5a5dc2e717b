// Callback offers in the simulation: no effect when nobody accepts or nobody is offered, no abandonment in
// queue when everyone accepts at once, conservation of calls, and the expected-wait estimate behind the offer
// against Erlang C (an independent birth-death oracle).
import { describe, expect, it } from 'vitest';
import { simulate, simulateReplication, type SimQueueInput, type SimulationInput } from './simulation.ts';
import { erlangCOracle } from './queueing-oracle.test-helper.ts';

const base = { durationMinutes: 9 * 60, warmupMinutes: 60, replications: 10, seed: 20261124 };
// Overloaded front line with impatient callers, a specialist desk without callbacks.
const queues: SimQueueInput[] = [
  { id: 'front', arrivalsPerHour: 230, ahtSeconds: 180, patienceSeconds: 150, targetSeconds: 20, transfers: [{ to: 'spec', probability: 0.1 }] },
  { id: 'spec', arrivalsPerHour: 20, ahtSeconds: 300, patienceSeconds: 200, targetSeconds: 30 },
];
const agents = [
  { count: 11, skills: ['front'] },
  { count: 3, skills: ['spec', { skill: 'front', proficiency: 1 }] },
];
const withCallback = (cb: SimQueueInput['callback']): SimulationInput => ({ ...base, queues: [{ ...queues[0], callback: cb }, queues[1]], agents });
const strip = <T extends { callbacks?: unknown }>(x: T) => {
  const { callbacks: _c, ...rest } = x;
  return rest;
};

describe('simulation with callback offers', () => {
  const plain = simulate({ ...base, queues, agents });

  it('acceptProbability 0 gives exactly the run without callbacks (same seed), with offers counted', () => {
    const res = simulate(withCallback({ offerWhenExpectedWaitSeconds: 30, acceptProbability: 0 }));
    expect(res.queues.map(strip)).toEqual(plain.queues);
    expect(res.overall).toEqual(plain.overall);
    const cb = res.queues[0].callbacks!;
    expect(cb.offered).toBeGreaterThan(0);
    expect(cb.accepted).toBe(0);
    expect(cb.answered).toBe(0);
  });

  it('a threshold above any possible wait offers nothing and changes nothing', () => {
    const res = simulate(withCallback({ offerWhenExpectedWaitSeconds: 1e9, acceptProbability: 1 }));
    expect(res.queues.map(strip)).toEqual(plain.queues);
    expect(res.queues[0].callbacks).toMatchObject({ offered: 0, accepted: 0, answered: 0 });
  });

  it('everyone accepting at threshold 0: no abandonment in the queue, calls conserved, callbacks served', () => {
    expect(plain.queues[0].pAbandon).toBeGreaterThan(0.1); // the overload the callbacks have to absorb
    const input = withCallback({ offerWhenExpectedWaitSeconds: 0, acceptProbability: 1, targetSeconds: 1800 });
    const res = simulate(input);
    const front = res.queues[0];
    expect(front.pAbandon).toBe(0);
    expect(front.callbacks!.accepted).toBe(front.callbacks!.offered);
    expect(front.callbacks!.answered).toBeGreaterThan(0.9 * front.callbacks!.accepted);
    // Callbacks go after live calls: their wait is far longer than the live ASA.
    expect(front.callbacks!.asa).toBeGreaterThan(10 * front.asa);
    for (let r = 0; r < 3; r++) {
      const rep = simulateReplication(input, r).queues.front;
      const cb = rep.callbacks!;
      // Every arrival is answered live, abandoned, or took a callback; every accepted callback is called back or left pending.
      expect(rep.offered).toBe(rep.answered + rep.abandoned + cb.accepted);
      expect(cb.accepted).toBe(cb.answered + cb.unanswered);
      expect(cb.unanswered).toBe(0); // the run drains: agents call everyone back after the last arrival
      expect(cb.serviceLevel).toBeCloseTo(cb.answeredWithinTarget / cb.accepted, 12);
    }
  });

  it('partial acceptance conserves calls per replication', () => {
    const input = withCallback({ offerWhenExpectedWaitSeconds: 60, acceptProbability: 0.5 });
    for (let r = 0; r < 3; r++) {
      const rep = simulateReplication(input, r).queues.front;
      const cb = rep.callbacks!;
      expect(rep.offered).toBe(rep.answered + rep.abandoned + cb.accepted);
      expect(cb.accepted).toBeGreaterThan(0.35 * cb.offered);
      expect(cb.accepted).toBeLessThan(0.65 * cb.offered);
    }
  });

  it('offers go to callers who must wait, and the wait estimate at the offer matches Erlang C’s conditional wait', () => {
    // M/M/10, 160 calls/h, AHT 180 s (load 8 erlangs), nobody hangs up or accepts: the system stays M/M/N.
    // Threshold 0 → offered exactly when all agents are busy, so offers / arrivals → P(wait) (Erlang C), and the
    // estimate (waiting ahead + 1) × AHT / N averaged over those arrivals → E[W | W > 0] = AHT / (N − A) = 90 s.
    const input: SimulationInput = {
      durationMinutes: 25 * 60,
      warmupMinutes: 60,
      replications: 10,
      seed: 7,
      queues: [{ id: 'q', arrivalsPerHour: 160, ahtSeconds: 180, patienceSeconds: null, targetSeconds: 20, callback: { offerWhenExpectedWaitSeconds: 0, acceptProbability: 0 } }],
      agents: [{ count: 10, skills: ['q'] }],
    };
    const cb = simulate(input).queues[0].callbacks!;
    const exact = erlangCOracle(160 / 3600, 1 / 180, 10, 20);
    const conditionalWait = 180 / (10 - 8);
    expect(exact.pWait).toBeGreaterThan(0.4);
    expect(Math.abs(cb.offerRate - exact.pWait)).toBeLessThan(0.03);
    expect(Math.abs(cb.meanEstimatedWait - conditionalWait) / conditionalWait).toBeLessThan(0.1);
    // and the CIs (10 replications of 24 h) cover the exact values
    const [lo, hi] = cb.offerRateCi95!;
    expect(lo - 0.01 <= exact.pWait && exact.pWait <= hi + 0.01).toBe(true);
    const [wlo, whi] = cb.meanEstimatedWaitCi95!;
    expect(wlo - 5 <= conditionalWait && conditionalWait <= whi + 5).toBe(true);
  });
});
