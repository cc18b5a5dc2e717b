import { describe, expect, it } from 'vitest';
import { Invalid } from '../../platform/errors.ts';
import { solveShifts, type ShiftProblem, type ShiftTemplate } from './shifts.ts';

const REFERENCE = [6, 6, 6, 6, 6, 8, 9, 12, 18, 22, 25, 21, 21, 20, 18, 21, 21, 24, 24, 18, 18, 18, 12, 8];

// ---- independent oracle: exact minimum-cost multicover by memoised search over deficit vectors ----
// The first interval with a deficit must be covered by one more unit of some shift covering it; recursing on
// that choice enumerates every multiset of shifts, so the memoised minimum is the exact optimum.
function oracleColumns(p: ShiftProblem): { cost: number; template: number; covers: Set<number> }[] {
  const n = p.requirements.length;
  const out: { cost: number; template: number; covers: Set<number> }[] = [];
  p.shiftTemplates.forEach((t, k) => {
    for (let s = 0; s < n; s++) {
      if (t.starts && !t.starts.includes(s)) continue;
      if (!p.cyclic && s + t.lengthIntervals > n) continue;
      const placements: number[] = t.breaks?.length ? [] : [-1];
      if (t.breaks?.length === 1) for (let b = t.breaks[0].earliestOffset; b <= t.breaks[0].latestOffset; b++) placements.push(b);
      for (const b of placements) {
        const covers = new Set<number>();
        for (let o = 0; o < t.lengthIntervals; o++) {
          if (b >= 0 && o >= b && o < b + t.breaks![0].lengthIntervals) continue;
          covers.add((s + o) % n);
        }
        out.push({ cost: t.cost, template: k, covers });
      }
    }
  });
  return out;
}

function oracleOptimum(p: ShiftProblem): number {
  const cols = oracleColumns(p);
  const memo = new Map<string, number>();
  const rec = (def: number[]): number => {
    const t = def.findIndex((d) => d > 0);
    if (t < 0) return 0;
    const key = def.join(',');
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let best = Infinity;
    for (const c of cols) {
      if (!c.covers.has(t)) continue;
      const next = def.map((d, i) => (c.covers.has(i) ? Math.max(0, d - 1) : d));
      best = Math.min(best, c.cost + rec(next));
    }
    memo.set(key, best);
    return best;
  };
  return rec(p.requirements.slice());
}

// Closed-form bound for one cyclic template of length L with every start allowed: a shift covers at most one
// of any set of intervals pairwise ≥ L apart on the cycle, so Σ req over such a set bounds the shift count.
function windowBound(req: number[], L: number): number {
  const n = req.length;
  let best = 0;
  const m = Math.floor(n / L);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < m; k++) s += req[(i + k * L) % n];
    best = Math.max(best, s);
  }
  return Math.max(best, Math.ceil(req.reduce((a, b) => a + b, 0) / L));
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function checkCover(p: ShiftProblem, plan: Awaited<ReturnType<typeof solveShifts>>) {
  const n = p.requirements.length;
  const cov = new Array<number>(n).fill(0);
  let cost = 0;
  for (const a of plan.assignments) {
    const t = p.shiftTemplates.find((x) => x.name === a.template)!;
    cost += t.cost * a.count;
    if (t.starts) expect(t.starts).toContain(a.start);
    if (!p.cyclic) expect(a.start + t.lengthIntervals).toBeLessThanOrEqual(n);
    const off = new Set<number>();
    (a.breaks ?? []).forEach((b, i) => {
      for (let q = 0; q < t.breaks![i].lengthIntervals; q++) off.add((b + q) % n);
    });
    for (let o = 0; o < t.lengthIntervals; o++) {
      const i = (a.start + o) % n;
      if (!off.has(i)) cov[i] += a.count;
    }
  }
  expect(cov).toEqual(plan.coverage);
  cov.forEach((c, i) => expect(c).toBeGreaterThanOrEqual(p.requirements[i]));
  expect(cost).toBeCloseTo(plan.cost, 9);
}

