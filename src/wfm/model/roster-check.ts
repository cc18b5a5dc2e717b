// Independent checker of a roster's hard rules: it reads only the problem and the list of assignments and
// recomputes everything from clock times, sharing no code with the integer program in roster.ts.
// Rules: one shift per agent and day, known agent and shift, availability (unavailable days, per-day
// shift lists, shifts the agent may work at all), skill held, hours per week (rule and contract), minimum
// rest between the end of one shift and the start of the next, maximum consecutive working days, minimum
// days off per week (weeks are 7-day blocks from day 0); with interval demand, each part of a shift serves one
// skill the agent holds, inside the shift's clock span, without overlap.
// `checkCoverageClaims` recomputes coverage from the assignments alone (per (day, shift, skill) for shift
// demand; per interval and skill from the agents' skill plans for interval demand, an interval counting only
// when a segment spans all of it) and flags every claimed figure that differs.
import { expandIntervalDemand, type RosterAssignment, type RosterIntervalCoverage, type RosterProblem } from './roster-types.ts';

export type RosterRule =
  | 'unknown_agent'
  | 'unknown_shift'
  | 'day_out_of_range'
  | 'one_shift_per_day'
  | 'availability'
  | 'skill'
  | 'max_hours_per_week'
  | 'min_rest'
  | 'max_consecutive_days'
  | 'min_days_off_per_week'
  | 'coverage_claim';

export interface RosterViolation {
  rule: RosterRule;
  agentId: string;
  /** Day of the offending shift (or the first day of the offending week / run). */
  day?: number;
  week?: number;
  detail: string;
}

export function checkRoster(problem: RosterProblem, assignments: readonly RosterAssignment[]): RosterViolation[] {
  const out: RosterViolation[] = [];
  const agents = new Map(problem.agents.map((a) => [a.id, a]));
  const shifts = new Map(problem.shifts.map((s) => [s.id, s]));
  const rules = problem.rules;
  const perAgent = new Map<string, RosterAssignment[]>();
  for (const as of assignments) {
    const agent = agents.get(as.agentId);
    if (!agent) {
      out.push({ rule: 'unknown_agent', agentId: as.agentId, day: as.day, detail: `no agent ${as.agentId}` });
      continue;
    }
    const shift = shifts.get(as.shift);
    if (!shift) {
      out.push({ rule: 'unknown_shift', agentId: as.agentId, day: as.day, detail: `no shift ${as.shift}` });
      continue;
    }
    if (!Number.isInteger(as.day) || as.day < 0 || as.day >= problem.days) {
      out.push({ rule: 'day_out_of_range', agentId: as.agentId, day: as.day, detail: `day ${as.day} outside 0..${problem.days - 1}` });
      continue;
    }
    if (agent.unavailableDays?.includes(as.day)) out.push({ rule: 'availability', agentId: agent.id, day: as.day, detail: `unavailable on day ${as.day}` });
    if (agent.allowedShifts && !agent.allowedShifts.includes(as.shift)) out.push({ rule: 'availability', agentId: agent.id, day: as.day, detail: `may not work shift ${as.shift}` });
    const dayAvail = agent.availability?.filter((x) => x.day === as.day);
    if (dayAvail && dayAvail.length && !dayAvail.some((x) => x.shifts.includes(as.shift))) out.push({ rule: 'availability', agentId: agent.id, day: as.day, detail: `only available for ${dayAvail.flatMap((x) => x.shifts).join(', ') || 'nothing'} on day ${as.day}` });
    if (as.skill !== undefined && !(agent.skills ?? []).includes(as.skill)) out.push({ rule: 'skill', agentId: agent.id, day: as.day, detail: `lacks skill ${as.skill}` });
    if (as.skillPlan) {
      const segs = [...as.skillPlan].sort((x, y) => x.fromMinute - y.fromMinute);
      let last = -Infinity;
      for (const g of segs) {
        if (!(g.fromMinute < g.toMinute) || g.fromMinute < shift.startMinute || g.toMinute > shift.startMinute + shift.lengthMinutes)
          out.push({ rule: 'skill', agentId: agent.id, day: as.day, detail: `skill segment ${g.fromMinute}–${g.toMinute} outside shift ${as.shift}` });
        if (g.fromMinute < last) out.push({ rule: 'skill', agentId: agent.id, day: as.day, detail: `overlapping skill segments at minute ${g.fromMinute}` });
        last = Math.max(last, g.toMinute);
        if (g.skill !== null && !(agent.skills ?? []).includes(g.skill)) out.push({ rule: 'skill', agentId: agent.id, day: as.day, detail: `lacks skill ${g.skill} (minute ${g.fromMinute})` });
      }
    }
    const list = perAgent.get(agent.id) ?? [];
    list.push(as);
    perAgent.set(agent.id, list);
  }
  const weeks = Math.ceil(problem.days / 7);
  for (const [agentId, list] of perAgent) {
    const agent = agents.get(agentId)!;
    // One shift per day.
    const byDay = new Map<number, RosterAssignment[]>();
    for (const as of list) byDay.set(as.day, [...(byDay.get(as.day) ?? []), as]);
    for (const [day, l] of byDay) if (l.length > 1) out.push({ rule: 'one_shift_per_day', agentId, day, detail: `${l.length} shifts on day ${day}` });
    // Hours and days off per week.
    const maxHours = Math.min(rules.maxHoursPerWeek, agent.maxHoursPerWeek ?? Infinity);
    for (let w = 0; w < weeks; w++) {
      const inWeek = list.filter((as) => Math.floor(as.day / 7) === w);
      const minutes = inWeek.reduce((m, as) => {
        const s = shifts.get(as.shift)!;
        return m + (s.paidMinutes ?? s.lengthMinutes);
      }, 0);
      if (minutes > maxHours * 60 + 1e-6) out.push({ rule: 'max_hours_per_week', agentId, week: w, day: w * 7, detail: `${minutes / 60} h in week ${w + 1} > ${maxHours} h` });
      const daysInWeek = Math.min(7, problem.days - w * 7);
      const worked = new Set(inWeek.map((as) => as.day)).size;
      const off = daysInWeek - worked;
      const required = Math.min(rules.minDaysOffPerWeek, daysInWeek);
      if (daysInWeek === 7 && off < required) out.push({ rule: 'min_days_off_per_week', agentId, week: w, day: w * 7, detail: `${off} days off in week ${w + 1} < ${required}` });
    }
    // Rest between consecutive shifts, in clock time.
    const timed = list
      .map((as) => {
        const s = shifts.get(as.shift)!;
        const start = as.day * 1440 + s.startMinute;
        return { as, start, end: start + s.lengthMinutes };
      })
      .sort((a, b) => a.start - b.start);
    for (let i = 1; i < timed.length; i++) {
      const rest = timed[i].start - timed[i - 1].end;
      if (rest < rules.minRestHours * 60) out.push({ rule: 'min_rest', agentId, day: timed[i].as.day, detail: `${(rest / 60).toFixed(2)} h rest before day ${timed[i].as.day} < ${rules.minRestHours} h` });
    }
    // Consecutive working days.
    const days = [...new Set(list.map((as) => as.day))].sort((a, b) => a - b);
    let runStart = 0;
    for (let i = 1; i <= days.length; i++) {
      if (i === days.length || days[i] !== days[i - 1] + 1) {
        const len = i - runStart;
        if (len > rules.maxConsecutiveDays) out.push({ rule: 'max_consecutive_days', agentId, day: days[runStart], detail: `${len} consecutive working days from day ${days[runStart]} > ${rules.maxConsecutiveDays}` });
        runStart = i;
      }
    }
  }
  return out;
}

