// Skills-based routing policy (pure: no clock, no I/O; times are seconds on any monotone clock the caller
// passes in). The rules are the ones contact-center texts describe as "priority, then FIFO" with
// "longest-idle agent" selection (Gans, Koole & Mandelbaum, "Telephone call centers: tutorial, review and
// research prospects", M&SOM 5(2), 2003, §4; Koole, "Call Center Optimization", 2013, ch. 9 on skill-based
// routing and overflow after a waiting-time threshold).
//
// Decision rules, with every tie broken exactly as written:
// - A call arrives (offerCall) → an available agent who has the call's skill. Agents with the call's own
//   skill come first; agents of the wider overflow group only once the call has waited `overflow.afterSeconds`.
//   Within a skill: HIGHER PROFICIENCY FIRST, then LONGEST IDLE (smallest idleSince), then the agent
//   registered first. (Proficiency first: a better-qualified idle agent is preferred over a longer-idle less
//   qualified one; longest idle spreads work among equally qualified agents.)
// - An agent becomes available (setAgentState 'available') → the waiting call, among the skills the agent
//   has (calls of another skill count once they have overflowed into one of the agent's skills), with the
//   HIGHEST PRIORITY, then the LONGEST WAITING (smallest enqueuedAt), then the call offered first.
//   The agent's proficiency does not change which call it takes.
// - Overflow: at enqueuedAt + overflow.afterSeconds a still-waiting call also joins the waiting lists of the
//   overflow skills; `releaseOverflows(now)` must be called at `nextOverflowAt()` so that an idle agent of
//   the wider group takes it at once.
// - Transfer: `transferCall` re-queues the call (same id) in another queue/skill with its history kept and a
//   'transferred' entry appended; its waiting time in the new queue starts at the transfer.
// - Callback offer: expected wait = max(0, waiting ahead + 1 − idle agents) × AHT / staffed agents (agents with
//   the skill who are available, on a call or in after-call work); offer when it exceeds the threshold.
// - Callback service: a caller who accepts leaves the queue (`removeCall(..., 'callback')`, or is never queued)
//   and the callback is queued as a call for `callbackSkill(skill)` at CALLBACK_PRIORITY, below every live call.
//   Agents hold the callback skill beside the skill itself (`withCallbackSkills`, same proficiency), so an agent
//   calls back only when no live call it could take is waiting — when it would otherwise be idle — oldest
//   callback first. The separate skill keeps pending callbacks out of live calls' expected-wait estimates.
//
// Data structures: per skill, one heap of available agents per proficiency level (1…5) keyed by idle time, and
// one heap of waiting calls keyed by (priority, enqueue time); entries are invalidated lazily and heaps are
// compacted when stale entries dominate, so a decision costs O(skills × log n), not a scan of all agents.
import { Heap } from './heap.ts';

export type AgentState = 'available' | 'on_call' | 'after_call_work' | 'break' | 'offline';

export const MIN_PROFICIENCY = 1;
export const MAX_PROFICIENCY = 5;

export interface SkillProficiency {
  skill: string;
  /** 1 (basic) … 5 (expert). */
  proficiency: number;
}

export interface RoutingAgent {
  id: string;
  skills: readonly SkillProficiency[];
}

export type CallHistoryEvent = 'queued' | 'overflowed' | 'answered' | 'transferred' | 'abandoned' | 'callback';

export interface CallHistoryEntry {
  at: number;
  event: CallHistoryEvent;
  queue: string;
  agentId?: string;
}

export interface OverflowRule {
  afterSeconds: number;
  /** The wider skill group that may take the call once it has waited `afterSeconds`. */
  skills: readonly string[];
}

export interface CallInput {
  id: string;
  queue: string;
  /** Skill an agent needs to take the call (often the queue's own skill). */
  skill: string;
  /** Higher is served first; see `callPriority`. */
  priority: number;
  overflow?: OverflowRule;
  /** Earlier entries (e.g. from the IVR or a previous queue); the router appends to a copy. */
  history?: readonly CallHistoryEntry[];
}