describe('solveShifts (Dantzig set covering on HiGHS)', () => {
  it('reference: 24 hourly intervals, one 8-hour template, cyclic → 55 shifts, optimal', async () => {
    const p: ShiftProblem = { intervalMinutes: 60, cyclic: true, requirements: REFERENCE, shiftTemplates: [{ name: 'day8', lengthIntervals: 8, cost: 1 }] };
    const plan = await solveShifts(p);
    expect(plan.status).toBe('optimal');
    expect(plan.shiftsUsed).toBe(55);
    expect(plan.cost).toBe(55);
    expect(plan.lowerBound).toBe(55);
    expect(plan.gap).toBe(0);
    expect(plan.lpBound).toBeLessThanOrEqual(55 + 1e-9);
    // The closed-form window bound is 55 as well (intervals 10, 18, 2: 25 + 24 + 6).
    expect(windowBound(REFERENCE, 8)).toBe(55);
    checkCover(p, plan);
  });

  it('matches the closed-form window bound and the exhaustive oracle on random cyclic single-template instances', async () => {
    const r = rng(7);
    for (let trial = 0; trial < 12; trial++) {
      const n = 6 + Math.floor(r() * 4);
      const L = 2 + Math.floor(r() * 3);
      const req = Array.from({ length: n }, () => Math.floor(r() * 4));
      const p: ShiftProblem = { intervalMinutes: 60, cyclic: true, requirements: req, shiftTemplates: [{ name: 's', lengthIntervals: L, cost: 1 }] };
      const plan = await solveShifts(p);
      const exact = oracleOptimum(p);
      expect(plan.status).toBe('optimal');
      expect(plan.cost).toBe(exact);
      expect(plan.cost).toBeGreaterThanOrEqual(windowBound(req, L));
      expect(plan.lowerBound).toBeLessThanOrEqual(exact);
      checkCover(p, plan);
    }
  });

  it('matches the exhaustive oracle with several templates, costs, restricted starts, non-cyclic horizons and breaks', async () => {
    const r = rng(42);
    for (let trial = 0; trial < 16; trial++) {
      const n = 6 + Math.floor(r() * 4);
      const cyclic = trial % 2 === 0;
      const req = Array.from({ length: n }, () => Math.floor(r() * 4));
      const templates: ShiftTemplate[] = [
        { name: 'long', lengthIntervals: 4, cost: 7 },
        { name: 'short', lengthIntervals: 2, cost: 4 },
      ];
      if (trial % 3 === 0) templates.push({ name: 'mid', lengthIntervals: 3, cost: 5.5, starts: [0, 2, 3].filter((s) => cyclic || s + 3 <= n) });
      if (trial % 4 === 1) templates.push({ name: 'brk', lengthIntervals: 5, cost: 8, breaks: [{ earliestOffset: 1, latestOffset: 3, lengthIntervals: 1 }] });
      const p: ShiftProblem = { intervalMinutes: 30, cyclic, requirements: req, shiftTemplates: templates };
      const plan = await solveShifts(p);
      const exact = oracleOptimum(p);
      expect(plan.status).toBe('optimal');
      expect(plan.cost).toBeCloseTo(exact, 6);
      expect(plan.lowerBound).toBeLessThanOrEqual(exact + 1e-6);
      expect(plan.gap).toBeLessThanOrEqual(1e-6);
      checkCover(p, plan);
    }
  });

  it('respects maxCount per template', async () => {
    const p: ShiftProblem = {
      intervalMinutes: 60,
      cyclic: false,
      requirements: [2, 2, 2, 2],
      shiftTemplates: [
        { name: 'cheap', lengthIntervals: 4, cost: 1, maxCount: 1 },
        { name: 'dear', lengthIntervals: 2, cost: 3 },
      ],
    };
    const plan = await solveShifts(p);
    expect(plan.cost).toBe(1 + 2 * 3);
    expect(plan.assignments.find((a) => a.template === 'cheap')?.count).toBe(1);
    checkCover(p, plan);
  });

  it('reports a gap and feasible status when stopped at a relative gap', async () => {
    const req = Array.from({ length: 96 }, (_, i) => Math.round(10 + 8 * Math.sin((i / 96) * 2 * Math.PI) + ((i * 7) % 5)));
    const p: ShiftProblem = {
      intervalMinutes: 15,
      cyclic: true,
      requirements: req,
      shiftTemplates: [
        { name: 'f8', lengthIntervals: 32, cost: 8, breaks: [{ earliestOffset: 12, latestOffset: 18, lengthIntervals: 2 }] },
        { name: 'p4', lengthIntervals: 16, cost: 4.4 },
      ],
    };
    const plan = await solveShifts(p, { mipRelGap: 0.05 });
    checkCover(p, plan);
    expect(plan.lowerBound).toBeLessThanOrEqual(plan.cost);
    expect(plan.lpBound).toBeLessThanOrEqual(plan.cost);
    expect(plan.gap).toBeCloseTo((plan.cost - plan.lowerBound) / plan.cost, 9);
    expect(plan.gap).toBeLessThanOrEqual(0.05 + 1e-9);
  });

  it('rejects empty, malformed and uncoverable input with field errors', async () => {
    const base = { intervalMinutes: 60, cyclic: false, shiftTemplates: [{ name: 'a', lengthIntervals: 2, cost: 1 }] };
    const codes = async (p: unknown) => {
      try {
        await solveShifts(p as ShiftProblem);
      } catch (e) {
        expect(e).toBeInstanceOf(Invalid);
        return (e as Invalid).fields.map((f) => `${f.path}:${f.code}`);
      }
      throw new Error('expected Invalid');
    };
    expect(await codes({ ...base, requirements: [] })).toContain('requirements:empty');
    expect(await codes({ ...base, requirements: [1, -1] })).toContain('requirements.1:invalid');
    expect(await codes({ ...base, requirements: [1, 1], shiftTemplates: [] })).toContain('shiftTemplates:empty');
    expect(await codes({ ...base, requirements: [1, 1, 1], shiftTemplates: [{ name: 'a', lengthIntervals: 2, cost: 1, starts: [2] }] })).toContain('shiftTemplates.0.starts.0:past_horizon');
    // Interval 2 cannot be covered: the only template starts at 0 and lasts two intervals.
    expect(await codes({ ...base, requirements: [1, 1, 1], shiftTemplates: [{ name: 'a', lengthIntervals: 2, cost: 1, starts: [0] }] })).toEqual(['requirements.2:uncoverable']);
    expect(await codes({ ...base, requirements: [1], shiftTemplates: [{ name: 'a', lengthIntervals: 3, cost: 1 }] })).toContain('shiftTemplates.0.lengthIntervals:too_long');
    expect(await codes({ ...base, requirements: [1, 1], shiftTemplates: [{ name: 'a', lengthIntervals: 1, cost: 1 }, { name: 'a', lengthIntervals: 1, cost: 1 }] })).toContain('shiftTemplates.1.name:duplicate');
  });

  it('zero demand needs no shifts', async () => {
    const plan = await solveShifts({ intervalMinutes: 60, cyclic: true, requirements: [0, 0, 0], shiftTemplates: [{ name: 'a', lengthIntervals: 2, cost: 1 }] });
    expect(plan.shiftsUsed).toBe(0);
    expect(plan.status).toBe('optimal');
    expect(plan.coverage).toEqual([0, 0, 0]);
  });
});
