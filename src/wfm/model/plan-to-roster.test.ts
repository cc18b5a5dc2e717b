import { describe, expect, it } from 'vitest';
import { rosterInputsFromShiftPlan } from './plan-to-roster.ts';
import { solveRoster } from './roster.ts';
import { solveShifts, type ShiftProblem } from './shifts.ts';

describe('shift plan → roster → interval coverage', () => {
  it('rosters a week of hourly shifts and covers every interval requirement again', async () => {
    // One week, hourly; starts at 07:00 and 13:00 each day; demand higher on weekdays.
    const requirements = Array.from({ length: 168 }, (_, i) => {
      const day = Math.floor(i / 24);
      const h = i % 24;
      if (h < 7 || h >= 21) return 0;
      return (day < 5 ? 3 : 1) + (h >= 10 && h < 16 ? 1 : 0);
    });
    const starts = (h: number) => Array.from({ length: 7 }, (_, d) => d * 24 + h);
    const problem: ShiftProblem = {
      intervalMinutes: 60,
      cyclic: true,
      requirements,
      shiftTemplates: [
        { name: 'early', lengthIntervals: 8, cost: 8, starts: starts(7) },
        { name: 'late', lengthIntervals: 8, cost: 8, starts: starts(13) },
        { name: 'family', lengthIntervals: 6, cost: 6.3, starts: starts(9) },
      ],
    };
    const plan = await solveShifts(problem);
    expect(plan.status).toBe('optimal');
    const inputs = rosterInputsFromShiftPlan(problem, plan, { weeks: 2 });
    expect(inputs.days).toBe(14);
    expect(inputs.shifts.map((s) => s.id)).toEqual(expect.arrayContaining(['early@07:00', 'late@13:00']));
    const perWeek = inputs.demand.filter((d) => d.day < 7).reduce((s, d) => s + d.count, 0);
    expect(perWeek).toBe(plan.shiftsUsed);
    expect(inputs.demand.filter((d) => d.day >= 7).reduce((s, d) => s + d.count, 0)).toBe(plan.shiftsUsed);

    const agents = Array.from({ length: 12 }, (_, i) => ({ id: `a${i}`, name: `A${i}` }));
    const roster = await solveRoster({ ...inputs, agents, rules: { maxHoursPerWeek: 40, minRestHours: 11, maxConsecutiveDays: 5, minDaysOffPerWeek: 2 } }, { timeLimitSeconds: 10 });
    expect(roster.violations).toEqual([]);
    expect(roster.shortfall).toBe(0);
    // Expand the roster back to hourly coverage and compare with the requirements.
    const byId = new Map(inputs.shifts.map((s) => [s.id, s]));
    for (let week = 0; week < 2; week++) {
      const cov = new Array<number>(168).fill(0);
      for (const a of roster.assignments) {
        if (Math.floor(a.day / 7) !== week) continue;
        const s = byId.get(a.shift)!;
        for (let m = 0; m < s.lengthMinutes; m += 60) cov[((a.day % 7) * 24 + (s.startMinute + m) / 60) % 168]++;
      }
      cov.forEach((c, i) => expect(c).toBeGreaterThanOrEqual(requirements[i]));
    }
  }, 60_000);
});
