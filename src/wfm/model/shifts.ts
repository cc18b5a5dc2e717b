// Shift scheduling as set covering.
//
// Formulation: G. B. Dantzig (1954), "A comment on Edie's traffic delays at toll booths", Journal of the
// Operations Research Society of America 2(3):339–341. One integer variable per possible shift (template ×
// start × break placement) counts how many agents work it; minimise Σ cost·x subject to, for every interval
// t, Σ_{shifts covering t} x ≥ requirement[t], x ∈ ℤ₊. With `cyclic`, shifts that run past the last
// interval wrap to the first (a week that repeats). Breaks are placed explicitly: every admissible
// placement of each break window is its own column (Dantzig's explicit model; Aykin 1996, "Optimal shift
// scheduling with multiple break windows", Management Science 42(4):591–602, and Thompson 1995 give the
// equivalent implicit formulations with fewer columns).
//
// Solved with HiGHS (branch-and-cut). The LP relaxation is solved separately and reported as `lpBound`;
// `lowerBound` is the best proven bound (LP or HiGHS's MIP dual bound, rounded up when every cost is an
// integer), and `gap = (cost − lowerBound) / cost`.
import { Invalid, type KeyedFieldError, fieldError } from '../../platform/errors.ts';
import { MipBuilder } from './mip.ts';

/** A break inside a shift: it starts between `earliestOffset` and `latestOffset` intervals after the shift start. */
export interface ShiftBreak {
  earliestOffset: number;
  latestOffset: number;
  lengthIntervals: number;
}

export interface ShiftTemplate {
  name: string;
  /** Shift length in intervals, breaks included. */
  lengthIntervals: number;
  /** Cost of one shift of this template (e.g. paid hours). */
  cost: number;
  /** Allowed start intervals (0-based); default: every interval (non-cyclic: every start that fits). */
  starts?: number[];
  /** Breaks during which the agent does not cover demand. */
  breaks?: ShiftBreak[];
  /** Upper limit on the number of shifts of this template over the horizon (e.g. part-timers available). */
  maxCount?: number;
}

export interface ShiftProblem {
  intervalMinutes: number;
  cyclic: boolean;
  /** Agents required per interval. */
  requirements: number[];
  shiftTemplates: ShiftTemplate[];
}

export interface ShiftSolveOptions {
  /** Time limit for the integer program in seconds (default 30). */
  timeLimitSeconds?: number;
  /** Relative gap at which branch-and-cut stops (default 0: prove optimality up to HiGHS tolerances). */
  mipRelGap?: number;
}

export interface ShiftAssignment {
  /** Start interval (0-based). */
  start: number;
  /** Template name. */
  template: string;
  count: number;
  /** Absolute start intervals of the breaks (cyclic: modulo the horizon), when the template has breaks. */
  breaks?: number[];
}

export interface ShiftPlan {
  status: 'optimal' | 'feasible';
  shiftsUsed: number;
  cost: number;
  lowerBound: number;
  /** Optimum of the LP relaxation. */
  lpBound: number;
  gap: number;
  coverage: number[];
  /** Coverage minus requirement per interval (≥ 0). */
  surplus: number[];
  assignments: ShiftAssignment[];
  columns: number;
  solveSeconds: number;
}

/** One candidate shift: a template at a start with a given break placement. */
export interface ShiftColumn {
  template: number;
  start: number;
  breaks: number[];
  /** Covered interval indices (breaks excluded), sorted. */
  covers: number[];
}