export interface RoutingCall {
  id: string;
  queue: string;
  skill: string;
  priority: number;
  enqueuedAt: number;
  overflow?: OverflowRule;
  history: CallHistoryEntry[];
}

export interface Assignment {
  call: RoutingCall;
  agentId: string;
  /** The skill through which the agent matched (the call's own skill, or an overflow skill). */
  skill: string;
  proficiency: number;
  waitedSeconds: number;
  viaOverflow: boolean;
}

export interface CallbackDecision {
  offer: boolean;
  expectedWaitSeconds: number;
}

export interface PriorityTable {
  /** Service tier or segment (from the customer-value analysis) → priority. */
  tiers?: Readonly<Record<string, number>>;
  /** Customer tag → priority (used when no tier is known, or when it is higher). */
  tags?: Readonly<Record<string, number>>;
  default: number;
}

/** The call's priority: the highest of its tier's and its tags' priorities, else the default. */
export function callPriority(caller: { serviceTier?: string | null; tags?: readonly string[] }, table: PriorityTable): number {
  let p = Number.NEGATIVE_INFINITY;
  if (caller.serviceTier != null && table.tiers && Object.hasOwn(table.tiers, caller.serviceTier)) p = table.tiers[caller.serviceTier];
  for (const t of caller.tags ?? []) if (table.tags && Object.hasOwn(table.tags, t)) p = Math.max(p, table.tags[t]);
  return p === Number.NEGATIVE_INFINITY ? table.default : p;
}

/**
 * Expected wait of a newly arriving call: the calls ahead of it that idle agents cannot absorb at once, each
 * taking AHT / staffed agents on average. Infinity when nobody with the skill is staffed.
 */
export function expectedWaitSeconds(input: { waitingAhead: number; idleAgents: number; staffedAgents: number; ahtSeconds: number }): number {
  const backlog = input.waitingAhead + 1 - input.idleAgents;
  if (backlog <= 0) return 0;
  if (input.staffedAgents <= 0) return Number.POSITIVE_INFINITY;
  return (backlog * input.ahtSeconds) / input.staffedAgents;
}

/** Routing priority of a queued callback: below any live call's. */
export const CALLBACK_PRIORITY = -1e12;

/** The skill under which callbacks for `skill` wait. */
export function callbackSkill(skill: string): string {
  return `callback:${skill}`;
}

/** An agent's skills plus the callback skill of each skill in `callbackFor` it holds (same proficiency). */
export function withCallbackSkills(skills: readonly SkillProficiency[], callbackFor: ReadonlySet<string>): SkillProficiency[] {
  return [...skills, ...skills.filter((s) => callbackFor.has(s.skill)).map((s) => ({ skill: callbackSkill(s.skill), proficiency: s.proficiency }))];
}

export function shouldOfferCallback(expectedWait: number, thresholdSeconds: number): boolean {
  return expectedWait > thresholdSeconds;
}

/** An agent as a stateless decision sees it (e.g. rows read from the database). */
export interface AgentCandidate {
  id: string;
  skills: readonly SkillProficiency[];
  state: AgentState;
  idleSince: number;
}

/** A waiting call as a stateless decision sees it. */
export interface WaitingCall {
  id: string;
  skill: string;
  priority: number;
  enqueuedAt: number;
  overflow?: OverflowRule;
}

export interface AgentChoice {
  agentId: string;
  skill: string;
  proficiency: number;
  viaOverflow: boolean;
}

/**
 * Stateless form of the call-arrival decision, by a linear scan (for a handful of candidates read from the
 * database; the Router is the fast path). Same rules and tie order as the Router, the array order standing in
 * for registration order.
 */
