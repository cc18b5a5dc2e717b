import { describe, expect, it } from 'vitest';
import { addBusinessMinutes, businessMinutesBetween, type BusinessCalendar, type WorkingHours } from './business-calendar.ts';
import { slaDueAt, slaElapsedMinutes, type Pause } from './sla-clock.ts';
import { mulberry32 } from '../../platform/mulberry32.ts';

const bj = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
const iso = (d: Date | null) => (d ? d.toISOString() : null);

const office: WorkingHours[] = [
  { start: '09:00', end: '12:00' },
  { start: '13:00', end: '18:00' },
];
const beijing: BusinessCalendar = {
  timezone: 'Asia/Shanghai',
  week: [[], office, office, office, office, office, []],
  holidays: ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05', '2025-10-06', '2025-10-07', '2025-10-08'],
  workdays: ['2025-09-28', '2025-10-11'],
};

describe('SLA clock: hand-computed cases in Beijing (2025-09-05 is a Friday)', () => {
  it('without pauses, is the business-time sum', () => {
    // Fri 16:00 + 240: 16–18 = 120, Mon 09–11 = 120 → Mon 09-08 11:00.
    expect(iso(slaDueAt(beijing, bj('2025-09-05 16:00'), 240, []))).toBe(iso(bj('2025-09-08 11:00')));
  });

  it('a pause spanning a weekend costs only the business hours inside it', () => {
    // Pause Fri 17:00 → Mon 10:00 covers Fri 17–18 (60) + Mon 09–10 (60) = 120 business minutes.
    // Counted: Fri 16–17 = 60; from Mon 10:00 remaining 180: 10–12 = 120, 13:00 + 60 → Mon 14:00.
    const pauses: Pause[] = [{ from: bj('2025-09-05 17:00'), to: bj('2025-09-08 10:00') }];
    expect(iso(slaDueAt(beijing, bj('2025-09-05 16:00'), 240, pauses))).toBe(iso(bj('2025-09-08 14:00')));
    // Elapsed at Mon 15:00: Fri 16–18 (120) + Mon 09–12 (180) + 13–15 (120) = 420, minus the pause's 120 = 300.
    expect(slaElapsedMinutes(beijing, bj('2025-09-05 16:00'), bj('2025-09-08 15:00'), pauses)).toBe(300);
    // At the due time, exactly the target has elapsed.
    expect(slaElapsedMinutes(beijing, bj('2025-09-05 16:00'), bj('2025-09-08 14:00'), pauses)).toBe(240);
  });

  it('a pause open now: the due time is unknown, elapsed stops at the pause', () => {
    // Start Mon 09-08 09:00, target 240, paused since 10:00 and still paused.
    const pauses: Pause[] = [{ from: bj('2025-09-08 10:00'), to: null }];
    expect(slaDueAt(beijing, bj('2025-09-08 09:00'), 240, pauses)).toBeNull();
    // At 11:30: 09–10 counted = 60; 10:00–11:30 is paused.
    expect(slaElapsedMinutes(beijing, bj('2025-09-08 09:00'), bj('2025-09-08 11:30'), pauses)).toBe(60);
    // Resumed at 14:00: counted 60 before; remaining 180 from 14:00 → 17:00.
    const resumed: Pause[] = [{ from: bj('2025-09-08 10:00'), to: bj('2025-09-08 14:00') }];
    expect(iso(slaDueAt(beijing, bj('2025-09-08 09:00'), 240, resumed))).toBe(iso(bj('2025-09-08 17:00')));
  });

  it('a pause opened after the target was missed does not hide the breach', () => {
    // Target 60 from Mon 09:00 → due 10:00; paused (open) from 10:30: the due time stays 10:00.
    const pauses: Pause[] = [{ from: bj('2025-09-08 10:30'), to: null }];
    expect(iso(slaDueAt(beijing, bj('2025-09-08 09:00'), 60, pauses))).toBe(iso(bj('2025-09-08 10:00')));
    // A target reached exactly when the pause begins is due then.
    expect(iso(slaDueAt(beijing, bj('2025-09-08 09:00'), 90, pauses))).toBe(iso(bj('2025-09-08 10:30')));
  });

  it('merges overlapping pauses (counted once)', () => {
    // Pauses 10:00–11:00 and 10:30–11:30 merge to 10:00–11:30 = 90 minutes, not 120.
    const pauses: Pause[] = [
      { from: bj('2025-09-08 10:30'), to: bj('2025-09-08 11:30') },
      { from: bj('2025-09-08 10:00'), to: bj('2025-09-08 11:00') },
    ];
    // Elapsed 09:00 → 12:00 = 180 − 90 = 90.
    expect(slaElapsedMinutes(beijing, bj('2025-09-08 09:00'), bj('2025-09-08 12:00'), pauses)).toBe(90);
    // Target 120: 09–10 = 60, then from 11:30: 11:30–12:00 = 30, 13:00 + 30 → 13:30.
    expect(iso(slaDueAt(beijing, bj('2025-09-08 09:00'), 120, pauses))).toBe(iso(bj('2025-09-08 13:30')));
  });

  it('a pause outside business hours costs nothing', () => {
    // Mon 17:00 + 120 → 60 Monday, Tue 09:00 + 60 → Tue 10:00, with or without a pause from 18:30 to 08:00.
    const pauses: Pause[] = [{ from: bj('2025-09-08 18:30'), to: bj('2025-09-09 08:00') }];
    expect(iso(slaDueAt(beijing, bj('2025-09-08 17:00'), 120, pauses))).toBe(iso(bj('2025-09-09 10:00')));
    expect(iso(slaDueAt(beijing, bj('2025-09-08 17:00'), 120, []))).toBe(iso(bj('2025-09-09 10:00')));
  });

  it('a clock started on a holiday, with a pause on the make-up Saturday', () => {
    // Start Fri 10-03 (holiday) 11:00, target 960 (two days). Counting starts Thu 10-09 09:00: 10-09 = 480,
    // 10-10 = 480 → due Fri 10-10 18:00. A pause Sat 10-11 doesn't matter; one on Fri 10-10 13:00–14:00 (60)
    // pushes it to the make-up Saturday 10-11, 09:00 + 60 → 10:00.
    expect(iso(slaDueAt(beijing, bj('2025-10-03 11:00'), 960, []))).toBe(iso(bj('2025-10-10 18:00')));
    const pauses: Pause[] = [{ from: bj('2025-10-10 13:00'), to: bj('2025-10-10 14:00') }];
    expect(iso(slaDueAt(beijing, bj('2025-10-03 11:00'), 960, pauses))).toBe(iso(bj('2025-10-11 10:00')));
    // Elapsed at Wed 10-08 (still the holiday): nothing.
    expect(slaElapsedMinutes(beijing, bj('2025-10-03 11:00'), bj('2025-10-08 17:00'), [])).toBe(0);
  });

  it('pauses before the start are clipped, and now before start counts nothing', () => {
    const pauses: Pause[] = [{ from: bj('2025-09-08 08:00'), to: bj('2025-09-08 09:30') }];
    // Clock starts 09:00, paused until 09:30 → target 30 due 10:00.
    expect(iso(slaDueAt(beijing, bj('2025-09-08 09:00'), 30, pauses))).toBe(iso(bj('2025-09-08 10:00')));
    expect(slaElapsedMinutes(beijing, bj('2025-09-08 09:00'), bj('2025-09-08 08:00'), [])).toBe(0);
  });

  it('a 30-business-day target with a pause of two business days', () => {
    // From Mon 09-01 09:00 the 30th business day ends Thu 10-16 18:00 (see business-calendar.test.ts).
    // Paused Mon 09-15 09:00 → Wed 09-17 09:00 = two business days → due two business days later: Mon 10-20 18:00.
    const pauses: Pause[] = [{ from: bj('2025-09-15 09:00'), to: bj('2025-09-17 09:00') }];
    expect(iso(slaDueAt(beijing, bj('2025-09-01 09:00'), 30 * 480, pauses))).toBe(iso(bj('2025-10-20 18:00')));
  });
});