const MAX_COLUMNS = 400_000;

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** Validates a shift problem (e.g. parsed JSON); throws `Invalid` with field errors. */
export function parseShiftProblem(input: unknown): ShiftProblem {
  const errors: KeyedFieldError[] = [];
  const fail = (path: string, code: string, slug: string, params: Record<string, string | number> = {}) => errors.push(fieldError(path, code, `field.wfm.input.${slug}`, params));
  if (typeof input !== 'object' || input === null) throw new Invalid([fieldError('', 'invalid_type', 'field.wfm.input.expected_object')]);
  const o = input as Record<string, unknown>;
  const intervalMinutes = o.intervalMinutes;
  if (typeof intervalMinutes !== 'number' || !(intervalMinutes > 0)) fail('intervalMinutes', 'invalid', 'interval_positive');
  const cyclic = o.cyclic === undefined ? false : o.cyclic;
  if (typeof cyclic !== 'boolean') fail('cyclic', 'invalid', 'cyclic_boolean');
  const req = o.requirements;
  if (!Array.isArray(req) || req.length === 0) fail('requirements', 'empty', 'requirements_non_empty');
  else
    req.forEach((r, i) => {
      if (typeof r !== 'number' || !Number.isFinite(r) || r < 0) fail(`requirements.${i}`, 'invalid', 'requirement_non_negative');
    });
  const n = Array.isArray(req) ? req.length : 0;
  const tpls = o.shiftTemplates;
  if (!Array.isArray(tpls) || tpls.length === 0) fail('shiftTemplates', 'empty', 'template_required');
  else {
    const names = new Set<string>();
    tpls.forEach((t: unknown, k) => {
      const p = `shiftTemplates.${k}`;
      if (typeof t !== 'object' || t === null) return fail(p, 'invalid_type', 'expected_object');
      const tt = t as Record<string, unknown>;
      if (typeof tt.name !== 'string' || tt.name === '') fail(`${p}.name`, 'invalid', 'name_required');
      else if (names.has(tt.name)) fail(`${p}.name`, 'duplicate', 'duplicate_template', { name: tt.name });
      else names.add(tt.name);
      const len = tt.lengthIntervals;
      if (!isInt(len) || len < 1) fail(`${p}.lengthIntervals`, 'invalid', 'length_intervals');
      else if (n > 0 && len > n) fail(`${p}.lengthIntervals`, 'too_long', 'shift_longer_than_horizon');
      if (typeof tt.cost !== 'number' || !Number.isFinite(tt.cost) || tt.cost < 0) fail(`${p}.cost`, 'invalid', 'cost_non_negative');
      if (tt.starts !== undefined) {
        if (!Array.isArray(tt.starts) || tt.starts.length === 0) fail(`${p}.starts`, 'invalid', 'starts_non_empty');
        else
          tt.starts.forEach((s: unknown, i) => {
            if (!isInt(s) || s < 0 || s >= n) fail(`${p}.starts.${i}`, 'out_of_range', 'start_out_of_range', { max: n - 1 });
            else if (!cyclic && isInt(len) && s + len > n) fail(`${p}.starts.${i}`, 'past_horizon', 'past_horizon');
          });
      }
      if (tt.maxCount !== undefined && (!isInt(tt.maxCount) || tt.maxCount < 0)) fail(`${p}.maxCount`, 'invalid', 'max_count');
      if (tt.breaks !== undefined) {
        if (!Array.isArray(tt.breaks)) fail(`${p}.breaks`, 'invalid', 'breaks_array');
        else
          tt.breaks.forEach((b: unknown, i) => {
            const bp = `${p}.breaks.${i}`;
            const bb = (typeof b === 'object' && b !== null ? b : {}) as Record<string, unknown>;
            const { earliestOffset: e, latestOffset: l, lengthIntervals: bl } = bb;
            if (!isInt(e) || !isInt(l) || !isInt(bl) || e < 1 || l < e || bl < 1 || (isInt(len) && l + bl > len))
              fail(bp, 'invalid', 'break_shape');
          });
      }
    });
  }
  if (errors.length) throw new Invalid(errors);
  return {
    intervalMinutes: intervalMinutes as number,
    cyclic: cyclic as boolean,
    requirements: req as number[],
    shiftTemplates: (tpls as ShiftTemplate[]).map((t) => ({ ...t })),
  };
}