export function chooseAgent(call: { skill: string; enqueuedAt: number; overflow?: OverflowRule }, agents: readonly AgentCandidate[], now: number): AgentChoice | null {
  const groups = [call.skill];
  if (call.overflow && now >= call.enqueuedAt + call.overflow.afterSeconds) for (const s of call.overflow.skills) if (s !== call.skill) groups.push(s);
  for (const skill of groups) {
    let best: AgentCandidate | null = null;
    let bestLevel = 0;
    for (const a of agents) {
      if (a.state !== 'available') continue;
      const sp = a.skills.find((x) => x.skill === skill);
      if (!sp) continue;
      if (!best || sp.proficiency > bestLevel || (sp.proficiency === bestLevel && a.idleSince < best.idleSince)) {
        best = a;
        bestLevel = sp.proficiency;
      }
    }
    if (best) return { agentId: best.id, skill, proficiency: bestLevel, viaOverflow: skill !== call.skill };
  }
  return null;
}

/** Stateless form of the agent-free decision (see chooseAgent); the array order stands in for offer order. */
export function chooseCall<C extends WaitingCall>(agent: { skills: readonly SkillProficiency[] }, calls: readonly C[], now: number): C | null {
  const has = new Set(agent.skills.map((s) => s.skill));
  let best: C | null = null;
  for (const c of calls) {
    const eligible =
      has.has(c.skill) || (c.overflow !== undefined && now >= c.enqueuedAt + c.overflow.afterSeconds && c.overflow.skills.some((s) => has.has(s)));
    if (!eligible) continue;
    if (!best || c.priority > best.priority || (c.priority === best.priority && c.enqueuedAt < best.enqueuedAt)) best = c;
  }
  return best;
}

interface AgentRec {
  id: string;
  seq: number;
  skills: SkillRec[];
  levels: number[];
  state: AgentState;
  idleSince: number;
  epoch: number;
}

interface AgentEntry {
  agent: AgentRec;
  epoch: number;
  idleSince: number;
}

type CallStatus = 'waiting' | 'answered' | 'removed';

interface CallRec {
  call: RoutingCall;
  seq: number;
  status: CallStatus;
  overflowAt: number;
  /** Skill records whose waiting heap holds this call. */
  inSkills: SkillRec[];
}

interface SkillRec {
  id: string;
  /** Index = proficiency level. */
  idle: Heap<AgentEntry>[];
  idleCount: number[];
  waiting: Heap<CallRec>;
  /** Live calls in `waiting` (own and overflowed). */
  waitingLive: number;
  /** Live calls whose own skill this is. */
  ownWaiting: number;
  staffed: number;
}

const agentLess = (a: AgentEntry, b: AgentEntry) => a.idleSince < b.idleSince || (a.idleSince === b.idleSince && a.agent.seq < b.agent.seq);
const callLess = (a: CallRec, b: CallRec) =>
  a.call.priority > b.call.priority ||
  (a.call.priority === b.call.priority && (a.call.enqueuedAt < b.call.enqueuedAt || (a.call.enqueuedAt === b.call.enqueuedAt && a.seq < b.seq)));
const overflowLess = (a: CallRec, b: CallRec) => a.overflowAt < b.overflowAt || (a.overflowAt === b.overflowAt && a.seq < b.seq);

const isStaffed = (s: AgentState) => s === 'available' || s === 'on_call' || s === 'after_call_work';

export class RoutingError extends Error {}

export class Router {
  private agents = new Map<string, AgentRec>();
  private skills = new Map<string, SkillRec>();
  private calls = new Map<string, CallRec>();
  private overflows = new Heap<CallRec>(overflowLess);
  private agentSeq = 0;
  private callSeq = 0;

  /** Adds or replaces an agent (skills may change between shifts); the agent starts in `state`. */
  upsertAgent(agent: RoutingAgent, state: AgentState, now: number): Assignment | null {
    const old = this.agents.get(agent.id);
    if (old) this.leaveState(old);
    const rec: AgentRec = {
      id: agent.id,
      seq: old ? old.seq : this.agentSeq++,
      skills: [],
      levels: [],
      state: 'offline',
      idleSince: now,
      epoch: old ? old.epoch + 1 : 0,
    };
    const seen = new Set<string>();
    for (const s of agent.skills) {
      if (!Number.isInteger(s.proficiency) || s.proficiency < MIN_PROFICIENCY || s.proficiency > MAX_PROFICIENCY)
        throw new RoutingError(`proficiency of ${agent.id} in ${s.skill} must be an integer 1…5`);
      if (seen.has(s.skill)) throw new RoutingError(`skill ${s.skill} listed twice for ${agent.id}`);
      seen.add(s.skill);
      rec.skills.push(this.skill(s.skill));
      rec.levels.push(s.proficiency);
    }
    this.agents.set(agent.id, rec);
    return this.enterState(rec, state, now);
  }