// ---------------------------------------------------------------------------------------------------------------
// An independent oracle: step minute by minute, asking Intl for the local wall clock of every minute and checking
// the calendar's rules directly. Slow and obviously right; the model must agree with it on random cases.

const partsFormatters = new Map<string, Intl.DateTimeFormat>();
function wallClock(tz: string, t: number): { date: string; weekday: number; minute: number } {
  let f = partsFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: tz, weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    partsFormatters.set(tz, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(t)) p[part.type] = part.value;
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p.weekday);
  return { date: `${p.year}-${p.month}-${p.day}`, weekday, minute: Number(p.hour) * 60 + Number(p.minute) };
}

const hm = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3));

const memo = new WeakMap<BusinessCalendar, Map<number, boolean>>();
function oracleOpen(cal: BusinessCalendar, t: number): boolean {
  let seen = memo.get(cal);
  if (!seen) memo.set(cal, (seen = new Map()));
  let open = seen.get(t);
  if (open === undefined) seen.set(t, (open = oracleOpenUncached(cal, t)));
  return open;
}

function oracleOpenUncached(cal: BusinessCalendar, t: number): boolean {
  const w = wallClock(cal.timezone, t);
  if (cal.holidays.includes(w.date)) return false;
  let spans = cal.week[w.weekday];
  if (spans.length === 0 && cal.workdays.includes(w.date)) spans = cal.week[1];
  return spans.some((s) => hm(s.start) <= w.minute && w.minute < hm(s.end));
}

const M = 60_000;
const paused = (pauses: Pause[], t: number) => pauses.some((p) => p.from.getTime() <= t && (p.to === null || t < p.to.getTime()));