function breakPlacements(breaks: readonly ShiftBreak[]): number[][] {
  // Every ordered, non-overlapping placement of the breaks (offsets from the shift start).
  const out: number[][] = [];
  const rec = (i: number, minStart: number, acc: number[]) => {
    if (out.length > MAX_COLUMNS) return;
    if (i === breaks.length) {
      out.push(acc.slice());
      return;
    }
    const b = breaks[i];
    for (let s = Math.max(b.earliestOffset, minStart); s <= b.latestOffset; s++) {
      acc.push(s);
      rec(i + 1, s + b.lengthIntervals, acc);
      acc.pop();
    }
  };
  rec(0, 0, []);
  return out;
}

/** Enumerates every candidate shift (template × start × break placement). */
export function enumerateShiftColumns(problem: ShiftProblem): ShiftColumn[] {
  const n = problem.requirements.length;
  const cols: ShiftColumn[] = [];
  problem.shiftTemplates.forEach((t, k) => {
    if (t.maxCount === 0) return;
    const starts = t.starts ?? Array.from({ length: problem.cyclic ? n : n - t.lengthIntervals + 1 }, (_, i) => i);
    const placements = t.breaks && t.breaks.length ? breakPlacements(t.breaks) : [[]];
    for (const s of new Set(starts)) {
      for (const pl of placements) {
        const off = new Set<number>();
        pl.forEach((p, i) => {
          for (let q = 0; q < t.breaks![i].lengthIntervals; q++) off.add(p + q);
        });
        const covers: number[] = [];
        for (let o = 0; o < t.lengthIntervals; o++) if (!off.has(o)) covers.push((s + o) % n);
        covers.sort((a, b) => a - b);
        cols.push({ template: k, start: s, breaks: pl.map((p) => (s + p) % n), covers });
        if (cols.length > MAX_COLUMNS) throw new Invalid([fieldError('shiftTemplates', 'too_many_shifts', 'field.wfm.input.too_many_shifts', { max: MAX_COLUMNS })]);
      }
    }
  });
  return cols;
}

/** Greedy cover: repeatedly adds the cheapest shift covering the first under-covered interval. Always feasible when a cover exists. */
function greedyCover(problem: ShiftProblem, cols: readonly ShiftColumn[], byInterval: number[][]): Float64Array {
  const n = problem.requirements.length;
  const x = new Float64Array(cols.length);
  const cov = new Float64Array(n);
  const used = new Float64Array(problem.shiftTemplates.length);
  for (let t = 0; t < n; t++) {
    while (cov[t] < problem.requirements[t] - 1e-9) {
      let best = -1;
      let bestScore = Infinity;
      for (const j of byInterval[t]) {
        const tpl = problem.shiftTemplates[cols[j].template];
        if (tpl.maxCount !== undefined && used[cols[j].template] >= tpl.maxCount) continue;
        let useful = 0;
        for (const c of cols[j].covers) if (cov[c] < problem.requirements[c] - 1e-9) useful++;
        const score = tpl.cost / Math.max(useful, 1e-9);
        if (score < bestScore) {
          bestScore = score;
          best = j;
        }
      }
      if (best < 0) break;
      const k = Math.ceil(problem.requirements[t] - cov[t] - 1e-9);
      const tpl = problem.shiftTemplates[cols[best].template];
      const add = tpl.maxCount === undefined ? k : Math.min(k, tpl.maxCount - used[cols[best].template]);
      x[best] += add;
      used[cols[best].template] += add;
      for (const c of cols[best].covers) cov[c] += add;
    }
  }
  return x;
}

/**
 * Minimum-cost set of shifts covering every interval's requirement (Dantzig 1954), solved with HiGHS.
 * Throws `Invalid` for malformed input or an interval that no shift can cover.
 */