  removeAgent(agentId: string): void {
    const a = this.agents.get(agentId);
    if (!a) return;
    this.leaveState(a);
    this.agents.delete(agentId);
  }

  agentState(agentId: string): AgentState | undefined {
    return this.agents.get(agentId)?.state;
  }

  /**
   * Moves an agent to a state. Becoming 'available' runs the agent-free decision: the agent takes the best
   * waiting call at once (returned, agent now 'on_call') or starts idling from `now`.
   */
  setAgentState(agentId: string, state: AgentState, now: number): Assignment | null {
    const a = this.agents.get(agentId);
    if (!a) throw new RoutingError(`unknown agent ${agentId}`);
    if (a.state === state && state !== 'available') return null;
    if (a.state === 'available' && state === 'available') return null;
    this.leaveState(a);
    return this.enterState(a, state, now);
  }

  /** Call-arrival decision: the call goes to the best idle agent (returned) or waits. */
  offerCall(input: CallInput, now: number): Assignment | null {
    if (this.calls.has(input.id)) throw new RoutingError(`call ${input.id} is already in the router`);
    const call: RoutingCall = {
      id: input.id,
      queue: input.queue,
      skill: input.skill,
      priority: input.priority,
      enqueuedAt: now,
      overflow: input.overflow,
      history: input.history ? [...input.history] : [],
    };
    call.history.push({ at: now, event: 'queued', queue: call.queue });
    return this.enqueue(call, now);
  }

  /**
   * Re-queues a call (answered or waiting) into another queue and skill, keeping its history. The call must
   * not still be waiting elsewhere in the router; a waiting call is taken out first.
   */
  transferCall(
    call: RoutingCall,
    to: { queue: string; skill: string; priority?: number; overflow?: OverflowRule | null },
    now: number,
    fromAgentId?: string,
  ): Assignment | null {
    const rec = this.calls.get(call.id);
    if (rec && rec.status === 'waiting') this.dropWaiting(rec);
    this.calls.delete(call.id);
    const moved: RoutingCall = {
      id: call.id,
      queue: to.queue,
      skill: to.skill,
      priority: to.priority ?? call.priority,
      enqueuedAt: now,
      overflow: to.overflow === null ? undefined : (to.overflow ?? undefined),
      history: [...call.history, { at: now, event: 'transferred', queue: to.queue, agentId: fromAgentId }],
    };
    return this.enqueue(moved, now);
  }

  /** Takes a waiting call out (caller hung up, or accepted a callback). Returns it, or null if not waiting. */
  removeCall(callId: string, now: number, reason: 'abandoned' | 'callback'): RoutingCall | null {
    const rec = this.calls.get(callId);
    if (!rec || rec.status !== 'waiting') return null;
    this.dropWaiting(rec);
    rec.status = 'removed';
    this.calls.delete(callId);
    rec.call.history.push({ at: now, event: reason, queue: rec.call.queue });
    return rec.call;
  }

  /** Forgets an answered call (after the conversation ends), to keep memory bounded. */
  forgetCall(callId: string): void {
    const rec = this.calls.get(callId);
    if (rec && rec.status !== 'waiting') this.calls.delete(callId);
  }

  getCall(callId: string): RoutingCall | undefined {
    return this.calls.get(callId)?.call;
  }

  /** Time of the next overflow activation among waiting calls, or null. */
  nextOverflowAt(): number | null {
    for (;;) {
      const top = this.overflows.peek();
      if (!top) return null;
      if (top.status === 'waiting') return top.overflowAt;
      this.overflows.pop();
    }
  }

