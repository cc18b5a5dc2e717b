// Business calendars (工作日历) and business-time arithmetic for SLA clocks: pure (no database, no clock),
// exact to the millisecond.
//
// Semantics (the contract other domains rely on):
// - Business time is the set of instants whose *local wall-clock time* in `cal.timezone` falls inside one of the
//   day's spans [start, end) (half-open: 18:00 itself is closed when a span ends at 18:00). Local time comes from
//   Intl (the IANA database of the running Node), so a DST change is handled exactly: on the March change in
//   Europe/Berlin a 00:00–24:00 day holds 23 hours of business time, on the October change 25.
// - Which spans apply to a local date: a date in `holidays` is closed; otherwise the weekday's spans; a date in
//   `workdays` whose weekday is closed (调休 make-up working day) uses Monday's spans. A date in both lists is
//   closed (holidays win; the calendar use cases never produce such a date).
// - Minutes are real numbers (sub-minute precision): internally everything is integer milliseconds; inputs are
//   rounded to the millisecond and outputs divided by 60 000 without rounding.
// - addBusinessMinutes(cal, t, 0) returns the first business instant at or after t: t itself when open, else the
//   next opening (a target of zero minutes started at night is due when the office opens). A positive amount that
//   ends exactly at a closing time returns that closing time, not the next opening.
// - Cost: whole closed days are skipped without looking at hours or offsets, open days cost a few set look-ups,
//   and the zone's offset is looked up (Intl) about twice per eight days, so a 30-business-day target visits ~45
//   days in well under a millisecond.
// - Assumption: a time zone changes its UTC offset at most once within any eight days (true of every zone in
//   the IANA database today).

export interface WorkingHours {
  /** 'HH:MM', 00:00–23:59. */
  start: string;
  /** 'HH:MM' after start; '24:00' = to the end of the day. */
  end: string;
}