export async function solveShifts(input: ShiftProblem, options: ShiftSolveOptions = {}): Promise<ShiftPlan> {
  const problem = parseShiftProblem(input);
  const n = problem.requirements.length;
  const req = problem.requirements;
  const cols = enumerateShiftColumns(problem);
  const byInterval: number[][] = Array.from({ length: n }, () => []);
  cols.forEach((c, j) => c.covers.forEach((t) => byInterval[t].push(j)));
  const uncoverable: KeyedFieldError[] = [];
  for (let t = 0; t < n; t++) {
    if (req[t] > 0 && byInterval[t].length === 0) uncoverable.push(fieldError(`requirements.${t}`, 'uncoverable', 'field.wfm.input.uncoverable', { interval: t }));
  }
  if (uncoverable.length) throw new Invalid(uncoverable);

  const m = new MipBuilder();
  for (const c of cols) m.addCol(problem.shiftTemplates[c.template].cost, 0, Infinity, true);
  for (let t = 0; t < n; t++) if (req[t] > 0) m.addRow(byInterval[t], 1, req[t], Infinity);
  problem.shiftTemplates.forEach((tpl, k) => {
    if (tpl.maxCount === undefined) return;
    const js = cols.flatMap((c, j) => (c.template === k ? [j] : []));
    if (js.length) m.addRow(js, 1, -Infinity, tpl.maxCount);
  });

  const started = performance.now();
  const timeLimit = options.timeLimitSeconds ?? 30;
  const lp = await m.solve({ relaxation: true, timeLimitSeconds: timeLimit });
  if (lp.status === 'infeasible') {
    throw new Invalid([fieldError('shiftTemplates', 'infeasible', 'field.wfm.input.infeasible')]);
  }
  const start = greedyCover(problem, cols, byInterval);
  const remaining = Math.max(0.1, timeLimit - (performance.now() - started) / 1000);
  const mip = await m.solve({ timeLimitSeconds: remaining, mipRelGap: options.mipRelGap ?? 0, start });
  if (mip.status === 'infeasible') {
    throw new Invalid([fieldError('shiftTemplates', 'infeasible', 'field.wfm.input.infeasible')]);
  }
  let x: Float64Array;
  if (mip.hasSolution) x = mip.x;
  else {
    // No incumbent within the time limit: fall back to the greedy cover if it is complete.
    x = start;
  }
  const counts = Array.from(x, (v) => Math.round(v));
  const coverage = new Array<number>(n).fill(0);
  counts.forEach((k, j) => {
    if (k > 0) for (const t of cols[j].covers) coverage[t] += k;
  });
  for (let t = 0; t < n; t++) {
    if (coverage[t] < req[t] - 1e-9) {
      throw new Invalid([fieldError('requirements', 'no_solution', 'field.wfm.input.no_solution')]);
    }
  }
  let cost = 0;
  let shiftsUsed = 0;
  const assignments: ShiftAssignment[] = [];
  counts.forEach((k, j) => {
    if (k <= 0) return;
    const c = cols[j];
    const tpl = problem.shiftTemplates[c.template];
    cost += k * tpl.cost;
    shiftsUsed += k;
    const a: ShiftAssignment = { start: c.start, template: tpl.name, count: k };
    if (tpl.breaks && tpl.breaks.length) a.breaks = c.breaks;
    assignments.push(a);
  });
  assignments.sort((a, b) => a.start - b.start || a.template.localeCompare(b.template));
  const integralCosts = problem.shiftTemplates.every((t) => Number.isInteger(t.cost));
  let lowerBound = Math.max(lp.dualBound, mip.dualBound);
  if (integralCosts) lowerBound = Math.ceil(lowerBound - 1e-6);
  lowerBound = Math.min(lowerBound, cost);
  const gap = cost > 0 ? (cost - lowerBound) / cost : 0;
  return {
    status: gap <= 1e-6 || (mip.hasSolution && mip.status === 'optimal' && !options.mipRelGap) ? 'optimal' : 'feasible',
    shiftsUsed,
    cost: round9(cost),
    lowerBound: round9(lowerBound),
    lpBound: round9(lp.dualBound),
    gap: round9(gap),
    coverage,
    surplus: coverage.map((c, t) => round9(c - req[t])),
    assignments,
    columns: cols.length,
    solveSeconds: round9((performance.now() - started) / 1000),
  };
}

function round9(v: number): number {
  return Math.round(v * 1e9) / 1e9;
}
