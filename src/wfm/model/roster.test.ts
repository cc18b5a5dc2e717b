import { describe, expect, it } from 'vitest';
import { Invalid } from '../../platform/errors.ts';
import { checkRoster, solveRoster, type RosterAssignment, type RosterProblem } from './roster.ts';

const SHIFTS = [
  { id: 'early', startMinute: 7 * 60, lengthMinutes: 8 * 60 },
  { id: 'late', startMinute: 14 * 60, lengthMinutes: 8 * 60 },
  { id: 'family', startMinute: 9 * 60 + 30, lengthMinutes: 6 * 60, kind: 'family' },
];
const RULES = { maxHoursPerWeek: 40, minRestHours: 11, maxConsecutiveDays: 5, minDaysOffPerWeek: 2 };

function base(extra: Partial<RosterProblem> = {}): RosterProblem {
  return {
    days: 14,
    shifts: SHIFTS,
    agents: [
      { id: 'a', name: '甲', skills: ['general'] },
      { id: 'b', name: '乙', skills: ['general', 'billing'], maxHoursPerWeek: 24 },
    ],
    rules: RULES,
    demand: [],
    ...extra,
  };
}

const week = (agentId: string, shift: string, days: number[]): RosterAssignment[] => days.map((day) => ({ agentId, day, shift }));

describe('checkRoster (independent hard-rule checker)', () => {
  it('accepts a roster that keeps every rule', () => {
    const p = base();
    const roster = [...week('a', 'early', [0, 1, 2, 3, 4, 7, 8, 9, 10, 11]), ...week('b', 'late', [0, 1, 2, 7, 8, 9])];
    expect(checkRoster(p, roster)).toEqual([]);
  });

  it('flags each broken rule with the agent and day', () => {
    const p = base({
      agents: [
        { id: 'a', name: '甲', skills: ['general'], unavailableDays: [3], allowedShifts: ['early', 'late'], availability: [{ day: 5, shifts: ['late'] }] },
        { id: 'b', name: '乙', skills: ['general'], maxHoursPerWeek: 24 },
      ],
    });
    const rules = (r: RosterAssignment[]) => checkRoster(p, r).map((v) => `${v.rule}:${v.agentId}:${v.day ?? ''}`);
    expect(rules([{ agentId: 'a', day: 0, shift: 'early' }, { agentId: 'a', day: 0, shift: 'late' }])).toContain('one_shift_per_day:a:0');
    expect(rules([{ agentId: 'a', day: 0, shift: 'night' }])).toEqual(['unknown_shift:a:0']);
    expect(rules([{ agentId: 'zz', day: 0, shift: 'early' }])).toEqual(['unknown_agent:zz:0']);
    expect(rules([{ agentId: 'a', day: 14, shift: 'early' }])).toEqual(['day_out_of_range:a:14']);
    expect(rules([{ agentId: 'a', day: 3, shift: 'early' }])).toEqual(['availability:a:3']);
    expect(rules([{ agentId: 'a', day: 1, shift: 'family' }])).toEqual(['availability:a:1']);
    expect(rules([{ agentId: 'a', day: 5, shift: 'early' }])).toEqual(['availability:a:5']);
    expect(rules([{ agentId: 'a', day: 5, shift: 'late' }])).toEqual([]);
    expect(rules([{ agentId: 'a', day: 1, shift: 'early', skill: 'billing' }])).toEqual(['skill:a:1']);
    // Late (14:00–22:00) then early (07:00) next day: 9 h rest < 11 h.
    expect(rules([{ agentId: 'a', day: 1, shift: 'late' }, { agentId: 'a', day: 2, shift: 'early' }])).toEqual(['min_rest:a:2']);
    // Early then late next day: 16 h, fine.
    expect(rules([{ agentId: 'a', day: 1, shift: 'early' }, { agentId: 'a', day: 2, shift: 'late' }])).toEqual([]);
    // Contract 24 h: four 8 h shifts in a week exceed it; the same days in two weeks do not.
    expect(rules(week('b', 'early', [0, 1, 2, 4]))).toEqual(['max_hours_per_week:b:0']);
    expect(rules(week('b', 'early', [5, 6, 7, 9]))).toEqual([]);
    // Six consecutive days across the week boundary (days 4–9) with at most 5 allowed.
    expect(rules(week('a', 'early', [4, 5, 6, 7, 8, 9]).filter((x) => x.day !== 5).concat([{ agentId: 'a', day: 5, shift: 'late' }]))).toEqual(
      expect.arrayContaining(['max_consecutive_days:a:4']),
    );
    // Days 0,1,2 and 4,5,6: never more than three in a row, but only one day off in week 1.
    const p2 = base({ agents: [{ id: 'c', name: '丙' }] });
    expect(checkRoster(p2, week('c', 'family', [0, 1, 2, 4, 5, 6])).map((v) => v.rule)).toEqual(['min_days_off_per_week']);
    // 48 h rule: six 8 h shifts exceed 40 h too when the rule allows 6 days.
    const p3 = base({ agents: [{ id: 'c', name: '丙' }], rules: { ...RULES, minDaysOffPerWeek: 1, maxConsecutiveDays: 6 } });
    expect(checkRoster(p3, week('c', 'early', [0, 1, 2, 3, 4, 5])).map((v) => v.rule)).toEqual(['max_hours_per_week']);
  });
});