  /** Activates every overflow due by `now`; returns the calls idle agents of the wider groups took. */
  releaseOverflows(now: number): Assignment[] {
    const out: Assignment[] = [];
    for (;;) {
      const top = this.overflows.peek();
      if (!top || top.overflowAt > now) break;
      this.overflows.pop();
      if (top.status !== 'waiting' || !top.call.overflow) continue;
      top.call.history.push({ at: now, event: 'overflowed', queue: top.call.queue });
      const got = this.findAgentFor(top, now, true);
      if (got) {
        out.push(got);
        continue;
      }
      for (const s of top.call.overflow.skills) {
        if (s === top.call.skill) continue;
        const sk = this.skill(s);
        sk.waiting.push(top);
        sk.waitingLive++;
        top.inSkills.push(sk);
        this.compactCalls(sk);
      }
    }
    return out;
  }

  /** Calls waiting whose own skill is `skill`. */
  waitingCount(skill: string): number {
    return this.skills.get(skill)?.ownWaiting ?? 0;
  }

  idleCount(skill: string): number {
    const s = this.skills.get(skill);
    if (!s) return 0;
    let n = 0;
    for (let l = MIN_PROFICIENCY; l <= MAX_PROFICIENCY; l++) n += s.idleCount[l];
    return n;
  }

  staffedCount(skill: string): number {
    return this.skills.get(skill)?.staffed ?? 0;
  }

  /** Callback offer for a call about to queue for `skill` (see the header for the estimate). */
  callbackOffer(skill: string, ahtSeconds: number, thresholdSeconds: number): CallbackDecision {
    const w = expectedWaitSeconds({
      waitingAhead: this.waitingCount(skill),
      idleAgents: this.idleCount(skill),
      staffedAgents: this.staffedCount(skill),
      ahtSeconds,
    });
    return { offer: shouldOfferCallback(w, thresholdSeconds), expectedWaitSeconds: w };
  }

  // ---- internals ----

  private skill(id: string): SkillRec {
    let s = this.skills.get(id);
    if (!s) {
      s = { id, idle: [], idleCount: [], waiting: new Heap<CallRec>(callLess), waitingLive: 0, ownWaiting: 0, staffed: 0 };
      for (let l = 0; l <= MAX_PROFICIENCY; l++) {
        s.idle.push(new Heap<AgentEntry>(agentLess));
        s.idleCount.push(0);
      }
      this.skills.set(id, s);
    }
    return s;
  }

  private enqueue(call: RoutingCall, now: number): Assignment | null {
    const rec: CallRec = {
      call,
      seq: this.callSeq++,
      status: 'waiting',
      overflowAt: call.overflow ? call.enqueuedAt + call.overflow.afterSeconds : Number.POSITIVE_INFINITY,
      inSkills: [],
    };
    this.calls.set(call.id, rec);
    const overflowNow = rec.overflowAt <= now;
    const got = this.findAgentFor(rec, now, overflowNow);
    if (got) return got;
    const own = this.skill(call.skill);
    own.waiting.push(rec);
    own.waitingLive++;
    own.ownWaiting++;
    rec.inSkills.push(own);
    if (call.overflow) {
      if (overflowNow) {
        for (const s of call.overflow.skills) {
          if (s === call.skill) continue;
          const sk = this.skill(s);
          sk.waiting.push(rec);
          sk.waitingLive++;
          rec.inSkills.push(sk);
        }
      } else this.overflows.push(rec);
    }
    this.compactCalls(own);
    return null;
  }

  private dropWaiting(rec: CallRec): void {
    for (const s of rec.inSkills) {
      s.waitingLive--;
      if (s.id === rec.call.skill) s.ownWaiting--;
    }
    rec.inSkills = [];
    rec.status = 'removed';
  }

