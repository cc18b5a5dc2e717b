// Runs inside the worker thread: one request in, one result (or a serialised error) out.
import { parentPort } from 'node:worker_threads';
import { Invalid } from '../platform/errors.ts';
import { solveRoster } from './model/roster.ts';
import { solveShifts } from './model/shifts.ts';
import { computeForecastRun } from './forecast-run.ts';
import type { WorkerReply, WorkerRequest } from './solver-worker.ts';

const port = parentPort;
if (!port) throw new Error('solver-worker-impl must run in a worker thread');
port.once('message', (req: WorkerRequest) => {
  const run =
    req.kind === 'shifts' ? solveShifts(req.problem, req.options)
    : req.kind === 'roster' ? solveRoster(req.problem, req.options)
    : Promise.resolve().then(() => computeForecastRun(req.input, (progress) => port.postMessage({ ok: 'progress', progress } satisfies WorkerReply)));
  run.then(
    (result) => port.postMessage({ ok: true, result } satisfies WorkerReply),
    (err: unknown) =>
      port.postMessage({
        ok: false,
        error: err instanceof Invalid ? { kind: 'invalid', fields: err.fields, message: err.message } : { kind: 'error', fields: [], message: err instanceof Error ? err.message : String(err) },
      } satisfies WorkerReply),
  );
});
