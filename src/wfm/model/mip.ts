// A thin, typed wrapper around HiGHS (https://highs.dev, Huangfu & Hall 2018, "Parallelizing the dual
// revised simplex method", Math. Prog. Comp. 10:119–142; MIP solver by Galabova & Hall) compiled to
// WebAssembly (`highs` npm package). The runtime is loaded once per process and cached.
//
// Models are built row by row (CSR) with `MipBuilder` and passed to HiGHS as sparse arrays through
// the persistent API, which also exposes the MIP dual bound and gap.
import type { Highs, VariableType } from 'highs';

let highsPromise: Promise<Highs> | undefined;

/** Loads the HiGHS WebAssembly runtime once per process. */
export function loadHighs(): Promise<Highs> {
  if (!highsPromise) {
    highsPromise = import('highs').then((mod) => mod.default());
  }
  return highsPromise;
}

export type MipStatus = 'optimal' | 'time_limit' | 'infeasible' | 'unbounded' | 'error' | 'other';

export interface MipSolveOptions {
  /** Wall-clock limit in seconds for this solve. */
  timeLimitSeconds?: number;
  /** Relative MIP gap at which HiGHS stops (HiGHS default 1e-4). */
  mipRelGap?: number;
  /** Solve the LP relaxation only (integrality dropped). */
  relaxation?: boolean;
  /** A feasible (or nearly feasible) starting point, one value per column. */
  start?: Float64Array;
}

export interface MipResult {
  status: MipStatus;
  /** True when `x` holds a primal feasible solution. */
  hasSolution: boolean;
  objective: number;
  /** Best proven lower bound (minimisation): the MIP dual bound, or the LP optimum for a relaxation. */
  dualBound: number;
  x: Float64Array;
  seconds: number;
}

/** Row-wise builder of a minimisation MIP: columns with bounds/cost/integrality, rows lo ≤ a·x ≤ hi. */
export class MipBuilder {
  readonly cost: number[] = [];
  readonly lower: number[] = [];
  readonly upper: number[] = [];
  readonly integer: boolean[] = [];
  private readonly rowStarts: number[] = [0];
  private readonly rowIndex: number[] = [];
  private readonly rowValue: number[] = [];
  readonly rowLower: number[] = [];
  readonly rowUpper: number[] = [];

  get numCols(): number {
    return this.cost.length;
  }

  get numRows(): number {
    return this.rowLower.length;
  }

  addCol(cost: number, lower: number, upper: number, integer: boolean): number {
    this.cost.push(cost);
    this.lower.push(lower);
    this.upper.push(upper);
    this.integer.push(integer);
    return this.cost.length - 1;
  }

  /** Adds lo ≤ Σ values[k]·x[cols[k]] ≤ hi; columns must be distinct. Use ±Infinity for a free side. */
  addRow(cols: readonly number[], values: readonly number[] | number, lo: number, hi: number): number {
    for (let k = 0; k < cols.length; k++) {
      this.rowIndex.push(cols[k]);
      this.rowValue.push(typeof values === 'number' ? values : values[k]);
    }
    this.rowStarts.push(this.rowIndex.length);
    this.rowLower.push(lo);
    this.rowUpper.push(hi);
    return this.rowLower.length - 1;
  }

  async solve(options: MipSolveOptions = {}): Promise<MipResult> {
    const highs = await loadHighs();
    const inf = highs.infinity;
    const clamp = (v: number) => (v === Infinity ? inf : v === -Infinity ? -inf : v);
    const n = this.numCols;
    const integrality = new Int32Array(n);
    if (!options.relaxation) {
      for (let j = 0; j < n; j++) integrality[j] = this.integer[j] ? 1 : 0;
    }
    const model = highs.createModel({
      numCols: n,
      numRows: this.numRows,
      colCost: Float64Array.from(this.cost),
      colLower: Float64Array.from(this.lower, clamp),
      colUpper: Float64Array.from(this.upper, clamp),
      rowLower: Float64Array.from(this.rowLower, clamp),
      rowUpper: Float64Array.from(this.rowUpper, clamp),
      matrix: {
        format: 'csr',
        numRows: this.numRows,
        numCols: n,
        starts: Int32Array.from(this.rowStarts),
        indices: Int32Array.from(this.rowIndex),
        values: Float64Array.from(this.rowValue),
      },
      integrality: Array.from(integrality) as VariableType[],
    });
    const started = performance.now();
    try {
      model.options.set({ output_flag: false });
      if (options.timeLimitSeconds !== undefined) model.options.set('time_limit', Math.max(0.05, options.timeLimitSeconds));
      if (options.mipRelGap !== undefined && !options.relaxation) model.options.set('mip_rel_gap', options.mipRelGap);
      if (options.start && !options.relaxation) model.setSolution({ colValue: options.start });
      const run = model.run();
      const codes = highs.constants.modelStatus;
      const status: MipStatus =
        run.modelStatus === codes.optimal
          ? 'optimal'
          : run.modelStatus === codes.timeLimit
            ? 'time_limit'
            : run.modelStatus === codes.infeasible
              ? 'infeasible'
              : run.modelStatus === codes.unbounded || run.modelStatus === codes.unboundedOrInfeasible
                ? 'unbounded'
                : run.modelStatus >= codes.loadError && run.modelStatus <= codes.postsolveError
                  ? 'error'
                  : 'other';
      const primalStatus = Number(model.info.get('primal_solution_status'));
      const hasSolution = primalStatus === 2; // kSolutionStatusFeasible
      const x = hasSolution ? model.getSolution().colValue : new Float64Array(n);
      const objective = hasSolution ? model.getObjectiveValue() : Infinity;
      let dualBound = -Infinity;
      if (options.relaxation || !this.integer.some(Boolean)) {
        if (status === 'optimal') dualBound = objective;
      } else {
        const b = Number(model.info.get('mip_dual_bound'));
        if (Number.isFinite(b)) dualBound = b;
      }
      return { status, hasSolution, objective, dualBound, x, seconds: (performance.now() - started) / 1000 };
    } finally {
      model.dispose();
    }
  }
}
