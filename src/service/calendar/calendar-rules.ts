// Shared rules of business calendars: the built-in default, how the stored edits combine with China's published
// dates into the calendar the SLA clock uses, validation with field errors, and the API shape.
import { z } from 'zod';
import { t, type Locale } from '../../i18n/messages.ts';
import { fieldError, type KeyedFieldError } from '../../platform/errors.ts';
import { calendarIssues, parseLocalDate, type BusinessCalendar, type WorkingHours } from '../model/business-calendar.ts';
import { chinaCalendarDates, type ChinaCalendarDates } from '../model/china-holidays.ts';
import type { businessCalendars } from './tables.ts';
import './messages.ts';

export type BusinessCalendarRow = typeof businessCalendars.$inferSelect;

/** What an organization edits (a stored row, or the built-in default before the first save). */
export interface CalendarSettings {
  id: string | null;
  name: string;
  timezone: string;
  week: WorkingHours[][];
  useChinaHolidays: boolean;
  addedHolidays: string[];
  removedHolidays: string[];
  addedWorkdays: string[];
  isDefault: boolean;
  /** 0 for the built-in default that was never saved. */
  version: number;
  updatedAt: Date | null;
}

const nineToSix = (): WorkingHours[] => [{ start: '09:00', end: '18:00' }];

/** Mon–Fri 09:00–18:00 in the organization's time zone, with China's holidays: the calendar before any edit. */
export function builtInDefault(timezone: string, locale: Locale): CalendarSettings {
  return {
    id: null,
    name: t(locale, 'calendar.default_name'),
    timezone,
    week: [[], nineToSix(), nineToSix(), nineToSix(), nineToSix(), nineToSix(), []],
    useChinaHolidays: true,
    addedHolidays: [],
    removedHolidays: [],
    addedWorkdays: [],
    isDefault: true,
    version: 0,
    updatedAt: null,
  };
}

export function settingsOfRow(row: BusinessCalendarRow): CalendarSettings {
  return {
    id: row.id,
    name: row.name,
    timezone: row.timezone,
    // jsonb does not keep key order: rebuild the spans so equal weeks compare (and print) equal.
    week: row.week.map((day) => day.map((h) => ({ start: h.start, end: h.end }))),
    useChinaHolidays: row.useChinaHolidays,
    addedHolidays: row.addedHolidays,
    removedHolidays: row.removedHolidays,
    addedWorkdays: row.addedWorkdays,
    isDefault: row.isDefault,
    version: row.version,
    updatedAt: row.updatedAt,
  };
}

/** The calendar year at `now` in `timezone`. */
export function yearIn(timezone: string, now: Date): number {
  return Number(new Intl.DateTimeFormat('en-US', { timeZone: timezone, year: 'numeric' }).format(now));
}

const chinaMemo = new Map<string, ChinaCalendarDates>();
function chinaDates(from: number, to: number): ChinaCalendarDates {
  const key = `${from}-${to}`;
  let dates = chinaMemo.get(key);
  if (!dates) {
    dates = chinaCalendarDates(from, to);
    chinaMemo.set(key, dates);
  }
  return dates;
}

export interface EffectiveCalendar {
  calendar: BusinessCalendar;
  years: { from: number; to: number };
  /** Years of the range the holiday package does not know yet (their holidays are missing). */
  missingYears: number[];
}

const sortedUnique = (xs: Iterable<string>) => [...new Set(xs)].sort();

/**
 * The calendar the SLA clock uses: China's holidays and make-up days of last, this and next year (at `now`, in
 * the calendar's zone; from the year of `since` when that is earlier) unless switched off, minus the holidays the organization works, plus its own closed and
 * open dates. An added workday beats a published holiday; an added holiday beats a published make-up day.
 */
