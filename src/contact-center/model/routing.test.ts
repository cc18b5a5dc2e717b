import { describe, expect, it } from 'vitest';
import { CALLBACK_PRIORITY, Router, callbackSkill, callPriority, withCallbackSkills, chooseAgent, chooseCall, expectedWaitSeconds, RoutingError, type AgentCandidate, type CallInput, type WaitingCall } from './routing.ts';

const call = (id: string, skill: string, priority = 0, extra: Partial<CallInput> = {}): CallInput => ({ id, queue: skill, skill, priority, ...extra });

describe('call arrives → which idle agent', () => {
  it('takes the most proficient agent first, then the longest idle, then the first registered', () => {
    const r = new Router();
    r.upsertAgent({ id: 'a', skills: [{ skill: 'bill', proficiency: 3 }] }, 'available', 0);
    r.upsertAgent({ id: 'b', skills: [{ skill: 'bill', proficiency: 5 }] }, 'available', 50);
    r.upsertAgent({ id: 'c', skills: [{ skill: 'bill', proficiency: 5 }] }, 'available', 10);
    r.upsertAgent({ id: 'd', skills: [{ skill: 'bill', proficiency: 3 }] }, 'available', 0);
    // c: proficiency 5 and idle since 10 beats b (idle since 50) and a (idle longer, proficiency 3)
    expect(r.offerCall(call('1', 'bill'), 100)?.agentId).toBe('c');
    expect(r.offerCall(call('2', 'bill'), 100)?.agentId).toBe('b');
    // a and d both proficiency 3 and idle since 0: the one registered first
    expect(r.offerCall(call('3', 'bill'), 100)?.agentId).toBe('a');
    expect(r.offerCall(call('4', 'bill'), 100)?.agentId).toBe('d');
    expect(r.offerCall(call('5', 'bill'), 100)).toBeNull();
    expect(r.waitingCount('bill')).toBe(1);
  });

  it('never gives a call to an agent without the skill, on a break, or busy', () => {
    const r = new Router();
    r.upsertAgent({ id: 'x', skills: [{ skill: 'devices', proficiency: 5 }] }, 'available', 0);
    r.upsertAgent({ id: 'y', skills: [{ skill: 'bill', proficiency: 5 }] }, 'break', 0);
    expect(r.offerCall(call('1', 'bill'), 1)).toBeNull();
    r.setAgentState('y', 'available', 2);
    // y becomes available and takes the waiting call at once
    expect(r.agentState('y')).toBe('on_call');
    expect(r.waitingCount('bill')).toBe(0);
    expect(r.offerCall(call('2', 'bill'), 3)).toBeNull();
  });

  it('restarts idle time when an agent becomes available again', () => {
    const r = new Router();
    r.upsertAgent({ id: 'a', skills: [{ skill: 's', proficiency: 2 }] }, 'available', 0);
    r.upsertAgent({ id: 'b', skills: [{ skill: 's', proficiency: 2 }] }, 'available', 5);
    expect(r.offerCall(call('1', 's'), 10)?.agentId).toBe('a');
    r.setAgentState('a', 'after_call_work', 20);
    r.setAgentState('a', 'available', 30);
    expect(r.offerCall(call('2', 's'), 40)?.agentId).toBe('b');
    expect(r.offerCall(call('3', 's'), 41)?.agentId).toBe('a');
  });

  it('rejects proficiencies outside 1…5', () => {
    const r = new Router();
    expect(() => r.upsertAgent({ id: 'a', skills: [{ skill: 's', proficiency: 6 }] }, 'available', 0)).toThrow(RoutingError);
  });
});

