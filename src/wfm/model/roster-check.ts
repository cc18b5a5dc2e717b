// Independent checker of a roster's hard rules: it reads only the problem and the list of assignments and
// recomputes everything from clock times, sharing no code with the integer program in roster.ts.
// Rules: one shift per agent and day, known agent and shift, availability (unavailable days, per-day
// shift lists, shifts the agent may work at all), skill held, hours per week (rule and contract), minimum
// rest between the end of one shift and the start of the next, maximum consecutive working days, minimum
// days off per week (weeks are 7-day blocks from day 0).
import type { RosterAssignment, RosterProblem } from './roster-types.ts';

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
  | 'min_days_off_per_week';

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