export interface BusinessCalendar {
  /** IANA time zone, e.g. 'Asia/Shanghai'. */
  timezone: string;
  /** index 0 = Sunday … 6 = Saturday; [] = closed that weekday; several spans per day (lunch break). */
  week: WorkingHours[][];
  /** Local dates 'YYYY-MM-DD' closed although the weekday is open (法定节假日). */
  holidays: string[];
  /** Local dates open although the weekday is closed (调休 make-up working days); they use Monday's hours. */
  workdays: string[];
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const MAX_DAYS = 36_525;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const allDay = (): WorkingHours[] => [{ start: '00:00', end: '24:00' }];

/** Open around the clock, every day, in UTC; no holidays. */
export const ALWAYS_OPEN: BusinessCalendar = deepFreeze({
  timezone: 'UTC',
  week: [allDay(), allDay(), allDay(), allDay(), allDay(), allDay(), allDay()],
  holidays: [],
  workdays: [],
});

// ---------------------------------------------------------------------------------------------------------------
// Parsing and validation

const TIME_RE = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Minutes since local midnight of 'HH:MM' (0–1440), or null when malformed. */
export function parseClock(s: string): number | null {
  const m = TIME_RE.exec(s);
  if (!m) return null;
  return m[3] ? 1440 : Number(m[1]) * 60 + Number(m[2]);
}

/** Days since 1970-01-01 of a real calendar date 'YYYY-MM-DD', or null. */
export function parseLocalDate(s: string): number | null {
  const m = DATE_RE.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY;
}

/** 'YYYY-MM-DD' of a day number (days since 1970-01-01). */
export function formatLocalDate(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday of a day number (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** Answers per zone name, remembered: each check builds an Intl.DateTimeFormat, a tenth of a service order's create. */
const knownZones = new Map<string, boolean>();

export function isKnownTimeZone(tz: string): boolean {
  if (!tz) return false;
  let known = knownZones.get(tz);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      known = true;
    } catch {
      known = false;
    }
    if (knownZones.size < 10_000) knownZones.set(tz, known);
  }
  return known;
}

/** One problem in a calendar: `path` is dotted ('week.1.0.end', 'holidays.3'), `code` is stable. */
export interface CalendarIssue {
  path: string;
  code: 'unknown_time_zone' | 'week_not_seven_days' | 'bad_time' | 'end_not_after_start' | 'overlapping_hours' | 'bad_date';
}

/**
 * Every problem of a calendar, for field errors in the settings form. A calendar without issues is safe to pass
 * to the arithmetic below (which throws a RangeError on a malformed one).
 */
export function calendarIssues(cal: BusinessCalendar): CalendarIssue[] {
  const issues: CalendarIssue[] = [];
  if (!isKnownTimeZone(cal.timezone)) issues.push({ path: 'timezone', code: 'unknown_time_zone' });
  if (!Array.isArray(cal.week) || cal.week.length !== 7) {
    issues.push({ path: 'week', code: 'week_not_seven_days' });
  } else {
    cal.week.forEach((spans, d) => {
      const ok: Array<{ s: number; e: number; i: number }> = [];
      spans.forEach((h, i) => {
        const s = parseClock(h.start);
        const e = parseClock(h.end);
        if (s === null || s === 1440) issues.push({ path: `week.${d}.${i}.start`, code: 'bad_time' });
        if (e === null) issues.push({ path: `week.${d}.${i}.end`, code: 'bad_time' });
        if (s === null || s === 1440 || e === null) return;
        if (e <= s) issues.push({ path: `week.${d}.${i}.end`, code: 'end_not_after_start' });
        else ok.push({ s, e, i });
      });
      ok.sort((a, b) => a.s - b.s);
      for (let k = 1; k < ok.length; k++) {
        if (ok[k].s < ok[k - 1].e) issues.push({ path: `week.${d}.${ok[k].i}`, code: 'overlapping_hours' });
      }
    });
  }
  for (const key of ['holidays', 'workdays'] as const) {
    cal[key].forEach((s, i) => {
      if (parseLocalDate(s) === null) issues.push({ path: `${key}.${i}`, code: 'bad_date' });
    });
  }
  return issues;
}

// ---------------------------------------------------------------------------------------------------------------
// Time zones

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** UTC offset (ms, east positive) of `tz` at instant `t` (whole seconds; zones change offset on whole seconds). */
export function zoneOffsetMs(tz: string, t: number): number {
  const at = Math.floor(t / 1000) * 1000;
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  for (const p of formatterOf(tz).formatToParts(at)) {
    switch (p.type) {
      case 'year': y = Number(p.value); break;
      case 'month': mo = Number(p.value); break;
      case 'day': d = Number(p.value); break;
      case 'hour': h = Number(p.value); break;
      case 'minute': mi = Number(p.value); break;
      case 'second': s = Number(p.value); break;
      default: break;
    }
  }
  const wall = new Date(0);
  wall.setUTCFullYear(y, mo - 1, d);
  wall.setUTCHours(h, mi, s, 0);
  return wall.getTime() - at;
}

// ---------------------------------------------------------------------------------------------------------------
// Compiled calendar: parsed once, then reused for many computations (lists of service orders).

type Span = readonly [startMs: number, endMs: number]; // ms since local midnight

export interface CompiledCalendar {
  readonly timezone: string;
  /** Parsed, sorted, merged spans per weekday, in ms since local midnight. */
  readonly week: readonly (readonly Span[])[];
  readonly holidays: ReadonlySet<string>;
  readonly workdays: ReadonlySet<string>;
  /** A stretch of time known to have one UTC offset, so most days need no look-up at all. */
  readonly steady: { from: number; to: number; offset: number };
}

function compileSpans(spans: WorkingHours[], where: string): Span[] {
  const parsed: Array<[number, number]> = [];
  for (const h of spans) {
    const s = parseClock(h.start);
    const e = parseClock(h.end);
    if (s === null || e === null || s === 1440) throw new RangeError(`${where}: bad working hours ${h.start}–${h.end}`);
    if (e > s) parsed.push([s * MINUTE, e * MINUTE]);
  }
  parsed.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const p of parsed) {
    const last = merged[merged.length - 1];
    if (last && p[0] <= last[1]) last[1] = Math.max(last[1], p[1]);
    else merged.push([p[0], p[1]]);
  }
  return merged;
}