describe('agent becomes free → which waiting call', () => {
  it('takes the highest priority, then the longest waiting, then the first offered', () => {
    const r = new Router();
    r.upsertAgent({ id: 'a', skills: [{ skill: 'bill', proficiency: 3 }, { skill: 'data', proficiency: 1 }] }, 'offline', 0);
    r.offerCall(call('old-low', 'bill', 0), 0);
    r.offerCall(call('new-high', 'data', 5), 30);
    r.offerCall(call('mid-high', 'bill', 5), 20);
    r.offerCall(call('tie-a', 'data', 1), 25);
    r.offerCall(call('tie-b', 'bill', 1), 25);
    const order: string[] = [];
    for (let t = 100; t < 105; t++) {
      const got = r.setAgentState('a', 'available', t);
      order.push(got?.call.id ?? '-');
      r.setAgentState('a', 'after_call_work', t);
    }
    expect(order).toEqual(['mid-high', 'new-high', 'tie-a', 'tie-b', 'old-low']);
    expect(r.setAgentState('a', 'available', 200)).toBeNull();
  });

  it('ignores calls of skills the agent lacks and calls that were abandoned', () => {
    const r = new Router();
    r.upsertAgent({ id: 'a', skills: [{ skill: 'bill', proficiency: 3 }] }, 'offline', 0);
    r.offerCall(call('devices', 'devices', 9), 0);
    r.offerCall(call('gone', 'bill', 0), 1);
    r.offerCall(call('stays', 'bill', 0), 2);
    expect(r.removeCall('gone', 3, 'abandoned')?.history.map((h) => h.event)).toEqual(['queued', 'abandoned']);
    expect(r.removeCall('gone', 3, 'abandoned')).toBeNull();
    expect(r.setAgentState('a', 'available', 4)?.call.id).toBe('stays');
    expect(r.waitingCount('devices')).toBe(1);
  });
});

describe('overflow to a wider skill group after a wait threshold', () => {
  const setup = () => {
    const r = new Router();
    r.upsertAgent({ id: 'spec', skills: [{ skill: 'complaints', proficiency: 5 }] }, 'on_call', 0);
    r.upsertAgent({ id: 'front', skills: [{ skill: 'front', proficiency: 4 }] }, 'available', 0);
    const got = r.offerCall(call('c1', 'complaints', 0, { overflow: { afterSeconds: 60, skills: ['front'] } }), 100);
    return { r, got };
  };

  it('does not overflow before the threshold', () => {
    const { r, got } = setup();
    expect(got).toBeNull();
    expect(r.nextOverflowAt()).toBe(160);
    expect(r.releaseOverflows(159.9)).toEqual([]);
  });

  it('an idle agent of the wider group takes the call at the threshold', () => {
    const { r } = setup();
    const [a] = r.releaseOverflows(160);
    expect(a.agentId).toBe('front');
    expect(a.viaOverflow).toBe(true);
    expect(a.skill).toBe('front');
    expect(a.waitedSeconds).toBe(60);
    expect(a.call.history.map((h) => h.event)).toEqual(['queued', 'overflowed', 'answered']);
    expect(r.nextOverflowAt()).toBeNull();
  });

  it('after the threshold, a freed wider-group agent prefers the overflowed call only by priority and wait', () => {
    const r = new Router();
    r.upsertAgent({ id: 'front', skills: [{ skill: 'front', proficiency: 4 }] }, 'on_call', 0);
    r.offerCall(call('c1', 'complaints', 0, { overflow: { afterSeconds: 60, skills: ['front'] } }), 0);
    r.offerCall(call('f1', 'front', 0), 30);
    // at t=50 the complaint has not overflowed: the front agent takes f1
    expect(r.setAgentState('front', 'available', 50)?.call.id).toBe('f1');
    r.offerCall(call('f2', 'front', 0), 55);
    r.setAgentState('front', 'after_call_work', 70);
    expect(r.releaseOverflows(70)).toEqual([]);
    // at t=80 the complaint (waiting since 0) has overflowed and waited longer than f2
    const got = r.setAgentState('front', 'available', 80);
    expect(got?.call.id).toBe('c1');
    expect(got?.viaOverflow).toBe(true);
    expect(r.waitingCount('complaints')).toBe(0);
  });

  it('the call stays eligible for its own skill after overflowing', () => {
    const { r } = setup();
    r.setAgentState('front', 'on_call', 150);
    expect(r.releaseOverflows(200)).toEqual([]);
    expect(r.setAgentState('spec', 'available', 210)?.call.id).toBe('c1');
    expect(r.setAgentState('front', 'available', 211)).toBeNull();
  });
});

