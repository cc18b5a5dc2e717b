import { describe, expect, it } from 'vitest';
import {
  ALWAYS_OPEN,
  addBusinessMinutes,
  businessMinutesBetween,
  calendarIssues,
  isBusinessOpen,
  nextBusinessOpening,
  zoneOffsetMs,
  type BusinessCalendar,
  type WorkingHours,
} from './business-calendar.ts';
import { chinaCalendarDates, clearChinaCalendarCache } from './china-holidays.ts';

/** A Beijing wall-clock time ('2025-09-30 17:00') as an instant (UTC+8, no DST since 1991). */
const bj = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
const iso = (d: Date | null) => (d ? d.toISOString() : null);

const office: WorkingHours[] = [
  { start: '09:00', end: '12:00' },
  { start: '13:00', end: '18:00' },
]; // 3 h + 5 h = 8 business hours = 480 minutes a day

/** Mon–Fri 09:00–12:00 and 13:00–18:00 in Beijing, with the 2025 National Day holiday as published. */
const beijing: BusinessCalendar = {
  timezone: 'Asia/Shanghai',
  week: [[], office, office, office, office, office, []],
  holidays: ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05', '2025-10-06', '2025-10-07', '2025-10-08'],
  workdays: ['2025-09-28', '2025-10-11'], // Sunday and Saturday make-up days
};

