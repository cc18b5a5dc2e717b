// Demo service orders (演示服务单), generated deterministically from a seed: the i-th order of a seed is always
// the same (customer ordinal, type, priority, times, path through the workflow, events, callback), whatever the
// batch size or database. Orders are generated in time order over the last `days` days before the anchor,
// denser in office hours and on weekdays. Each order walks the real workflow (model/workflow.ts) up to the
// anchor, so recent orders are still open; SLA due times come from the real clock (model/sla-clock.ts) on the
// policy the real choice rule picks. Pure: the anchor, calendars, staff and the id generator are passed in.
import { createRng, WeightedTable, type Rng } from '../../../customers/demo/model/prng.ts';
import { issues, products } from '../../../customers/demo/model/vocabulary.ts';
import { businessMsBetween, compileCalendar, type BusinessCalendar, type CompiledCalendar } from '../../model/business-calendar.ts';
import { slaDueAtMs, type Pause } from '../../model/sla-clock.ts';
import { atRiskMinutes, choosePolicy, type PolicyRule, type SlaTargets } from '../../model/sla-policy.ts';
import type { ComplaintSeverity, Priority, ServiceStatus, SlaState } from '../../tables.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface DemoPolicy extends PolicyRule, SlaTargets {
  calendar: BusinessCalendar;
}

export interface ServiceDemoEnvironment {
  /** Everything generated lies before this instant. */
  anchor: Date;
  days: number;
  /** Customers to spread the orders over (by ordinal in id order). */
  customerCount: number;
  /** Front-line staff (assignees) and the teams orders go to (may be empty). */
  agents: readonly string[];
  teams: readonly string[];
  complaintTeam: string | null;
  policies: readonly DemoPolicy[];
  /** The organization's UTC offset in minutes (office hours weighting only). */
  utcOffsetMinutes: number;
}

export interface DemoServiceEvent {
  id: string;
  kind: string;
  data: Record<string, unknown>;
  at: Date;
  actorId: string | null;
}

export interface DemoCallback {
  id: string;
  dueAt: Date;
  assigneeUserId: string | null;
  status: 'pending' | 'done';
  outcome: 'satisfied' | 'not_satisfied' | null;
  attempts: number;
  completedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface DemoServiceOrder {
  id: string;
  customerOrdinal: number;
  type: string;
  channel: string;
  priority: Priority;
  title: string;
  description: string;
  assigneeUserId: string | null;
  assigneeTeamId: string | null;
  status: ServiceStatus;
  slaPolicyId: string | null;
  firstResponseDueAt: Date | null;
  firstResponseAtRiskAt: Date | null;
  resolutionDueAt: Date | null;
  resolutionAtRiskAt: Date | null;
  firstRespondedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  firstResponseSlaState: SlaState;
  resolutionSlaState: SlaState;
  slaState: SlaState;
  nextDueAt: Date | null;
  pausedSince: Date | null;
  pausedMinutes: number;
  pauses: { from: string; to: string | null }[];
  resolution: string | null;
  firstContactResolved: boolean;
  customerConfirmed: boolean | null;
  satisfaction: number | null;
  severity: ComplaintSeverity | null;
  rootCause: string | null;
  compensationMinor: number | null;
  compensationCurrency: string | null;
  createdAt: Date;
  updatedAt: Date;
  events: DemoServiceEvent[];
  callbacks: DemoCallback[];
}

const typeTable = new WeightedTable(['repair', 'inquiry', 'installation', 'maintenance', 'complaint'], [34, 24, 16, 14, 12]);
const priorityTable = new WeightedTable<Priority>(['low', 'normal', 'high', 'urgent'], [15, 60, 20, 5]);
const channelTable = new WeightedTable(['phone', 'wechat', 'app', 'web', 'counter', 'email', 'sms'], [40, 25, 12, 10, 6, 5, 2]);
const severityTable = new WeightedTable<ComplaintSeverity>(['low', 'medium', 'high', 'critical'], [30, 45, 20, 5]);
const rootCauses = ['product_quality', 'delivery', 'installation', 'service_attitude', 'billing', 'policy', 'other'];
const callbackDelayMinutes: Record<string, number | null> = { complaint: 1440, repair: 2880, installation: 2880, maintenance: 4320, inquiry: null };
const resolutions: Record<string, readonly string[]> = {
  repair: ['上门更换主板', '更换密封圈', '调整安装支架', '远程指导重置', '更换电源适配器'],
  inquiry: ['已电话解答', '已发送保修政策说明', '已告知最近网点地址'],
  installation: ['已上门安装调试', '已完成安装并讲解使用'],
  maintenance: ['已完成年度保养', '已清洗滤网并检测'],
  complaint: ['致歉并补偿优惠券', '安排换新', '退还服务费', '约谈服务人员并回访'],
};

/** Weight of each hour of the week in local time: office hours busy, nights quiet, weekends lighter. */
function hourWeight(localHour: number, localWeekday: number): number {
  const base = localHour >= 9 && localHour < 18 ? 10 : localHour >= 8 && localHour < 22 ? 4 : 0.5;
  return localWeekday === 0 || localWeekday === 6 ? base * 0.5 : base;
}

/** Minutes drawn from an exponential distribution with the given mean (at least `min`). */
function expMinutes(rng: Rng, mean: number, min = 1): number {
  return Math.max(min, Math.round(-Math.log(1 - rng.next()) * mean));
}

export class ServiceOrderDemoGenerator {
  private readonly rng: Rng;
  private readonly start: number;
  private readonly cumulative: Float64Array;
  private readonly compiled = new Map<string, CompiledCalendar>();
  private index = 0;

