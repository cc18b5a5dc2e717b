import { describe, expect, it } from 'vitest';
import { Invalid } from '../platform/errors.ts';
import { solveRosterInWorker, solveShiftsInWorker } from './solver-worker.ts';

describe('HiGHS solves in a worker thread', () => {
  it('solves the shift reference in a worker', async () => {
    const plan = await solveShiftsInWorker({
      intervalMinutes: 60,
      cyclic: true,
      requirements: [6, 6, 6, 6, 6, 8, 9, 12, 18, 22, 25, 21, 21, 20, 18, 21, 21, 24, 24, 18, 18, 18, 12, 8],
      shiftTemplates: [{ name: 'day8', lengthIntervals: 8, cost: 1 }],
    });
    expect(plan).toMatchObject({ status: 'optimal', shiftsUsed: 55 });
  }, 60_000);

  it('returns rosters and rethrows Invalid with its fields', async () => {
    const res = await solveRosterInWorker({
      days: 7,
      shifts: [{ id: 'd', startMinute: 540, lengthMinutes: 480 }],
      agents: [{ id: 'a', name: 'A' }],
      rules: { maxHoursPerWeek: 40, minRestHours: 11, maxConsecutiveDays: 5, minDaysOffPerWeek: 2 },
      demand: Array.from({ length: 7 }, (_, day) => ({ day, shift: 'd', count: 1 })),
    });
    expect(res.violations).toEqual([]);
    expect(res.assignments).toHaveLength(5);
    expect(res.shortfall).toBe(2);
    const err = await solveShiftsInWorker({ intervalMinutes: 60, cyclic: true, requirements: [], shiftTemplates: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Invalid);
    expect((err as Invalid).fields.map((f) => f.path)).toEqual(['requirements', 'shiftTemplates']);
  }, 60_000);
});
