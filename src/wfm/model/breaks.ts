// Break placement for rostered shifts. The shift plan (shifts.ts) already placed every planned shift's break
// inside its template's window so that coverage holds with agents away (Dantzig's explicit break columns; see
// shifts.ts for the sources); the roster (roster.ts) only names who works each (day, shift type). So each
// rostered shift takes one of the plan's break placements for its day and shift type, in order: the agents of a
// (day, shift) get exactly the placements the plan counted on (cycling if the roster staffs more than planned;
// a shift type the plan did not use that day borrows the nearest planned day's placements).
import type { ShiftPlan, ShiftProblem } from './shifts.ts';

/** Per "planDay|shiftId": break start offsets (minutes after the shift start), one per planned shift. */
export type PlannedBreaks = Record<string, { offsets: number[]; lengthMinutes: number }>;

const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** The plan's break placements, keyed like plan-to-roster.ts names shift types (`template@HH:MM`). */
export function plannedBreaks(problem: ShiftProblem, assignments: ShiftPlan['assignments']): PlannedBreaks {
  const im = problem.intervalMinutes;
  const n = problem.requirements.length;
  const templates = new Map(problem.shiftTemplates.map((t) => [t.name, t]));
  const out: PlannedBreaks = {};
  for (const a of assignments) {
    const t = templates.get(a.template);
    const b = t?.breaks?.[0];
    if (!t || !b || !a.breaks?.length) continue;
    const minute = a.start * im;
    const key = `${Math.floor(minute / 1440)}|${t.name}@${hhmm(minute % 1440)}`;
    const slot = (out[key] ??= { offsets: [], lengthMinutes: b.lengthIntervals * im });
    const offset = (((a.breaks[0] - a.start) % n) + n) % n * im;
    for (let k = 0; k < a.count; k++) slot.offsets.push(offset);
  }
  for (const v of Object.values(out)) v.offsets.sort((x, y) => x - y);
  return out;
}

/**
 * For each rostered assignment (in the given order), its break as minutes after the shift start and its
 * length, or null when the plan has none for that shift. `planDays`: the plan's length (the roster repeats it).
 * A roster solved against interval demand may staff a shift type on a day the plan did not use it: that shift
 * takes the placements the plan made for the same shift type on its nearest planned day (same template and
 * start, so the same break window).
 */
export function assignBreaks(assignments: readonly { day: number; shift: string }[], breaks: PlannedBreaks, planDays: number): ({ offset: number; lengthMinutes: number } | null)[] {
  const used = new Map<string, number>();
  const slotFor = (day: number, shift: string) => {
    const d0 = day % planDays;
    for (let k = 0; k < planDays; k++) {
      for (const d of k === 0 ? [d0] : [(d0 + k) % planDays, (d0 - k + planDays) % planDays]) {
        const slot = breaks[`${d}|${shift}`];
        if (slot?.offsets.length) return slot;
      }
    }
    return null;
  };
  return assignments.map((a) => {
    const slot = slotFor(a.day, a.shift);
    if (!slot) return null;
    const k = `${a.day}|${a.shift}`;
    const i = used.get(k) ?? 0;
    used.set(k, i + 1);
    return { offset: slot.offsets[i % slot.offsets.length], lengthMinutes: slot.lengthMinutes };
  });
}