describe('business calendar: hand-computed cases in Beijing (2025-09-01 is a Monday)', () => {
  it('carries the rest of a target across the night', () => {
    // Tue 09-02 17:00 + 120: 17:00–18:00 = 60, remaining 60 from Wed 09:00 → Wed 10:00.
    expect(iso(addBusinessMinutes(beijing, bj('2025-09-02 17:00'), 120))).toBe(iso(bj('2025-09-03 10:00')));
    expect(businessMinutesBetween(beijing, bj('2025-09-02 17:00'), bj('2025-09-03 10:00'))).toBe(120);
  });

  it('skips the lunch break', () => {
    // Tue 11:30 + 60: 11:30–12:00 = 30, 13:00 + 30 → 13:30.
    expect(iso(addBusinessMinutes(beijing, bj('2025-09-02 11:30'), 60))).toBe(iso(bj('2025-09-02 13:30')));
    // 180 minutes from 09:00 end exactly at the lunch closing: 12:00, not 13:00.
    expect(iso(addBusinessMinutes(beijing, bj('2025-09-02 09:00'), 180))).toBe(iso(bj('2025-09-02 12:00')));
    // 11:00 → 14:00 is 60 (11–12) + 60 (13–14) = 120.
    expect(businessMinutesBetween(beijing, bj('2025-09-02 11:00'), bj('2025-09-02 14:00'))).toBe(120);
  });

  it('skips the weekend', () => {
    // Fri 09-05 17:30 + 60: 30 on Friday, Mon 09-08 09:00 + 30 → 09:30.
    expect(iso(addBusinessMinutes(beijing, bj('2025-09-05 17:30'), 60))).toBe(iso(bj('2025-09-08 09:30')));
    // A start on Saturday begins counting Monday 09:00.
    expect(iso(addBusinessMinutes(beijing, bj('2025-09-06 10:00'), 30))).toBe(iso(bj('2025-09-08 09:30')));
    expect(businessMinutesBetween(beijing, bj('2025-09-05 18:00'), bj('2025-09-08 09:00'))).toBe(0);
  });

  it('skips the 2025 National Day holiday and counts its make-up days', () => {
    // Tue 09-30 17:00 + 480: 60 on 09-30; 10-01..10-08 closed; Thu 10-09 09–12 = 180 (remaining 240),
    // 13:00 + 240 → 10-09 17:00.
    expect(iso(addBusinessMinutes(beijing, bj('2025-09-30 17:00'), 480))).toBe(iso(bj('2025-10-09 17:00')));
    // Make-up Saturday 10-11 uses Monday's hours: Fri 10-10 17:00 + 120 → 60 Friday, Sat 09:00 + 60 → Sat 10:00.
    expect(iso(addBusinessMinutes(beijing, bj('2025-10-10 17:00'), 120))).toBe(iso(bj('2025-10-11 10:00')));
    // Make-up Sunday 09-28: Fri 09-26 18:00 + 30 → Sat closed → Sun 09-28 09:30.
    expect(iso(addBusinessMinutes(beijing, bj('2025-09-26 18:00'), 30))).toBe(iso(bj('2025-09-28 09:30')));
    // Whole holiday week: Tue 09-30 09:00 → Thu 10-09 09:00 = one day (09-30) = 480.
    expect(businessMinutesBetween(beijing, bj('2025-09-30 09:00'), bj('2025-10-09 09:00'))).toBe(480);
  });

  it('starts a clock begun on a holiday at the next opening', () => {
    // Fri 10-03 (holiday) 10:00 + 30 → Thu 10-09 09:30; + 0 → 10-09 09:00.
    expect(iso(addBusinessMinutes(beijing, bj('2025-10-03 10:00'), 30))).toBe(iso(bj('2025-10-09 09:30')));
    expect(iso(addBusinessMinutes(beijing, bj('2025-10-03 10:00'), 0))).toBe(iso(bj('2025-10-09 09:00')));
    expect(isBusinessOpen(beijing, bj('2025-10-03 10:00'))).toBe(false);
    expect(isBusinessOpen(beijing, bj('2025-10-11 10:00'))).toBe(true);
  });

  it('adds zero minutes: unchanged when open, the next opening when closed (closing time itself is closed)', () => {
    expect(iso(addBusinessMinutes(beijing, bj('2025-09-02 10:15'), 0))).toBe(iso(bj('2025-09-02 10:15')));
    expect(iso(addBusinessMinutes(beijing, bj('2025-09-02 12:00'), 0))).toBe(iso(bj('2025-09-02 13:00')));
    expect(iso(addBusinessMinutes(beijing, bj('2025-09-02 18:00'), 0))).toBe(iso(bj('2025-09-03 09:00')));
    expect(iso(nextBusinessOpening(beijing, bj('2025-09-02 03:00')))).toBe(iso(bj('2025-09-02 09:00')));
  });

  it('reaches a 30-business-day target by skipping days, holidays and make-up days included', () => {
    // 30 days × 480 = 14 400 minutes from Mon 09-01 09:00. Business days: Sep 1–5, 8–12, 15–19, 22–26 (20),
    // Sun 09-28 make-up (21), 09-29, 09-30 (23); 10-01..10-08 closed; 10-09, 10-10, Sat 10-11 make-up (26);
    // 10-13..10-16 (30). The 30th day ends at 18:00 on Thu 10-16.
    const due = addBusinessMinutes(beijing, bj('2025-09-01 09:00'), 30 * 480);
    expect(iso(due)).toBe(iso(bj('2025-10-16 18:00')));
    expect(businessMinutesBetween(beijing, bj('2025-09-01 09:00'), due)).toBe(14_400);
    // One minute more opens the 31st day: Fri 10-17 09:01.
    expect(iso(addBusinessMinutes(beijing, bj('2025-09-01 09:00'), 14_401))).toBe(iso(bj('2025-10-17 09:01')));
  });

  it('is exact below a minute', () => {
    expect(iso(addBusinessMinutes(beijing, bj('2025-09-02 17:59'), 1.5))).toBe(new Date(bj('2025-09-03 09:00').getTime() + 30_000).toISOString());
    expect(businessMinutesBetween(beijing, bj('2025-09-02 09:00'), new Date(bj('2025-09-02 09:00').getTime() + 45_000))).toBe(0.75);
  });

  it('answers 0 when to is before from, and refuses negative amounts and calendars that never open', () => {
    expect(businessMinutesBetween(beijing, bj('2025-09-03 10:00'), bj('2025-09-02 10:00'))).toBe(0);
    expect(() => addBusinessMinutes(beijing, bj('2025-09-02 10:00'), -1)).toThrow(RangeError);
    expect(() => addBusinessMinutes(beijing, bj('2025-09-02 10:00'), 1e12)).toThrow(RangeError);
    const never: BusinessCalendar = { timezone: 'Asia/Shanghai', week: [[], [], [], [], [], [], []], holidays: [], workdays: ['2025-09-06'] };
    expect(() => addBusinessMinutes(never, bj('2025-09-02 10:00'), 1)).toThrow(RangeError);
  });

  it('ALWAYS_OPEN counts wall-clock time', () => {
    const t = new Date('2025-03-29T22:17:00Z');
    expect(iso(addBusinessMinutes(ALWAYS_OPEN, t, 0))).toBe(t.toISOString());
    expect(iso(addBusinessMinutes(ALWAYS_OPEN, t, 3 * 1440 + 5))).toBe('2025-04-01T22:22:00.000Z');
    expect(businessMinutesBetween(ALWAYS_OPEN, t, new Date('2025-03-30T22:17:00Z'))).toBe(1440);
    expect(Object.isFrozen(ALWAYS_OPEN.week[0])).toBe(true);
  });

  it('counts spans ending at 24:00 and night shifts across midnight', () => {
    const nights: WorkingHours[] = [{ start: '00:00', end: '06:00' }, { start: '22:00', end: '24:00' }];
    const cal: BusinessCalendar = { timezone: 'Asia/Shanghai', week: Array.from({ length: 7 }, () => nights), holidays: [], workdays: [] };
    // Tue 23:00 + 180: 23:00–24:00 = 60, Wed 00:00–02:00 = 120 → Wed 02:00 (midnight is no gap).
    expect(iso(addBusinessMinutes(cal, bj('2025-09-02 23:00'), 180))).toBe(iso(bj('2025-09-03 02:00')));
    // Wed 05:00 + 120: 60 until 06:00, then 22:00 + 60 → 23:00.
    expect(iso(addBusinessMinutes(cal, bj('2025-09-03 05:00'), 120))).toBe(iso(bj('2025-09-03 23:00')));
  });
});