// ---- exact oracle for tiny instances: every per-agent schedule, every combination of two agents ----
function oracle(p: RosterProblem): number {
  const D = p.days;
  const S = p.shifts.length;
  const paid = p.shifts.map((s) => (s.paidMinutes ?? s.lengthMinutes) / 60);
  const w = { shortfall: 100, perHour: 1, nonPreferred: 4, unwanted: 10, dayOff: 8 };
  const matches = (list: string[] | undefined, s: (typeof p.shifts)[number]) => !!list && (list.includes(s.id) || (!!s.kind && list.includes(s.kind)));
  const schedules = p.agents.map((agent) => {
    const out: { days: number[]; cost: number }[] = [];
    const days = new Array<number>(D).fill(-1);
    const rec = (d: number) => {
      if (d === D) {
        const as = days.flatMap((s, day) => (s >= 0 ? [{ agentId: agent.id, day, shift: p.shifts[s].id }] : []));
        if (checkRoster({ ...p, agents: [agent] }, as).length) return;
        let cost = 0;
        days.forEach((s, day) => {
          const pref = agent.preferences ?? {};
          if (s < 0) return;
          cost += w.perHour * paid[s];
          if (pref.preferredShifts?.length && !matches(pref.preferredShifts, p.shifts[s])) cost += w.nonPreferred;
          if (matches(pref.unwantedShifts, p.shifts[s])) cost += w.unwanted;
          if (pref.preferredDaysOff?.includes(day) || pref.preferredWeekdaysOff?.includes(day % 7)) cost += w.dayOff;
        });
        out.push({ days: days.slice(), cost });
        return;
      }
      for (let s = -1; s < S; s++) {
        days[d] = s;
        rec(d + 1);
      }
    };
    rec(0);
    return out;
  });
  // Shortfall for one (day, shift): the most demand rows the working agents can fill (one row each).
  const shortfall = (day: number, shift: number, working: number[]): number => {
    const rows = p.demand.filter((r) => r.day === day && r.shift === p.shifts[shift].id);
    const need = rows.map((r) => r.count);
    let best = 0;
    const rec = (i: number, filled: number) => {
      if (i === working.length) return void (best = Math.max(best, filled));
      rec(i + 1, filled);
      rows.forEach((r, k) => {
        if (need[k] > 0 && (!r.skill || (p.agents[working[i]].skills ?? []).includes(r.skill))) {
          need[k]--;
          rec(i + 1, filled + 1);
          need[k]++;
        }
      });
    };
    rec(0, 0);
    return need.reduce((x, y) => x + y, 0) - best;
  };
  let best = Infinity;
  for (const x of schedules[0])
    for (const y of schedules[1]) {
      let cost = x.cost + y.cost;
      for (let d = 0; d < D; d++)
        for (let s = 0; s < S; s++) {
          const working = [x.days[d] === s ? 0 : -1, y.days[d] === s ? 1 : -1].filter((i) => i >= 0);
          cost += w.shortfall * paid[s] * shortfall(d, s, working);
        }
      best = Math.min(best, cost);
    }
  return best;
}

