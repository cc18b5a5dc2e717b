// SLA clock (服务时效): business time counted against a target, stopped while the order is paused (e.g. waiting
// on the customer, 挂起). Pure: the caller passes the calendar, the start, the pauses and "now".
//
// Semantics:
// - Pauses are clipped to the clock's start, overlapping or touching pauses are merged, a pause whose `to` is not
//   after its `from` is ignored; a pause only costs the business time it covers (a pause over a weekend costs only
//   the business hours inside it).
// - The due time is the instant at which the counted business time reaches the target. While an open pause
//   (`to` = null) holds the clock before the target is reached, the due time is unknown: null. A pause opened
//   after the due time does not move it (the target was already missed; pausing must not hide a breach).
// - Elapsed and due are consistent: slaElapsedMinutes(cal, start, slaDueAt(...), pauses) equals the target.

import { addBusinessMs, businessMsBetween, compileCalendar, type BusinessCalendar, type CompiledCalendar } from './business-calendar.ts';

export interface Pause {
  from: Date;
  /** null while still paused. */
  to: Date | null;
}

const MINUTE = 60_000;

/** Disjoint, sorted [from, to) pairs in ms, clipped to ≥ start; an open pause ends at +Infinity. */
export function mergePauses(pauses: Pause[], start: number): Array<[number, number]> {
  const list: Array<[number, number]> = [];
  for (const p of pauses) {
    const from = Math.max(p.from.getTime(), start);
    const to = p.to === null ? Infinity : p.to.getTime();
    if (Number.isNaN(from) || Number.isNaN(to)) throw new RangeError('a pause has an invalid date');
    if (to > from) list.push([from, to]);
  }
  list.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const p of list) {
    const last = merged[merged.length - 1];
    if (last && p[0] <= last[1]) last[1] = Math.max(last[1], p[1]);
    else merged.push(p);
  }
  return merged;
}

/** slaDueAt on a compiled calendar and milliseconds (for callers computing many clocks with one calendar). */
export function slaDueAtMs(c: CompiledCalendar, start: number, targetMs: number, pauses: Pause[]): number | null {
  if (!Number.isFinite(targetMs) || targetMs < 0) throw new RangeError('an SLA target must be a finite number ≥ 0');
  if (!Number.isFinite(start)) throw new RangeError('start is not a valid date');
  let remaining = Math.round(targetMs);
  let cursor = start;
  for (const [from, to] of mergePauses(pauses, start)) {
    const available = from > cursor ? businessMsBetween(c, cursor, from) : 0;
    // Reached before this pause. (A zero target with no business time before the pause waits for the pause to end.)
    if (remaining < available || (remaining === available && remaining > 0)) return addBusinessMs(c, cursor, remaining);
    remaining -= available;
    if (to === Infinity) return null;
    cursor = Math.max(cursor, to);
  }
  return addBusinessMs(c, cursor, remaining);
}

/** slaElapsedMinutes on a compiled calendar, in milliseconds. */
export function slaElapsedMs(c: CompiledCalendar, start: number, now: number, pauses: Pause[]): number {
  if (!Number.isFinite(start) || !Number.isFinite(now)) throw new RangeError('start and now must be valid dates');
  if (now <= start) return 0;
  let elapsed = businessMsBetween(c, start, now);
  for (const [from, to] of mergePauses(pauses, start)) {
    if (from >= now) break;
    elapsed -= businessMsBetween(c, from, Math.min(to, now));
  }
  return elapsed;
}

/** Due time of a target of `minutes` business minutes started at `start`, pushed back by the business time spent paused. null while a pause is open. */
export function slaDueAt(cal: BusinessCalendar, start: Date, minutes: number, pauses: Pause[]): Date | null {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError('minutes must be a finite number ≥ 0');
  const due = slaDueAtMs(compileCalendar(cal), start.getTime(), minutes * MINUTE, pauses);
  return due === null ? null : new Date(due);
}

/** Business minutes counted against the target between start and now, excluding pauses. */
export function slaElapsedMinutes(cal: BusinessCalendar, start: Date, now: Date, pauses: Pause[]): number {
  return slaElapsedMs(compileCalendar(cal), start.getTime(), now.getTime(), pauses) / MINUTE;
}