  /** Best idle agent for a call: own skill first, then (if allowed) overflow skills in the order listed. */
  private findAgentFor(rec: CallRec, now: number, withOverflow: boolean): Assignment | null {
    const call = rec.call;
    let found = this.bestIdle(this.skills.get(call.skill));
    let via = call.skill;
    if (!found && withOverflow && call.overflow) {
      for (const s of call.overflow.skills) {
        found = this.bestIdle(this.skills.get(s));
        if (found) {
          via = s;
          break;
        }
      }
    }
    if (!found) return null;
    const agent = found.agent;
    const level = agent.levels[agent.skills.findIndex((s) => s.id === via)];
    if (rec.status === 'waiting' && rec.inSkills.length > 0) this.dropWaiting(rec);
    rec.status = 'answered';
    this.leaveState(agent);
    this.enterBusy(agent);
    call.history.push({ at: now, event: 'answered', queue: call.queue, agentId: agent.id });
    return { call, agentId: agent.id, skill: via, proficiency: level, waitedSeconds: now - call.enqueuedAt, viaOverflow: via !== call.skill };
  }

  private bestIdle(s: SkillRec | undefined): AgentEntry | null {
    if (!s) return null;
    for (let l = MAX_PROFICIENCY; l >= MIN_PROFICIENCY; l--) {
      if (s.idleCount[l] === 0) continue;
      const h = s.idle[l];
      for (;;) {
        const top = h.peek();
        if (!top) break;
        if (top.agent.state === 'available' && top.agent.epoch === top.epoch) return top;
        h.pop();
      }
    }
    return null;
  }

  private bestWaiting(a: AgentRec): CallRec | null {
    let best: CallRec | null = null;
    for (const s of a.skills) {
      if (s.waitingLive === 0) continue;
      const h = s.waiting;
      for (;;) {
        const top = h.peek();
        if (!top) break;
        if (top.status === 'waiting') {
          if (!best || callLess(top, best)) best = top;
          break;
        }
        h.pop();
      }
    }
    return best;
  }

  private leaveState(a: AgentRec): void {
    if (a.state === 'available') {
      a.epoch++;
      for (let i = 0; i < a.skills.length; i++) a.skills[i].idleCount[a.levels[i]]--;
    }
    if (isStaffed(a.state)) for (const s of a.skills) s.staffed--;
    a.state = 'offline';
  }

  private enterBusy(a: AgentRec): void {
    a.state = 'on_call';
    for (const s of a.skills) s.staffed++;
  }

  private enterState(a: AgentRec, state: AgentState, now: number): Assignment | null {
    if (state === 'available') {
      const call = this.bestWaiting(a);
      if (call) {
        const waitedSeconds = now - call.call.enqueuedAt;
        const own = a.skills.findIndex((s) => s.id === call.call.skill);
        const via = own >= 0 ? a.skills[own] : (call.inSkills.find((s) => a.skills.includes(s)) as SkillRec);
        const level = a.levels[a.skills.indexOf(via)];
        this.dropWaiting(call);
        call.status = 'answered';
        this.enterBusy(a);
        call.call.history.push({ at: now, event: 'answered', queue: call.call.queue, agentId: a.id });
        return { call: call.call, agentId: a.id, skill: via.id, proficiency: level, waitedSeconds, viaOverflow: via.id !== call.call.skill };
      }
      a.state = 'available';
      a.idleSince = now;
      a.epoch++;
      for (let i = 0; i < a.skills.length; i++) {
        const s = a.skills[i];
        const l = a.levels[i];
        s.idleCount[l]++;
        s.staffed++;
        s.idle[l].push({ agent: a, epoch: a.epoch, idleSince: now });
        if (s.idle[l].size > 2 * s.idleCount[l] + 64) s.idle[l].filter((e) => e.agent.state === 'available' && e.agent.epoch === e.epoch);
      }
      return null;
    }
    a.state = state;
    if (isStaffed(state)) for (const s of a.skills) s.staffed++;
    return null;
  }

  private compactCalls(s: SkillRec): void {
    if (s.waiting.size > 2 * s.waitingLive + 64) s.waiting.filter((c) => c.status === 'waiting');
  }
}
