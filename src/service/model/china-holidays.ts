// China's public holidays (法定节假日) and make-up working days (调休上班), from the `chinese-days` package, which
// transcribes the State Council General Office's yearly notice (国务院办公厅关于部分节假日安排的通知).
// Deterministic (package data, no clock): the dates of a year appear once the notice is published (usually in
// November of the year before) and the package is updated; `missingYears` names the years it does not know yet.

import chineseDays from 'chinese-days';
import { formatLocalDate, parseLocalDate, weekdayOf } from './business-calendar.ts';

export interface ChinaCalendarDates {
  /** Every listed holiday, including those falling on a weekend (they close a six-day week too). */
  holidays: string[];
  /** Weekend dates that are working days (调休), for a calendar whose weekend is closed. */
  workdays: string[];
  /** Years in the range for which the package lists no holidays (not yet published, or out of its data). */
  missingYears: number[];
}

/**
 * Holidays and make-up working days of the years fromYear..toYear (inclusive), as local dates 'YYYY-MM-DD'.
 *
 * The package formats dates with the *process's* local time, so we hand it local-noon Dates (correct in any
 * process time zone) and an end at 23:00 (its day count floors an hour lost to a DST change).
 */
export function chinaCalendarDates(fromYear: number, toYear: number): ChinaCalendarDates {
  if (!Number.isInteger(fromYear) || !Number.isInteger(toYear) || toYear < fromYear || toYear - fromYear > 50) {
    throw new RangeError('chinaCalendarDates takes a range of at most 50 whole years');
  }
  const holidays: string[] = [];
  const workdays: string[] = [];
  const missingYears: number[] = [];
  for (let year = fromYear; year <= toYear; year++) {
    const y = yearDates(year);
    if (y.holidays.length === 0) missingYears.push(year);
    holidays.push(...y.holidays);
    workdays.push(...y.workdays);
  }
  return { holidays, workdays, missingYears };
}

/**
 * One year's published dates. The package's range functions cost ~3.5 ms a year (measured), and every
 * SLA clock (service-order create, transition, scan) asks for three years: each year is worked out
 * once per process. The package's data is fixed for the life of the process.
 */
const byYear = new Map<number, { holidays: readonly string[]; workdays: readonly string[] }>();

/** Forgets the worked-out years (tests that change the process time zone compute them again). */
export function clearChinaCalendarCache(): void {
  byYear.clear();
}

function yearDates(year: number): { holidays: readonly string[]; workdays: readonly string[] } {
  const cached = byYear.get(year);
  if (cached) return cached;
  const first = new Date(year, 0, 1, 12);
  const last = new Date(year, 11, 31, 23);
  // includeWeekends = false: only the dates the notice lists, not every ordinary weekend.
  const holidays = chineseDays.getHolidaysInRange(first, last, false);
  const workdays: string[] = [];
  for (const date of chineseDays.getWorkdaysInRange(first, last, true)) {
    const day = parseLocalDate(date);
    if (day === null) continue;
    const dow = weekdayOf(day);
    if (dow === 0 || dow === 6) workdays.push(formatLocalDate(day));
  }
  const dates = { holidays: Object.freeze([...holidays]), workdays: Object.freeze(workdays) };
  byYear.set(year, dates);
  return dates;
}