describe('business calendar across a DST change (Europe/Berlin, 2025-03-30 02:00 → 03:00, 2025-10-26 03:00 → 02:00)', () => {
  const always = (): WorkingHours[] => [{ start: '00:00', end: '24:00' }];
  const berlin247: BusinessCalendar = { timezone: 'Europe/Berlin', week: Array.from({ length: 7 }, always), holidays: [], workdays: [] };

  it('knows the offsets (sanity check of Intl)', () => {
    expect(zoneOffsetMs('Europe/Berlin', Date.parse('2025-03-30T00:59:59Z'))).toBe(3_600_000);
    expect(zoneOffsetMs('Europe/Berlin', Date.parse('2025-03-30T01:00:00Z'))).toBe(7_200_000);
  });

  it('a 24-hour local day holds 23 hours in March and 25 in October', () => {
    // Sat 03-29 12:00 CET (11:00Z) → Sun 03-30 12:00 CEST (10:00Z) = 23 h = 1380 minutes.
    expect(businessMinutesBetween(berlin247, new Date('2025-03-29T11:00:00Z'), new Date('2025-03-30T10:00:00Z'))).toBe(1380);
    // 24 business hours from Sat 12:00 CET end at Sun 13:00 CEST (11:00Z): real elapsed time.
    expect(iso(addBusinessMinutes(berlin247, new Date('2025-03-29T11:00:00Z'), 1440))).toBe('2025-03-30T11:00:00.000Z');
    // Sat 10-25 12:00 CEST (10:00Z) → Sun 10-26 12:00 CET (11:00Z) = 25 h = 1500 minutes.
    expect(businessMinutesBetween(berlin247, new Date('2025-10-25T10:00:00Z'), new Date('2025-10-26T11:00:00Z'))).toBe(1500);
  });

  it('office hours keep their local times after the change', () => {
    const eight: WorkingHours[] = [{ start: '08:00', end: '17:00' }];
    const cal: BusinessCalendar = { timezone: 'Europe/Berlin', week: [[], eight, eight, eight, eight, eight, []], holidays: [], workdays: [] };
    // Fri 03-28 16:00 CET (15:00Z) + 120: 60 on Friday, Mon 03-31 08:00 CEST (06:00Z) + 60 → 09:00 CEST = 07:00Z.
    expect(iso(addBusinessMinutes(cal, new Date('2025-03-28T15:00:00Z'), 120))).toBe('2025-03-31T07:00:00.000Z');
  });

  it('spans touching the missing and the repeated hour count the wall clock exactly', () => {
    const early: WorkingHours[] = [{ start: '02:30', end: '10:00' }];
    const cal: BusinessCalendar = { timezone: 'Europe/Berlin', week: Array.from({ length: 7 }, () => early), holidays: [], workdays: [] };
    // Sun 03-30: 02:30 does not exist; the clock shows 03:00 CEST (01:00Z) to 10:00 CEST (08:00Z) = 7 h.
    expect(businessMinutesBetween(cal, new Date('2025-03-29T22:00:00Z'), new Date('2025-03-30T22:00:00Z'))).toBe(420);
    // Sun 10-26: 02:30–03:00 CEST (00:30–01:00Z), then 02:00–02:30 CET is before 02:30 again (closed),
    // 02:30 CET (01:30Z) – 10:00 CET (09:00Z) = 7.5 h; total 8 h = 480.
    expect(businessMinutesBetween(cal, new Date('2025-10-25T21:00:00Z'), new Date('2025-10-26T22:00:00Z'))).toBe(480);
  });
});

