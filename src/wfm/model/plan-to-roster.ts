// Bridge from a shift plan (shifts.ts: how many shifts of each template start at each interval) to roster
// inputs (roster.ts: shift types and per-day demand). Each distinct (template, start time of day) becomes a
// roster shift type `template@HH:MM`; each planned start becomes demand on its day. A plan for one cyclic
// week is repeated for every week of the roster horizon.
import type { RosterDemand, RosterShift } from './roster-types.ts';
import type { ShiftPlan, ShiftProblem } from './shifts.ts';

export interface PlanToRosterOptions {
  /** Roster horizon in weeks (default 1); the plan's days repeat when it covers fewer days. */
  weeks?: number;
  /** Skill to put on every demand row (default none: any agent). */
  skill?: string;
}

export interface RosterInputsFromPlan {
  days: number;
  shifts: RosterShift[];
  demand: RosterDemand[];
}

const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

export function rosterInputsFromShiftPlan(problem: ShiftProblem, plan: ShiftPlan, options: PlanToRosterOptions = {}): RosterInputsFromPlan {
  const weeks = options.weeks ?? 1;
  const days = weeks * 7;
  const planDays = Math.max(1, Math.round((problem.requirements.length * problem.intervalMinutes) / 1440));
  const templates = new Map(problem.shiftTemplates.map((t) => [t.name, t]));
  const shifts = new Map<string, RosterShift>();
  const perDay = new Map<string, number>();
  for (const a of plan.assignments) {
    const t = templates.get(a.template);
    if (!t) throw new Error(`unknown template ${a.template}`);
    const minute = a.start * problem.intervalMinutes;
    const day = Math.floor(minute / 1440);
    const startMinute = minute % 1440;
    const id = `${t.name}@${hhmm(startMinute)}`;
    if (!shifts.has(id)) {
      const breakMinutes = (t.breaks ?? []).reduce((m, b) => m + b.lengthIntervals * problem.intervalMinutes, 0);
      const lengthMinutes = t.lengthIntervals * problem.intervalMinutes;
      shifts.set(id, { id, name: `${t.name} ${hhmm(startMinute)}`, startMinute, lengthMinutes, paidMinutes: lengthMinutes - breakMinutes });
    }
    const key = `${day}|${id}`;
    perDay.set(key, (perDay.get(key) ?? 0) + a.count);
  }
  const demand: RosterDemand[] = [];
  for (let d = 0; d < days; d++) {
    const src = d % planDays;
    for (const [key, count] of perDay) {
      const [day, id] = key.split('|');
      if (Number(day) !== src) continue;
      const row: RosterDemand = { day: d, shift: id, count };
      if (options.skill) row.skill = options.skill;
      demand.push(row);
    }
  }
  return { days, shifts: [...shifts.values()].sort((a, b) => a.startMinute - b.startMinute || a.id.localeCompare(b.id)), demand };
}