describe('transfer from the front line to a specialist queue', () => {
  it('keeps the history and queues the call for the specialist skill', () => {
    const r = new Router();
    r.upsertAgent({ id: 'f', skills: [{ skill: 'front', proficiency: 3 }] }, 'available', 0);
    r.upsertAgent({ id: 's', skills: [{ skill: 'key-accounts', proficiency: 5 }] }, 'on_call', 0);
    const ivr = [{ at: -20, event: 'queued' as const, queue: 'ivr' }];
    const a = r.offerCall(call('c', 'front', 2, { history: ivr }), 0);
    expect(a?.agentId).toBe('f');
    const t = r.transferCall(a!.call, { queue: 'key-accounts', skill: 'key-accounts' }, 120, 'f');
    expect(t).toBeNull();
    expect(r.waitingCount('key-accounts')).toBe(1);
    const b = r.setAgentState('s', 'available', 150);
    expect(b?.call.id).toBe('c');
    expect(b?.waitedSeconds).toBe(30);
    expect(b?.call.priority).toBe(2);
    expect(b?.call.history).toEqual([
      { at: -20, event: 'queued', queue: 'ivr' },
      { at: 0, event: 'queued', queue: 'front' },
      { at: 0, event: 'answered', queue: 'front', agentId: 'f' },
      { at: 120, event: 'transferred', queue: 'key-accounts', agentId: 'f' },
      { at: 150, event: 'answered', queue: 'key-accounts', agentId: 's' },
    ]);
    expect(ivr).toHaveLength(1);
  });
});

describe('callback offer when the expected wait is long', () => {
  it('estimates the wait from queue length, agents and AHT', () => {
    expect(expectedWaitSeconds({ waitingAhead: 0, idleAgents: 1, staffedAgents: 5, ahtSeconds: 300 })).toBe(0);
    expect(expectedWaitSeconds({ waitingAhead: 9, idleAgents: 0, staffedAgents: 5, ahtSeconds: 300 })).toBe(600);
    expect(expectedWaitSeconds({ waitingAhead: 3, idleAgents: 0, staffedAgents: 0, ahtSeconds: 300 })).toBe(Infinity);
  });

  it('offers a callback above the threshold only', () => {
    const r = new Router();
    for (let i = 0; i < 4; i++) r.upsertAgent({ id: `a${i}`, skills: [{ skill: 'bill', proficiency: 3 }] }, 'on_call', 0);
    r.upsertAgent({ id: 'brk', skills: [{ skill: 'bill', proficiency: 3 }] }, 'break', 0);
    for (let i = 0; i < 7; i++) r.offerCall(call(`c${i}`, 'bill'), i);
    // 7 ahead + this call = 8 calls × 240 s / 4 staffed agents (the one on break does not count) = 480 s
    expect(r.callbackOffer('bill', 240, 300)).toEqual({ offer: true, expectedWaitSeconds: 480 });
    expect(r.callbackOffer('bill', 240, 480)).toEqual({ offer: false, expectedWaitSeconds: 480 });
    const taken = r.removeCall('c6', 10, 'callback');
    expect(taken?.history.at(-1)?.event).toBe('callback');
    expect(r.callbackOffer('bill', 240, 300).expectedWaitSeconds).toBe(420);
  });

  it('serves a callback only when no live call the agent could take is waiting, and keeps it out of wait estimates', () => {
    const r = new Router();
    const skills = withCallbackSkills([{ skill: 'bill', proficiency: 4 }, { skill: 'misc', proficiency: 2 }], new Set(['bill']));
    expect(skills).toEqual([
      { skill: 'bill', proficiency: 4 },
      { skill: 'misc', proficiency: 2 },
      { skill: 'callback:bill', proficiency: 4 },
    ]);
    r.upsertAgent({ id: 'a', skills }, 'on_call', 0);
    // The callback was accepted first (t=1), live calls arrive later, one of them of the lowest live priority.
    expect(r.offerCall({ id: 'cb1', queue: 'bill', skill: callbackSkill('bill'), priority: CALLBACK_PRIORITY }, 1)).toBeNull();
    r.offerCall(call('live1', 'misc', -1000), 5);
    r.offerCall(call('live2', 'bill'), 6);
    // live2 ahead + this call = 2 × 300 s / 1 staffed agent; the pending callback cb1 is not counted (it would make 900).
    expect(r.callbackOffer('bill', 300, 0).expectedWaitSeconds).toBe(600);
    const order: string[] = [];
    for (let t = 10; t < 14; t++) {
      const a = r.setAgentState('a', 'available', t);
      if (a) {
        order.push(a.call.id);
        r.setAgentState('a', 'on_call', t);
      }
    }
    expect(order).toEqual(['live2', 'live1', 'cb1']);
  });
});

