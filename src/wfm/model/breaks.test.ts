// Break placement for rostered shifts: the plan's placements per (day, shift type) in order, cycling when the
// roster staffs more than planned, and borrowed from the nearest planned day when the roster uses a shift type
// on a day the plan did not (interval demand lets the roster choose).
import { describe, expect, it } from 'vitest';
import { assignBreaks, type PlannedBreaks } from './breaks.ts';

describe('assignBreaks', () => {
  const planned: PlannedBreaks = {
    '0|early@08:00': { offsets: [180, 210], lengthMinutes: 30 },
    '3|early@08:00': { offsets: [240], lengthMinutes: 30 },
  };

  it('gives the agents of a (day, shift) the plan\'s placements in order, cycling, and repeats the plan per week', () => {
    const got = assignBreaks([{ day: 0, shift: 'early@08:00' }, { day: 0, shift: 'early@08:00' }, { day: 0, shift: 'early@08:00' }, { day: 7, shift: 'early@08:00' }], planned, 7);
    expect(got.map((b) => b?.offset)).toEqual([180, 210, 180, 180]);
  });

  it('borrows the nearest planned day\'s placements for a shift type the plan did not use that day; none for unknown shifts', () => {
    // Day 2 is one day from day 3 and two from day 0; day 5 is two from day 3 and two from day 0 (forward first: day 0 via 5+2=7≡0).
    const got = assignBreaks([{ day: 2, shift: 'early@08:00' }, { day: 1, shift: 'early@08:00' }, { day: 5, shift: 'early@08:00' }, { day: 2, shift: 'late@14:00' }], planned, 7);
    expect(got).toEqual([{ offset: 240, lengthMinutes: 30 }, { offset: 180, lengthMinutes: 30 }, { offset: 180, lengthMinutes: 30 }, null]);
  });
});