/** Minutes [start, now) that are open and not paused. */
function oracleElapsed(cal: BusinessCalendar, start: number, now: number, pauses: Pause[]): number {
  let n = 0;
  for (let t = start; t < now; t += M) if (oracleOpen(cal, t) && !paused(pauses, t)) n++;
  return n;
}

/** End of the n-th open, unpaused minute from start (n = 0: the first open unpaused minute); null when an open pause is reached first. */
function oracleDue(cal: BusinessCalendar, start: number, n: number, pauses: Pause[]): number | null {
  let count = 0;
  for (let t = start; ; t += M) {
    if (paused(pauses, t)) {
      if (pauses.some((p) => p.to === null && p.from.getTime() <= t)) return null;
      continue;
    }
    if (!oracleOpen(cal, t)) continue;
    if (n === 0) return t;
    count++;
    if (count === n) return t + M;
  }
}

/** Deterministic PRNG (mulberry32) so a failing case can be replayed. */
function rng(seed: number): () => number {
  return mulberry32(seed);
}

const pad = (n: number) => String(n).padStart(2, '0');
const clock = (m: number) => `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;

function randomCalendar(r: () => number, tz: string, firstDay: number): BusinessCalendar {
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const week: WorkingHours[][] = [];
  for (let d = 0; d < 7; d++) {
    if (r() < 0.3) {
      week.push([]);
      continue;
    }
    // One to three disjoint spans; boundaries sometimes inside the 02:00–03:00 hour a DST change moves.
    const cuts = new Set<number>();
    const n = int(1, 3) * 2;
    while (cuts.size < n) cuts.add(r() < 0.25 ? int(115, 185) : r() < 0.1 ? (r() < 0.5 ? 0 : 1440) : int(0, 1440));
    const sorted = [...cuts].sort((a, b) => a - b);
    const spans: WorkingHours[] = [];
    for (let i = 0; i < sorted.length; i += 2) spans.push({ start: clock(sorted[i]), end: clock(sorted[i + 1]) });
    week.push(spans);
  }
  if (week.every((s) => s.length === 0)) week[1] = [{ start: '09:00', end: '17:00' }];
  const holidays: string[] = [];
  const workdays: string[] = [];
  for (let i = 0; i < 20; i++) {
    const day = new Date((firstDay + int(0, 20)) * 86_400_000).toISOString().slice(0, 10);
    (r() < 0.6 ? holidays : workdays).push(day);
  }
  return { timezone: tz, week, holidays, workdays: workdays.filter((d) => !holidays.includes(d)) };
}

describe('SLA clock and business calendar agree with a minute-stepping oracle', () => {
  // Windows around the DST changes of 2025: Berlin 03-30 and 10-26, New York 03-09 and 11-02.
  const windows = ['2025-03-05', '2025-03-26', '2025-10-22', '2025-10-29'].map((d) => Date.parse(`${d}T00:00:00Z`) / 86_400_000);
  const zones = ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'UTC'];

  it('on 80 random calendars, starts, targets and pauses', () => {
    const r = rng(20251001);
    for (let i = 0; i < 80; i++) {
      const tz = zones[i % zones.length];
      const firstDay = windows[Math.floor(r() * windows.length)];
      const cal = randomCalendar(r, tz, firstDay);
      const start = (firstDay + r() * 6) * 86_400_000;
      const startMin = Math.floor(start / M) * M;
      // Targets up to about two weeks of this calendar's hours, so the oracle's walk stays short.
      const weekly = cal.week.flat().reduce((sum, h) => sum + hm(h.end) - hm(h.start), 0);
      const target = r() < 0.1 ? 0 : Math.floor(r() * Math.min(3000, weekly * 2));
      const pauses: Pause[] = [];
      const np = Math.floor(r() * 4);
      for (let k = 0; k < np; k++) {
        const from = startMin + Math.floor(r() * 4 * 1440) * M - 720 * M;
        const open = k === np - 1 && r() < 0.3;
        pauses.push({ from: new Date(from), to: open ? null : new Date(from + Math.floor(r() * 2000) * M) });
      }
      const now = startMin + Math.floor(r() * 5 * 1440) * M;
      const label = `case ${i}: ${JSON.stringify({ cal, start: new Date(startMin), target, pauses, now: new Date(now) })}`;

      expect(iso(addBusinessMinutes(cal, new Date(startMin), target)), label).toBe(iso(new Date(oracleDue(cal, startMin, target, [])!)));
      expect(businessMinutesBetween(cal, new Date(startMin), new Date(now)), label).toBe(oracleElapsed(cal, startMin, now, []));
      expect(slaElapsedMinutes(cal, new Date(startMin), new Date(now), pauses), label).toBe(oracleElapsed(cal, startMin, now, pauses));
      const due = oracleDue(cal, startMin, target, pauses);
      expect(iso(slaDueAt(cal, new Date(startMin), target, pauses)), label).toBe(due === null ? null : iso(new Date(due)));
    }
    // The oracle steps minute by minute through Intl: it took over 30 s with the machine's cores shared.
  }, 180_000);
});