/** Parses and checks a calendar once (throws RangeError when malformed); pass the result to the *Ms functions. */
export function compileCalendar(cal: BusinessCalendar): CompiledCalendar {
  // The four due times of one order come from one calendar object: it is compiled once.
  let compiled = compiledCalendars.get(cal);
  if (!compiled) compiledCalendars.set(cal, (compiled = compile(cal)));
  return compiled;
}

/** Compiled calendars by the calendar object they came from (calendars are built per use and never changed). */
const compiledCalendars = new WeakMap<BusinessCalendar, CompiledCalendar>();

function compile(cal: BusinessCalendar): CompiledCalendar {
  if (!isKnownTimeZone(cal.timezone)) throw new RangeError(`unknown time zone ${cal.timezone}`);
  if (cal.week.length !== 7) throw new RangeError('a business calendar has 7 weekdays');
  const week = cal.week.map((spans, d) => compileSpans(spans, `weekday ${d}`));
  for (const s of [...cal.holidays, ...cal.workdays]) if (parseLocalDate(s) === null) throw new RangeError(`bad date ${s}`);
  if (week.every((spans) => spans.length === 0)) {
    // Make-up days use Monday's hours, which are empty too: the calendar never opens and a due time never comes.
    throw new RangeError('the business calendar has no working hours');
  }
  return {
    timezone: cal.timezone,
    week,
    holidays: new Set(cal.holidays),
    workdays: new Set(cal.workdays),
    steady: { from: 0, to: -1, offset: 0 },
  };
}

const STEADY_PROBE = 8 * DAY; // longer than the window of one day (2 d 4 h)

/**
 * The one offset in force over [lo, hi], or null when it changes in between. Looked up in steps of eight days:
 * equal offsets at both ends of a step mean no change inside it (zones change at most once in such a stretch).
 */
function steadyOffset(c: CompiledCalendar, lo: number, hi: number): number | null {
  const s = c.steady;
  if (lo >= s.from && hi <= s.to) return s.offset;
  const o1 = zoneOffsetMs(c.timezone, lo);
  const o2 = zoneOffsetMs(c.timezone, lo + STEADY_PROBE);
  if (o1 === o2) {
    s.from = lo;
    s.to = lo + STEADY_PROBE;
    s.offset = o1;
    return o1;
  }
  return o1 === zoneOffsetMs(c.timezone, hi) ? o1 : null;
}

/** Local date (days since 1970-01-01) of instant t. */
function localDay(c: CompiledCalendar, t: number): number {
  return Math.floor((t + zoneOffsetMs(c.timezone, t)) / DAY);
}

function spansOf(c: CompiledCalendar, day: number): readonly Span[] {
  const date = formatLocalDate(day);
  if (c.holidays.has(date)) return [];
  const own = c.week[weekdayOf(day)];
  if (own.length === 0 && c.workdays.has(date)) return c.week[1];
  return own;
}

/**
 * The open intervals [a, b) (UTC ms) of local date `day`, sorted and disjoint. Exact across a DST change: the
 * day is cut at the change into pieces of constant offset, and each span is mapped through each piece.
 */