export interface RosterCoverageClaims {
  coverage?: readonly { day: number; shift: string; skill: string | null; required: number; assigned: number }[];
  intervalCoverage?: readonly RosterIntervalCoverage[];
}

/** Flags every coverage figure in `claims` that the assignments and the problem do not bear out (rule 'coverage_claim'). */
export function checkCoverageClaims(problem: RosterProblem, assignments: readonly RosterAssignment[], claims: RosterCoverageClaims): RosterViolation[] {
  const out: RosterViolation[] = [];
  const claim = (detail: string, day?: number) => out.push({ rule: 'coverage_claim', agentId: '', day, detail });
  if (claims.coverage) {
    const required = new Map<string, number>();
    for (const r of problem.demand) {
      const key = `${r.day}|${r.shift}|${r.skill ?? ''}`;
      required.set(key, (required.get(key) ?? 0) + r.count);
    }
    const assigned = new Map<string, number>();
    for (const as of assignments) {
      const key = `${as.day}|${as.shift}|${as.skill ?? ''}`;
      assigned.set(key, (assigned.get(key) ?? 0) + 1);
    }
    for (const c of claims.coverage) {
      const key = `${c.day}|${c.shift}|${c.skill ?? ''}`;
      if ((required.get(key) ?? 0) !== c.required) claim(`day ${c.day} ${c.shift} ${c.skill ?? '(any)'}: claims ${c.required} required, demand says ${required.get(key) ?? 0}`, c.day);
      if ((assigned.get(key) ?? 0) !== c.assigned) claim(`day ${c.day} ${c.shift} ${c.skill ?? '(any)'}: claims ${c.assigned} assigned, roster has ${assigned.get(key) ?? 0}`, c.day);
    }
  }
  const idm = problem.intervalDemand;
  if (claims.intervalCoverage && idm) {
    const I = idm.intervalMinutes;
    const perDay = 1440 / I;
    const T = problem.days * perDay;
    const skills = idm.requirements.map((r) => r.skill ?? null);
    const req = expandIntervalDemand(problem.days, idm);
    const covered = skills.map(() => new Array<number>(T).fill(0));
    for (const as of assignments)
      for (const g of as.skillPlan ?? []) {
        const k = skills.indexOf(g.skill);
        if (k < 0) continue;
        const from = as.day * 1440 + g.fromMinute;
        const to = as.day * 1440 + g.toMinute;
        for (let t = Math.ceil(from / I); (t + 1) * I <= to && t < T; t++) covered[k][t]++;
      }
    const seen = skills.map(() => new Array<boolean>(T).fill(false));
    for (const c of claims.intervalCoverage) {
      const k = skills.indexOf(c.skill);
      const t = c.day * perDay + c.minute / I;
      if (k < 0 || !Number.isInteger(t) || t < 0 || t >= T) {
        claim(`unknown interval or skill: day ${c.day} minute ${c.minute} ${c.skill ?? '(any)'}`, c.day);
        continue;
      }
      seen[k][t] = true;
      if (c.required !== req[k][t]) claim(`day ${c.day} minute ${c.minute} ${c.skill ?? '(any)'}: claims ${c.required} required, demand says ${req[k][t]}`, c.day);
      if (c.covered !== covered[k][t]) claim(`day ${c.day} minute ${c.minute} ${c.skill ?? '(any)'}: claims ${c.covered} covered, skill plans give ${covered[k][t]}`, c.day);
    }
    for (let k = 0; k < skills.length; k++)
      for (let t = 0; t < T; t++)
        if (!seen[k][t] && (req[k][t] > 0 || covered[k][t] > 0)) claim(`day ${Math.floor(t / perDay)} minute ${(t % perDay) * I} ${skills[k] ?? '(any)'}: no coverage reported`, Math.floor(t / perDay));
  }
  return out;
}
