// PLACEHOLDER: replaced at merge by the SLA-clock helper's implementation
export interface WorkingHours { start: string; end: string }
export interface BusinessCalendar { timezone: string; week: WorkingHours[][]; holidays: string[]; workdays: string[] }

const allDay: WorkingHours[] = [{ start: '00:00', end: '24:00' }];
export const ALWAYS_OPEN: BusinessCalendar = { timezone: 'UTC', week: [allDay, allDay, allDay, allDay, allDay, allDay, allDay], holidays: [], workdays: [] };

export function addBusinessMinutes(_cal: BusinessCalendar, start: Date, minutes: number): Date {
  return new Date(start.getTime() + minutes * 60_000);
}

export function businessMinutesBetween(_cal: BusinessCalendar, from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / 60_000;
}