describe('solveRoster (HiGHS)', () => {
  it('finds the exact optimum on tiny instances (exhaustive oracle)', async () => {
    const shifts = [
      { id: 'early', startMinute: 7 * 60, lengthMinutes: 8 * 60 },
      { id: 'late', startMinute: 15 * 60, lengthMinutes: 8 * 60 },
    ];
    const rules = { maxHoursPerWeek: 32, minRestHours: 11, maxConsecutiveDays: 3, minDaysOffPerWeek: 2 };
    const cases: RosterProblem[] = [
      {
        days: 7,
        shifts,
        rules,
        agents: [
          { id: 'a', name: 'A', skills: ['general'], preferences: { preferredShifts: ['early'], preferredWeekdaysOff: [6] } },
          { id: 'b', name: 'B', skills: ['general', 'billing'], maxHoursPerWeek: 24, unavailableDays: [2], preferences: { unwantedShifts: ['late'] } },
        ],
        demand: [0, 1, 2, 3, 4, 5, 6].flatMap((day) => [
          { day, shift: 'early', count: 1, skill: 'general' },
          { day, shift: 'late', count: day % 2, skill: 'billing' },
          { day, shift: 'late', count: day === 3 ? 1 : 0 },
        ]),
      },
      {
        days: 7,
        shifts,
        rules: { ...rules, maxConsecutiveDays: 2, minRestHours: 16 },
        agents: [
          { id: 'a', name: 'A', availability: [{ day: 0, shifts: ['late'] }], preferences: { preferredDaysOff: [4] } },
          { id: 'b', name: 'B', allowedShifts: ['early'] },
        ],
        demand: [0, 1, 2, 3, 4, 5, 6].flatMap((day) => [
          { day, shift: 'early', count: 1 + (day % 3 === 0 ? 1 : 0) },
          { day, shift: 'late', count: 1 },
        ]),
      },
    ];
    for (const p of cases) {
      const exact = oracle(p);
      const res = await solveRoster(p, { mipRelGap: 0, decomposition: 'none' });
      expect(res.violations).toEqual([]);
      expect(res.status).toBe('optimal');
      expect(res.objective).toBeCloseTo(exact, 6);
      expect(res.lowerBound).toBeCloseTo(exact, 4);
    }
  });

  it('keeps every hard rule on a mid-sized multi-skill instance, monolithic and week by week', async () => {
    let seed = 3;
    const r = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const agents = Array.from({ length: 16 }, (_, i) => ({
      id: `ag${i}`,
      name: `Agent ${i}`,
      skills: r() < 0.4 ? ['general', 'billing'] : ['general'],
      maxHoursPerWeek: r() < 0.25 ? 24 : undefined,
      unavailableDays: [Math.floor(r() * 14)],
      preferences: r() < 0.5 ? { preferredShifts: ['family'], preferredWeekdaysOff: [6] } : { unwantedShifts: ['late'] },
    }));
    const demand = Array.from({ length: 14 }, (_, day) => [
      { day, shift: 'early', count: 3, skill: 'general' },
      { day, shift: 'early', count: 2, skill: 'billing' },
      { day, shift: 'late', count: 4 },
      { day, shift: 'family', count: 2 },
    ]).flat();
    const p: RosterProblem = { days: 14, shifts: SHIFTS, rules: RULES, agents, demand };
    for (const decomposition of ['none', 'weekly'] as const) {
      const res = await solveRoster(p, { decomposition, timeLimitSeconds: 6 });
      expect(res.method).toBe(decomposition === 'none' ? 'monolithic' : 'weekly');
      expect(res.violations).toEqual([]);
      expect(checkRoster(p, res.assignments)).toEqual([]);
      // Coverage recounted from the assignments.
      for (const c of res.coverage) {
        const n = res.assignments.filter((a) => a.day === c.day && a.shift === c.shift && (a.skill ?? null) === c.skill).length;
        expect(n).toBe(c.assigned);
        expect(c.assigned).toBeLessThanOrEqual(c.required);
      }
      expect(res.shortfall).toBe(res.understaffing.reduce((s, u) => s + u.required - u.assigned, 0));
      // Roster grid agrees with the assignment list.
      for (const row of res.roster) row.days.forEach((s, d) => expect(res.assignments.some((a) => a.agentId === row.agentId && a.day === d && a.shift === s)).toBe(s !== null));
      expect(res.preferenceSatisfaction.overall).toBeGreaterThan(0);
      expect(res.preferenceSatisfaction.overall).toBeLessThanOrEqual(1);
    }
  });

  it('reports understaffing rather than breaking rules when demand exceeds the agents', async () => {
    const p = base({ days: 7, demand: Array.from({ length: 7 }, (_, day) => ({ day, shift: 'early', count: 3 })) });
    const res = await solveRoster(p);
    expect(res.violations).toEqual([]);
    // Agent a: at most 5 days (two off); agent b: 24 h = 3 shifts. 21 demanded, at most 8 filled.
    expect(res.assignments).toHaveLength(8);
    expect(res.shortfall).toBe(13);
    expect(res.understaffing).toHaveLength(7);
  });

  it('gives agents their contract minimum hours before preferences, and reports when it cannot', async () => {
    const mk = (minHours?: number, unavailableDays?: number[]): RosterProblem => ({
      days: 7,
      shifts: [{ id: 'd', startMinute: 540, lengthMinutes: 480 }],
      agents: [
        { id: 'a', name: 'A', minHoursPerWeek: minHours, unavailableDays, preferences: { unwantedShifts: ['d'] } },
        { id: 'b', name: 'B' },
      ],
      rules: { maxHoursPerWeek: 40, minRestHours: 11, maxConsecutiveDays: 5, minDaysOffPerWeek: 2 },
      demand: Array.from({ length: 7 }, (_, day) => ({ day, shift: 'd', count: 1 })),
    });
    const days = (r: Awaited<ReturnType<typeof solveRoster>>, id: string) => r.assignments.filter((x) => x.agentId === id).length;
    const free = await solveRoster(mk());
    expect([days(free, 'a'), days(free, 'b')]).toEqual([2, 5]);
    expect(free.contractShortfall).toEqual([]);
    const contract = await solveRoster(mk(40));
    expect([days(contract, 'a'), days(contract, 'b')]).toEqual([5, 2]);
    expect(contract.contractShortfall).toEqual([]);
    const onLeave = await solveRoster(mk(40, [0, 1, 2]));
    expect(days(onLeave, 'a')).toBe(4);
    expect(onLeave.contractShortfall).toEqual([{ agentId: 'a', week: 0, hours: 32, minHours: 40 }]);
    expect(onLeave.violations).toEqual([]);
  });

  it('rejects malformed input with field errors', async () => {
    const bad = { ...base(), days: 10, demand: [{ day: 0, shift: 'night', count: 1 }] };
    await expect(solveRoster(bad)).rejects.toBeInstanceOf(Invalid);
    try {
      await solveRoster(bad);
    } catch (e) {
      expect((e as Invalid).fields.map((f) => f.path)).toEqual(['days', 'demand.0.shift']);
    }
  });
});