describe('priority from the caller', () => {
  const table = { tiers: { diamond: 9, gold: 5 }, tags: { VIP: 7, 投诉过: 3 }, default: 0 };
  it('uses the highest of tier and tags, else the default', () => {
    expect(callPriority({ serviceTier: 'gold', tags: ['VIP'] }, table)).toBe(7);
    expect(callPriority({ serviceTier: 'diamond', tags: ['VIP'] }, table)).toBe(9);
    expect(callPriority({ serviceTier: null, tags: ['投诉过'] }, table)).toBe(3);
    expect(callPriority({ serviceTier: 'unknown', tags: [] }, table)).toBe(0);
  });
});

describe('against a brute-force reference on random scenarios', () => {
  // Linear-scan oracle of the same rules, to check the heaps and lazy deletion under churn.
  it('makes the same decisions as a linear scan', () => {
    let seed = 12345;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const skills = ['a', 'b', 'c', 'd'];
    const r = new Router();
    type A = { id: string; skills: Map<string, number>; state: string; idleSince: number; seq: number };
    const agents: A[] = [];
    const waiting: { id: string; skill: string; priority: number; at: number; seq: number }[] = [];
    for (let i = 0; i < 40; i++) {
      const sk = skills.filter(() => rnd() < 0.5);
      if (sk.length === 0) sk.push('a');
      const m = new Map(sk.map((s) => [s, 1 + Math.floor(rnd() * 5)] as const));
      agents.push({ id: `g${i}`, skills: m, state: 'offline', idleSince: 0, seq: i });
      r.upsertAgent({ id: `g${i}`, skills: [...m].map(([skill, proficiency]) => ({ skill, proficiency })) }, 'offline', 0);
    }
    let callSeq = 0;
    let checked = 0;
    for (let t = 1; t < 4000; t++) {
      const u = rnd();
      if (u < 0.45) {
        const skill = skills[Math.floor(rnd() * 4)];
        const priority = Math.floor(rnd() * 3);
        const id = `k${callSeq}`;
        // oracle: best idle agent by proficiency desc, idleSince asc, seq asc
        const idle = agents.filter((a) => a.state === 'available' && a.skills.has(skill));
        idle.sort((x, y) => y.skills.get(skill)! - x.skills.get(skill)! || x.idleSince - y.idleSince || x.seq - y.seq);
        const got = r.offerCall({ id, queue: skill, skill, priority }, t);
        expect(got?.agentId ?? null).toBe(idle[0]?.id ?? null);
        const cands = agents.map((a) => ({ id: a.id, skills: [...a.skills].map(([s, p]) => ({ skill: s, proficiency: p })), state: a.state as AgentCandidate['state'], idleSince: a.idleSince }));
        expect(chooseAgent({ skill, enqueuedAt: t }, cands, t)?.agentId ?? null).toBe(idle[0]?.id ?? null);
        if (idle[0]) idle[0].state = 'on_call';
        else waiting.push({ id, skill, priority, at: t, seq: callSeq });
        callSeq++;
        checked++;
      } else if (u < 0.9) {
        const a = agents[Math.floor(rnd() * agents.length)];
        if (a.state === 'available') continue;
        const cands = waiting.filter((w) => a.skills.has(w.skill));
        cands.sort((x, y) => y.priority - x.priority || x.at - y.at || x.seq - y.seq);
        const got = r.setAgentState(a.id, 'available', t);
        expect(got?.call.id ?? null).toBe(cands[0]?.id ?? null);
        const sorted = [...waiting].sort((x, y) => x.seq - y.seq).map((w) => ({ id: w.id, skill: w.skill, priority: w.priority, enqueuedAt: w.at }));
        expect(chooseCall({ skills: [...a.skills].map(([s, p]) => ({ skill: s, proficiency: p })) }, sorted, t)?.id ?? null).toBe(cands[0]?.id ?? null);
        if (cands[0]) {
          a.state = 'on_call';
          waiting.splice(waiting.indexOf(cands[0]), 1);
        } else {
          a.state = 'available';
          a.idleSince = t;
        }
        checked++;
      } else if (u < 0.95) {
        const a = agents[Math.floor(rnd() * agents.length)];
        const st = rnd() < 0.5 ? 'break' : 'offline';
        r.setAgentState(a.id, st, t);
        a.state = st;
      } else if (waiting.length > 0) {
        const w = waiting.splice(Math.floor(rnd() * waiting.length), 1)[0];
        expect(r.removeCall(w.id, t, 'abandoned')?.id).toBe(w.id);
      }
      for (const s of skills) expect(r.waitingCount(s)).toBe(waiting.filter((w) => w.skill === s).length);
    }
    expect(checked).toBeGreaterThan(3000);
  });
});

