// HiGHS solves (and forecast runs) block the thread they run on (a week of 15-minute shifts takes ~10 s, a 4-week roster up to the
// time limit). Servers and jobs should call these instead of the model functions directly: each call runs in its
// own worker thread (HiGHS loaded there), so the event loop stays free. `Invalid` errors come back as `Invalid`.
import { Worker } from 'node:worker_threads';
import { Invalid, type KeyedFieldError } from '../platform/errors.ts';
import type { RosterProblem, RosterResult, RosterSolveOptions } from './model/roster.ts';
import type { ShiftPlan, ShiftProblem, ShiftSolveOptions } from './model/shifts.ts';
import type { ForecastRunInput, ForecastRunResult } from './forecast-run.ts';

export type WorkerRequest =
  | { kind: 'shifts'; problem: ShiftProblem; options?: ShiftSolveOptions }
  | { kind: 'roster'; problem: RosterProblem; options?: RosterSolveOptions }
  | { kind: 'forecast'; input: ForecastRunInput };

export type WorkerReply =
  | { ok: true; result: ShiftPlan | RosterResult | ForecastRunResult }
  | { ok: 'progress'; progress: number }
  | { ok: false; error: { kind: 'invalid' | 'error'; fields: KeyedFieldError[]; message: string } };

function runInWorker(req: WorkerRequest, onProgress: (p: number) => void = () => {}): Promise<ShiftPlan | RosterResult | ForecastRunResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./solver-worker-entry.mjs', import.meta.url));
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (reply: WorkerReply) => {
      if (reply.ok === 'progress') return onProgress(reply.progress);
      finish(() => {
        if (reply.ok) resolve(reply.result);
        else reject(reply.error.kind === 'invalid' ? new Invalid(reply.error.fields) : new Error(reply.error.message));
      });
    });
    worker.once('error', (err) => finish(() => reject(err)));
    worker.once('exit', (code) => finish(() => reject(new Error(`solver worker exited with code ${code}`))));
    worker.postMessage(req);
  });
}

/** `solveShifts` in a worker thread. */
export function solveShiftsInWorker(problem: ShiftProblem, options?: ShiftSolveOptions): Promise<ShiftPlan> {
  return runInWorker({ kind: 'shifts', problem, options }) as Promise<ShiftPlan>;
}

/** `solveRoster` in a worker thread. */
export function solveRosterInWorker(problem: RosterProblem, options?: RosterSolveOptions): Promise<RosterResult> {
  return runInWorker({ kind: 'roster', problem, options }) as Promise<RosterResult>;
}

/** `computeForecastRun` in a worker thread; `onProgress` hears its stages. */
export function computeForecastInWorker(input: ForecastRunInput, onProgress?: (p: number) => void): Promise<ForecastRunResult> {
  return runInWorker({ kind: 'forecast', input }, onProgress) as Promise<ForecastRunResult>;
}
