// Shared types and the typed error of the customer-value models (pure, no I/O).

/** One customer's repeat-purchase summary, time in weeks.
 *  x = repeat transactions in the calibration period, tx = time of the last purchase (from the first),
 *  T = time from the first purchase to the end of calibration. count = customers with exactly this summary
 *  (grouped data; default 1); every log-likelihood weights its row by count. */
export interface RepeatSummary {
  x: number;
  tx: number;
  T: number;
  count?: number;
}

/** x = repeat transactions (> 0), mx = mean spend per repeat transaction. */
export interface SpendSummary {
  x: number;
  mx: number;
  count?: number;
}

export interface ModelFit<P> {
  params: P;
  logLikelihood: number;
  converged: boolean;
  /** Nelder–Mead iterations summed over every start and restart. */
  iterations: number;
  /** Number of starting points tried. */
  starts: number;
}

export type ModelFitErrorCode = 'no_repeat_buyers' | 'no_data' | 'did_not_converge' | 'invalid_input';

/** Thrown by every fit (and by functions given invalid parameters/data) instead of returning NaN. */
export class ModelFitError extends Error {
  readonly code: ModelFitErrorCode;
  constructor(code: ModelFitErrorCode, message: string) {
    super(message);
    this.name = 'ModelFitError';
    this.code = code;
  }
}

export interface FitOptions {
  /** Throw `did_not_converge` when the best run did not meet the tolerances (default true). */
  requireConvergence?: boolean;
  /** Extra starting points (natural parameter space), tried before the defaults. */
  starts?: readonly number[][];
  /** Nelder–Mead iteration cap per run (default 2000 × parameters). */
  maxIterations?: number;
}

/** A model output must be a finite number: anything else (overflow at extreme inputs) becomes a typed error. */
export function finiteOrThrow(v: number, what: string): number {
  if (!Number.isFinite(v)) throw new ModelFitError('invalid_input', `${what}: not representable for these parameters and data`);
  return v;
}