describe('stateless decisions (for candidates read from the database)', () => {
  const agents: AgentCandidate[] = [
    { id: 'a', skills: [{ skill: 'bill', proficiency: 3 }], state: 'available', idleSince: 0 },
    { id: 'b', skills: [{ skill: 'bill', proficiency: 5 }], state: 'available', idleSince: 50 },
    { id: 'c', skills: [{ skill: 'bill', proficiency: 5 }], state: 'available', idleSince: 10 },
    { id: 'd', skills: [{ skill: 'bill', proficiency: 5 }], state: 'break', idleSince: 0 },
    { id: 'e', skills: [{ skill: 'front', proficiency: 5 }], state: 'available', idleSince: 0 },
  ];
  it('chooseAgent: proficiency, then idle time; overflow group only after the threshold', () => {
    expect(chooseAgent({ skill: 'bill', enqueuedAt: 0 }, agents, 100)).toEqual({ agentId: 'c', skill: 'bill', proficiency: 5, viaOverflow: false });
    const busy = agents.map((a) => (a.skills[0].skill === 'bill' ? { ...a, state: 'on_call' as const } : a));
    const call = { skill: 'bill', enqueuedAt: 100, overflow: { afterSeconds: 30, skills: ['front'] } };
    expect(chooseAgent(call, busy, 129)).toBeNull();
    expect(chooseAgent(call, busy, 130)).toEqual({ agentId: 'e', skill: 'front', proficiency: 5, viaOverflow: true });
  });
  it('chooseCall: priority, then longest waiting, then list order; overflowed calls count', () => {
    const calls: WaitingCall[] = [
      { id: '1', skill: 'bill', priority: 0, enqueuedAt: 0 },
      { id: '2', skill: 'devices', priority: 9, enqueuedAt: 0, overflow: { afterSeconds: 60, skills: ['bill'] } },
      { id: '3', skill: 'bill', priority: 1, enqueuedAt: 20 },
      { id: '4', skill: 'bill', priority: 1, enqueuedAt: 20 },
    ];
    const agent = { skills: [{ skill: 'bill', proficiency: 2 }] };
    expect(chooseCall(agent, calls, 59)?.id).toBe('3');
    expect(chooseCall(agent, calls, 60)?.id).toBe('2');
    expect(chooseCall({ skills: [{ skill: 'x', proficiency: 2 }] }, calls, 60)).toBeNull();
  });
});