describe('calendar validation', () => {
  it('names every bad field with a stable code', () => {
    const cal: BusinessCalendar = {
      timezone: 'Mars/Olympus',
      week: [
        [],
        [{ start: '9:00', end: '18:00' }],
        [{ start: '18:00', end: '09:00' }],
        [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '14:00' }],
        [{ start: '24:00', end: '24:00' }],
        [{ start: '00:00', end: '24:00' }],
        [],
      ],
      holidays: ['2025-02-30'],
      workdays: ['2025-9-28'],
    };
    expect(calendarIssues(cal)).toEqual([
      { path: 'timezone', code: 'unknown_time_zone' },
      { path: 'week.1.0.start', code: 'bad_time' },
      { path: 'week.2.0.end', code: 'end_not_after_start' },
      { path: 'week.3.1', code: 'overlapping_hours' },
      { path: 'week.4.0.start', code: 'bad_time' },
      { path: 'holidays.0', code: 'bad_date' },
      { path: 'workdays.0', code: 'bad_date' },
    ]);
    expect(calendarIssues(beijing)).toEqual([]);
  });
});

describe('China holidays from chinese-days (国务院办公厅 2025 notice)', () => {
  const y2025 = chinaCalendarDates(2025, 2025);

  it('lists National Day 10-01..10-08 with make-up days Sun 09-28 and Sat 10-11', () => {
    for (const d of ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05', '2025-10-06', '2025-10-07', '2025-10-08']) {
      expect(y2025.holidays).toContain(d);
    }
    expect(y2025.holidays).not.toContain('2025-10-09');
    expect(y2025.holidays).not.toContain('2025-09-30');
    expect(y2025.workdays).toContain('2025-09-28');
    expect(y2025.workdays).toContain('2025-10-11');
  });

  it('lists Spring Festival 01-28..02-04 with make-up days Sun 01-26 and Sat 02-08', () => {
    expect(y2025.holidays.filter((d) => d >= '2025-01-20' && d <= '2025-02-10')).toEqual([
      '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02', '2025-02-03', '2025-02-04',
    ]);
    expect(y2025.workdays.filter((d) => d >= '2025-01-20' && d <= '2025-02-10')).toEqual(['2025-01-26', '2025-02-08']);
  });

  it('has exactly the five 2025 make-up days, all on weekends, and no ordinary weekends as holidays', () => {
    // 01-26 (Sun), 02-08 (Sat), 04-27 (Sun, Labour Day), 09-28 (Sun), 10-11 (Sat).
    expect(y2025.workdays).toEqual(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);
    expect(y2025.holidays).not.toContain('2025-09-27'); // an ordinary Saturday
    expect(y2025.holidays).toHaveLength(28); // 1 + 8 + 3 + 5 + 3 + 8 days off named in the notice
    expect(y2025.missingYears).toEqual([]);
  });

  it('does not depend on the time zone of the server process', () => {
    const saved = process.env.TZ;
    try {
      for (const [tz, offset] of [['America/Los_Angeles', 480], ['Pacific/Kiritimati', -840], ['Europe/Berlin', -60]] as const) {
        process.env.TZ = tz;
        expect(new Date(2025, 0, 1).getTimezoneOffset()).toBe(offset); // the process zone really changed
        clearChinaCalendarCache(); // worked out again in this zone, not taken from the per-year cache
        expect(chinaCalendarDates(2025, 2025)).toEqual(y2025);
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('reports years the package does not know yet', () => {
    expect(chinaCalendarDates(2026, 2027).missingYears).not.toContain(2026);
    expect(chinaCalendarDates(2098, 2099).missingYears).toEqual([2098, 2099]);
  });

  it('builds a calendar that skips the published holiday', () => {
    const cal: BusinessCalendar = { ...beijing, ...y2025 };
    expect(iso(addBusinessMinutes(cal, bj('2025-01-27 17:00'), 120))).toBe(iso(bj('2025-02-05 10:00')));
  });
});