  constructor(
    readonly seed: string | number,
    readonly env: ServiceDemoEnvironment,
    readonly total: number,
    private readonly deps: { newId: () => string },
  ) {
    this.rng = createRng(seed, 'service-orders');
    const end = Math.floor(env.anchor.getTime() / HOUR) * HOUR;
    this.start = end - env.days * DAY;
    const hours = env.days * 24;
    this.cumulative = new Float64Array(hours + 1);
    for (let h = 0; h < hours; h++) {
      const local = new Date(this.start + h * HOUR + env.utcOffsetMinutes * MINUTE);
      this.cumulative[h + 1] = this.cumulative[h] + hourWeight(local.getUTCHours(), local.getUTCDay());
    }
    for (const p of env.policies) this.compiled.set(p.id, compileCalendar(p.calendar));
  }

  /** The i-th creation time: the (i + u)/N quantile of the office-hours weighting, so times increase with i. */
  private createdAt(i: number): number {
    const hours = this.cumulative.length - 1;
    const target = ((i + this.rng.next()) / this.total) * this.cumulative[hours];
    let lo = 0;
    let hi = hours;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] <= target) lo = mid;
      else hi = mid;
    }
    const within = (target - this.cumulative[lo]) / Math.max(1e-9, this.cumulative[lo + 1] - this.cumulative[lo]);
    return Math.floor((this.start + (lo + Math.min(0.999, within)) * HOUR) / MINUTE) * MINUTE;
  }

  next(): DemoServiceOrder {
    const i = this.index++;
    const rng = this.rng;
    const env = this.env;
    const anchor = env.anchor.getTime();
    const created = this.createdAt(i);
    // A few customers call often: a fifth of the orders go to the first tenth of the customers.
    const customerOrdinal = rng.chance(0.2) ? rng.int(0, Math.max(0, Math.floor(env.customerCount / 10) - 1)) : rng.int(0, Math.max(0, env.customerCount - 1));
    const type = typeTable.pick(rng);
    const priority = priorityTable.pick(rng);
    const channel = channelTable.pick(rng);
    const product = rng.pick(products);
    const issue = rng.pick(issues);
    const title =
      type === 'repair' ? `${product}${issue}`
        : type === 'inquiry' ? `咨询${product}${rng.pick(['保修政策', '使用方法', '配件价格', '以旧换新'])}`
        : type === 'installation' ? `${product}安装预约`
        : type === 'maintenance' ? `${product}定期保养`
        : `投诉：${product}${issue}`;
    const description = `客户来电反映：${product}${issue}，请尽快处理。`;
    const complaint = type === 'complaint';
    const severity = complaint ? severityTable.pick(rng) : null;
    const agent = env.agents.length ? rng.pick(env.agents) : null;
    const team = complaint && env.complaintTeam ? env.complaintTeam : env.teams.length ? rng.pick(env.teams) : null;
    const assignedAtCreate = rng.chance(0.8);

    const policy = choosePolicy(env.policies, { type, priority, customerTags: [], customerTier: null });
    const cal = policy ? this.compiled.get(policy.id)! : null;

    // The path, in wall-clock times; a step after the anchor has not happened yet.
    const firstContact = (type === 'inquiry' && rng.chance(0.55)) || rng.chance(0.06);
    const slow = rng.chance(0.12); // the orders that will miss their targets
    const frAt = firstContact ? created + rng.int(3, 25) * MINUTE : created + expMinutes(rng, slow ? 600 : 45, 2) * MINUTE;
    const waits = !firstContact && rng.chance(0.25);
    const waitFrom = frAt + expMinutes(rng, 180, 10) * MINUTE;
    const waitTo = waitFrom + expMinutes(rng, slow ? 4320 : 1440, 30) * MINUTE;
    const workFrom = waits ? waitTo : frAt;
    const resolvedAt = firstContact ? frAt : workFrom + expMinutes(rng, slow ? 4000 : 600, 15) * MINUTE;
    const reopens = !firstContact && rng.chance(0.07);
    const reopenAt = resolvedAt + rng.int(600, 4000) * MINUTE;
    const reResolvedAt = reopenAt + expMinutes(rng, 480, 30) * MINUTE;
    const finalResolvedAt = reopens ? reResolvedAt : resolvedAt;
    const closes = rng.chance(0.75);
    const closedAt = finalResolvedAt + rng.int(1440, 5760) * MINUTE;
    const rating = rng.chance(0.7) ? 5 : rng.chance(0.7) ? 4 : rng.int(1, 3);
    const resolutionText = rng.pick(resolutions[type] ?? resolutions.repair);
    const compensation = complaint && rng.chance(0.3) ? rng.int(2, 50) * 1000 : null;
    const happened = (t: number) => t <= anchor;

    const id = this.deps.newId();
    const events: DemoServiceEvent[] = [];
    const ev = (kind: string, at: number, data: Record<string, unknown>, actor: string | null = agent) =>
      events.push({ id: this.deps.newId(), kind, data, at: new Date(at), actorId: actor });
    ev('created', created, { title, type, priority, channel, slaPolicyId: policy?.id ?? null }, null);
    let status = 'new' as ServiceStatus;
    const assign = (at: number) => {
      ev('assigned', at, { assigneeUserId: agent, assigneeTeamId: team, queue: null });
      status = 'assigned';
    };
    if (assignedAtCreate && (agent || team)) assign(created);
    const move = (to: ServiceStatus, at: number, extra: Record<string, unknown> = {}) => {
      ev(to === 'in_progress' && (status === 'resolved' || status === 'closed') ? 'reopened' : 'transition', at, { from: status, to, ...extra });
      status = to;
    };

    const pauses: Pause[] = [];
    let firstRespondedAt: number | null = null;
    let resolved: number | null = null;
    const resolveTimes: number[] = [];
    let closed: number | null = null;
    const cbs: DemoCallback[] = [];
    const callbackDelay = callbackDelayMinutes[type] ?? null;
    const scheduleCallback = (at: number) => {
      if (callbackDelay === null) return null;
      const cb: DemoCallback = {
        id: this.deps.newId(), dueAt: new Date(at + callbackDelay * MINUTE), assigneeUserId: agent, status: 'pending', outcome: null,
        attempts: 0, completedAt: null, createdAt: new Date(at), updatedAt: new Date(at),
      };
      cbs.push(cb);
      ev('callback_scheduled', at, { callbackId: cb.id, dueAt: cb.dueAt.toISOString() });
      return cb;
    };

    if (firstContact) {
      if (happened(frAt)) {
        firstRespondedAt = frAt;
        resolved = frAt;
        resolveTimes.push(frAt);
        move('resolved', frAt, { resolution: resolutionText, firstContactResolved: true, firstResponse: true });
        pauses.push({ from: new Date(frAt), to: null });
      }
    } else if (happened(frAt)) {
      if (status === 'new' && !assignedAtCreate && (agent || team)) assign(frAt);
      firstRespondedAt = frAt;
      move('in_progress', frAt, { firstResponse: true });
      if (waits && happened(waitFrom)) {
        move('waiting_on_customer', waitFrom);
        pauses.push({ from: new Date(waitFrom), to: null });
        if (happened(waitTo)) {
          pauses[pauses.length - 1].to = new Date(waitTo);
          move('in_progress', waitTo);
        }
      }
      if (status === 'in_progress' && happened(resolvedAt)) {
        resolved = resolvedAt;
        resolveTimes.push(resolvedAt);
        move('resolved', resolvedAt, { resolution: resolutionText, firstContactResolved: false });
        pauses.push({ from: new Date(resolvedAt), to: null });
        const cb = scheduleCallback(resolvedAt);
        if (reopens && happened(reopenAt)) {
          // The callback finds the customer unhappy: the order goes back to work (回访不满意 → 重新处理).
          if (cb) Object.assign(cb, { status: 'done', outcome: 'not_satisfied', attempts: 1, completedAt: new Date(reopenAt), updatedAt: new Date(reopenAt) });
          if (cb) ev('callback_outcome', reopenAt, { callbackId: cb.id, outcome: 'not_satisfied', attempts: 1, satisfaction: 2 });
          pauses[pauses.length - 1].to = new Date(reopenAt);
          resolved = null;
          move('in_progress', reopenAt, { reason: 'callback_not_satisfied' });
          if (happened(reResolvedAt)) {
            resolved = reResolvedAt;
            resolveTimes.push(reResolvedAt);
            move('resolved', reResolvedAt, { resolution: resolutionText, firstContactResolved: false });
            pauses.push({ from: new Date(reResolvedAt), to: null });
            scheduleCallback(reResolvedAt);
          }
        }
      }
    }
    if (status === 'resolved' && closes && happened(closedAt)) {
      closed = closedAt;
      const cb = cbs.find((c) => c.status === 'pending');
      if (cb) {
        Object.assign(cb, { status: 'done', outcome: 'satisfied', attempts: 1, completedAt: new Date(closedAt), updatedAt: new Date(closedAt) });
        ev('callback_outcome', closedAt, { callbackId: cb.id, outcome: 'satisfied', attempts: 1, satisfaction: rating });
      }
      move('closed', closedAt, cb ? { reason: 'callback_satisfied' } : {});
    }

    // SLA: the first-response target is measured without pauses (it comes before any), resolution with the
    // closed pauses; a state is judged when the target was met, else now (or when the clock stopped).
    let fr: SlaState = 'ok';
    let res: SlaState = 'ok';
    let frDue: number | null = null, frRisk: number | null = null, resDue: number | null = null, resRisk: number | null = null;
    let pausedMinutes = 0;
    const open = status === 'new' || status === 'assigned' || status === 'in_progress' || status === 'waiting_on_customer';
    const openPause = pauses.find((p) => p.to === null) ?? null;
    if (policy && cal) {
      const closedPauses = pauses.filter((p) => p.to !== null);
      frDue = slaDueAtMs(cal, created, policy.firstResponseMinutes * MINUTE, []);
      frRisk = slaDueAtMs(cal, created, atRiskMinutes(policy.firstResponseMinutes, policy.atRiskPercent) * MINUTE, []);
      resDue = slaDueAtMs(cal, created, policy.resolutionMinutes * MINUTE, closedPauses);
      resRisk = slaDueAtMs(cal, created, atRiskMinutes(policy.resolutionMinutes, policy.atRiskPercent) * MINUTE, closedPauses);
      for (const p of closedPauses) pausedMinutes += Math.round(businessMsBetween(cal, p.from.getTime(), p.to!.getTime()) / MINUTE);
      const judge = (due: number | null, risk: number | null, at: number): SlaState =>
        due !== null && due <= at ? 'breached' : risk !== null && risk <= at ? 'at_risk' : 'ok';
      const clockStop = openPause ? openPause.from.getTime() : anchor;
      fr = firstRespondedAt !== null ? (frDue !== null && firstRespondedAt > frDue ? 'breached' : 'ok') : judge(frDue, frRisk, clockStop);
      const late = resolveTimes.some((t) => resDue !== null && t > resDue);
      res = late ? 'breached' : open ? judge(resDue, resRisk, clockStop) : 'ok';
      if (fr === 'breached' && frDue !== null) ev('sla_breached', frDue, { target: 'first_response', dueAt: new Date(frDue).toISOString() }, null);
      if (res === 'breached' && resDue !== null) ev('sla_breached', resDue, { target: 'resolution', dueAt: new Date(resDue).toISOString() }, null);
    }
    events.sort((a, b) => a.at.getTime() - b.at.getTime());
    const firstResponded = firstRespondedAt !== null;
    const slaState: SlaState = worse(firstResponded ? 'ok' : fr, res);
    const nextDue = open && !openPause ? minOf([firstResponded ? null : frDue, resDue]) : null;
    const last = events[events.length - 1].at;

    return {
      id,
      customerOrdinal,
      type,
      channel,
      priority,
      title,
      description,
      assigneeUserId: status === 'new' ? null : agent,
      assigneeTeamId: status === 'new' ? null : team,
      status,
      slaPolicyId: policy?.id ?? null,
      firstResponseDueAt: date(frDue),
      firstResponseAtRiskAt: date(frRisk),
      resolutionDueAt: date(resDue),
      resolutionAtRiskAt: date(resRisk),
      firstRespondedAt: date(firstRespondedAt),
      resolvedAt: date(resolved),
      closedAt: date(closed),
      firstResponseSlaState: fr,
      resolutionSlaState: res,
      slaState,
      nextDueAt: date(nextDue),
      pausedSince: openPause ? openPause.from : null,
      pausedMinutes,
      pauses: pauses.map((p) => ({ from: p.from.toISOString(), to: p.to ? p.to.toISOString() : null })),
      resolution: resolveTimes.length ? resolutionText : null,
      firstContactResolved: firstContact && resolved !== null,
      customerConfirmed: closed !== null ? true : null,
      satisfaction: closed !== null ? rating : reopens && happened(reopenAt) && callbackDelay !== null ? 2 : null,
      severity,
      rootCause: complaint ? rng.pick(rootCauses) : null,
      compensationMinor: compensation,
      compensationCurrency: compensation === null ? null : 'CNY',
      createdAt: new Date(created),
      updatedAt: last,
      events,
      callbacks: cbs,
    };
  }
}

const rank: Record<SlaState, number> = { ok: 0, at_risk: 1, breached: 2 };
function worse(a: SlaState, b: SlaState): SlaState {
  return rank[a] >= rank[b] ? a : b;
}
function minOf(xs: (number | null)[]): number | null {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? Math.min(...v) : null;
}
function date(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}