export function effectiveCalendar(s: CalendarSettings, now: Date, since?: Date): EffectiveCalendar {
  const year = yearIn(s.timezone, now);
  const years = { from: Math.min(year - 1, since ? yearIn(s.timezone, since) : year), to: year + 1 };
  const china = s.useChinaHolidays ? chinaDates(years.from, years.to) : { holidays: [], workdays: [], missingYears: [] };
  const removed = new Set([...s.removedHolidays, ...s.addedWorkdays]);
  const closed = new Set(s.addedHolidays);
  const holidays = sortedUnique([...china.holidays.filter((d) => !removed.has(d)), ...s.addedHolidays]);
  const workdays = sortedUnique([...china.workdays.filter((d) => !closed.has(d)), ...s.addedWorkdays]);
  return {
    calendar: { timezone: s.timezone, week: s.week, holidays, workdays },
    years,
    missingYears: china.missingYears,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Input and validation

export const workingHoursSchema = z.object({
  start: z.string().max(5).describe("'HH:MM'"),
  end: z.string().max(5).describe("'HH:MM' after start; '24:00' allowed"),
});

const dateList = z.array(z.string().max(10)).max(2000);

/** The editable fields (shape only; the rules are checked by calendarFieldErrors with field errors). */
export const calendarFields = z.object({
  name: z.string().trim().min(1).max(100),
  timezone: z.string().trim().min(1).max(64).describe('IANA time zone, e.g. Asia/Shanghai'),
  week: z.array(z.array(workingHoursSchema).max(12)).max(7).describe('7 days, Sunday first; [] = closed'),
  useChinaHolidays: z.boolean().default(true).describe("Apply China's published holidays and make-up working days"),
  addedHolidays: dateList.default([]).describe('Extra closed dates YYYY-MM-DD'),
  removedHolidays: dateList.default([]).describe('Published holidays this organization works'),
  addedWorkdays: dateList.default([]).describe("Extra open dates (they use Monday's hours)"),
});
export type CalendarFields = z.output<typeof calendarFields>;

/** Every broken rule of the fields, as field errors with messages in the caller's language. */
export function calendarFieldErrors(f: CalendarFields, locale: Locale): KeyedFieldError[] {
  const errors: KeyedFieldError[] = [];
  // Keyed for the HTTP layer; the message already in `locale` for callers that read it directly.
  const push = (path: string, code: string) => errors.push({ ...fieldError(path, code, `calendar.issue.${code}`), message: t(locale, `calendar.issue.${code}`) });
  const issues = calendarIssues({ timezone: f.timezone, week: f.week, holidays: f.addedHolidays, workdays: f.addedWorkdays });
  for (const i of issues) push(i.path.replace(/^holidays\./, 'addedHolidays.').replace(/^workdays\./, 'addedWorkdays.'), i.code);
  f.removedHolidays.forEach((d, i) => {
    if (parseLocalDate(d) === null) push(`removedHolidays.${i}`, 'bad_date');
  });
  const closed = new Set(f.addedHolidays);
  f.addedWorkdays.forEach((d, i) => {
    if (closed.has(d)) push(`addedWorkdays.${i}`, 'date_closed_and_open');
  });
  if (f.week.length === 7 && !issues.some((i) => i.path.startsWith('week')) && f.week.every((d) => d.length === 0)) push('week', 'no_working_hours');
  return errors;
}

// ---------------------------------------------------------------------------------------------------------------
// Output

export const businessCalendarOutput = z.object({
  id: z.string().nullable().describe('null: the built-in default, not saved yet (save it with PUT …/default and version 0)'),
  name: z.string(),
  timezone: z.string(),
  week: z.array(z.array(workingHoursSchema)),
  useChinaHolidays: z.boolean(),
  addedHolidays: z.array(z.string()),
  removedHolidays: z.array(z.string()),
  addedWorkdays: z.array(z.string()),
  isDefault: z.boolean(),
  version: z.number().int(),
  updatedAt: z.string().nullable(),
  effective: z.object({
    years: z.object({ from: z.number().int(), to: z.number().int() }),
    holidays: z.array(z.string()).describe('Closed dates in effect (published and added, minus removed)'),
    workdays: z.array(z.string()).describe('Open dates on closed weekdays in effect'),
    missingYears: z.array(z.number().int()).describe('Years whose published holidays are not known yet'),
  }),
});
export type BusinessCalendarOutput = z.output<typeof businessCalendarOutput>;

export function presentCalendar(s: CalendarSettings, now: Date): BusinessCalendarOutput {
  const e = effectiveCalendar(s, now);
  return {
    id: s.id,
    name: s.name,
    timezone: s.timezone,
    week: s.week,
    useChinaHolidays: s.useChinaHolidays,
    addedHolidays: s.addedHolidays,
    removedHolidays: s.removedHolidays,
    addedWorkdays: s.addedWorkdays,
    isDefault: s.isDefault,
    version: s.version,
    updatedAt: s.updatedAt ? s.updatedAt.toISOString() : null,
    effective: { years: e.years, holidays: e.calendar.holidays, workdays: e.calendar.workdays, missingYears: e.missingYears },
  };
}