function openIntervals(c: CompiledCalendar, day: number): Array<[number, number]> {
  const spans = spansOf(c, day);
  if (spans.length === 0) return [];
  const base = day * DAY;
  // Every instant whose local date is `day` lies between these two (offsets are within −12 h … +14 h).
  const lo = base - 15 * HOUR;
  const hi = base + DAY + 13 * HOUR;
  const steady = steadyOffset(c, lo, hi);
  const out: Array<[number, number]> = [];
  if (steady !== null) {
    for (const [s, e] of spans) out.push([base + s - steady, base + e - steady]);
    return out;
  }
  const oLo = zoneOffsetMs(c.timezone, lo);
  const oHi = zoneOffsetMs(c.timezone, hi);
  // One change within the window: find its instant T (to the second) by bisection.
  let a = lo;
  let b = hi;
  while (b - a > 1000) {
    const mid = Math.floor((a + b) / 2000) * 1000;
    if (mid <= a) break;
    if (zoneOffsetMs(c.timezone, mid) === oLo) a = mid;
    else b = mid;
  }
  const change = b;
  const pieces: Array<[number, number]> = [];
  for (const [s, e] of spans) {
    const a1 = base + s - oLo;
    const b1 = Math.min(base + e - oLo, change);
    if (b1 > a1) pieces.push([a1, b1]);
    const a2 = Math.max(base + s - oHi, change);
    const b2 = base + e - oHi;
    if (b2 > a2) pieces.push([a2, b2]);
  }
  pieces.sort((x, y) => x[0] - y[0]);
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (last && p[0] <= last[1]) last[1] = Math.max(last[1], p[1]);
    else out.push([p[0], p[1]]);
  }
  return out;
}

function checkInstant(t: number, name: string): void {
  if (!Number.isFinite(t)) throw new RangeError(`${name} is not a valid date`);
}

/** The instant `ms` business milliseconds after `start` (ms ≥ 0, integer). See addBusinessMinutes. */
export function addBusinessMs(c: CompiledCalendar, start: number, ms: number): number {
  checkInstant(start, 'start');
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError('business time to add must be a finite number ≥ 0');
  let remaining = Math.round(ms);
  // compileCalendar guarantees an open weekday, so (holidays being finite) this loop ends; a century bounds it
  // against absurd amounts.
  const first = localDay(c, start) - 1;
  for (let day = first; ; day++) {
    if (day - first > MAX_DAYS) throw new RangeError('the due time is more than a century away');
    for (const [a, b] of openIntervals(c, day)) {
      if (b <= start) continue;
      const from = Math.max(a, start);
      const len = b - from;
      if (remaining <= len) return from + remaining;
      remaining -= len;
    }
  }
}

/** Business milliseconds in [from, to); 0 when to ≤ from. */
export function businessMsBetween(c: CompiledCalendar, from: number, to: number): number {
  checkInstant(from, 'from');
  checkInstant(to, 'to');
  if (to <= from) return 0;
  let total = 0;
  const last = localDay(c, to);
  for (let day = localDay(c, from) - 1; day <= last; day++) {
    for (const [a, b] of openIntervals(c, day)) {
      const x = Math.max(a, from);
      const y = Math.min(b, to);
      if (y > x) total += y - x;
    }
  }
  return total;
}

// ---------------------------------------------------------------------------------------------------------------
// The public, Date-based API

/**
 * The instant `minutes` business minutes after `start`. A start outside business hours begins counting at the
 * next opening; 0 minutes returns `start` when open, else the next opening. Throws RangeError for a negative or
 * non-finite amount, an invalid date or a malformed calendar.
 */
export function addBusinessMinutes(cal: BusinessCalendar, start: Date, minutes: number): Date {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError('minutes must be a finite number ≥ 0');
  return new Date(addBusinessMs(compileCalendar(cal), start.getTime(), Math.round(minutes * MINUTE)));
}

/** Business minutes (fractional, exact to the millisecond) between two instants; 0 when `to` is before `from`. */
export function businessMinutesBetween(cal: BusinessCalendar, from: Date, to: Date): number {
  return businessMsBetween(compileCalendar(cal), from.getTime(), to.getTime()) / MINUTE;
}

/** Whether `at` is inside business hours. */
export function isBusinessOpen(cal: BusinessCalendar, at: Date): boolean {
  const c = compileCalendar(cal);
  const t = at.getTime();
  checkInstant(t, 'at');
  const day = localDay(c, t);
  return openIntervals(c, day).some(([a, b]) => a <= t && t < b);
}

/** The first business instant at or after `at` (= addBusinessMinutes(cal, at, 0)). */
export function nextBusinessOpening(cal: BusinessCalendar, at: Date): Date {
  return addBusinessMinutes(cal, at, 0);
}
