// PLACEHOLDER: replaced at merge by the SLA-clock helper's implementation
import type { BusinessCalendar } from './business-calendar.ts';

export interface Pause { from: Date; to: Date | null }

export function slaDueAt(_cal: BusinessCalendar, start: Date, minutes: number, pauses: Pause[]): Date | null {
  if (pauses.some((p) => p.to === null)) return null;
  let due = start.getTime() + minutes * 60_000;
  for (const p of [...pauses].sort((a, b) => a.from.getTime() - b.from.getTime())) {
    const from = Math.max(p.from.getTime(), start.getTime());
    const to = p.to!.getTime();
    if (from < due && to > from) due += to - from;
  }
  return new Date(due);
}

export function slaElapsedMinutes(_cal: BusinessCalendar, start: Date, now: Date, pauses: Pause[]): number {
  let ms = Math.max(0, now.getTime() - start.getTime());
  for (const p of pauses) {
    const from = Math.max(p.from.getTime(), start.getTime());
    const to = Math.min((p.to ?? now).getTime(), now.getTime());
    if (to > from) ms -= to - from;
  }
  return ms / 60_000;
}
