// Planner runs (forecasts, shift plans, rosters) as background jobs. POST writes the run 'queued' and, in the
// same transaction, sends its job (`wfm.forecast`, `wfm.shift_plan`, `wfm.roster`, see src/jobs/names.ts), so
// the run exists exactly when its job does; the handler (jobs.ts) claims the row, computes and stores the result
// or the failure. A process without a job runner (CLI, tests) runs it in-process instead.
//
// Failures: an `Invalid` (input that can never succeed) fails the run at once with its reason; any other error
// fails the attempt, and pg-boss retries it (a crash or a restart mid-run likewise: the next attempt finds the
// row 'running' and resumes it from the start, the run being a recomputation); after the last retry the run is
// failed with the error. Runs left 'running' whose job will never run again are failed at start-up
// (recover.ts).
import type { Logger } from 'pino';
import type { Db } from '../db/open.ts';
import { makeCtx, systemActor, type Ctx } from '../platform/context.ts';
import { Invalid, localizeField } from '../platform/errors.ts';
import type { Locale } from '../i18n/messages.ts';

export type WfmRunJob = 'wfm.forecast' | 'wfm.shift_plan' | 'wfm.roster';
export type WfmRunJobData = { orgId: string; id: string; locale: 'zh-CN' | 'en'; timeLimitSeconds?: number };
/** A run acts for the organization as the system, speaking the requester's language. */
export type RunCtx = Ctx;

export function runCtx(env: { db: Db; log: Logger; now: () => Date }, data: WfmRunJobData): RunCtx {
  return makeCtx(env.db, { ...systemActor(data.orgId), locale: data.locale }, { now: env.now, log: env.log });
}

export interface RunSteps {
  run(rc: RunCtx, data: WfmRunJobData): Promise<void>;
  fail(rc: RunCtx, id: string, message: string): Promise<void>;
}

/** The reason a run failed, stored on it: in the language of whoever started it (no request is there to ask). */
export function failureMessage(err: unknown, locale: Locale): string {
  if (err instanceof Invalid) return err.fields.map((f) => localizeField(f, locale).message).join('; ') || err.message;
  return err instanceof Error ? err.message : String(err);
}

/** One attempt. `final`: no retry follows, so any error fails the run. */
export async function executeRun(rc: RunCtx, steps: RunSteps, data: WfmRunJobData, final: boolean): Promise<void> {
  try {
    await steps.run(rc, data);
  } catch (err) {
    if (err instanceof Invalid || final) {
      rc.log.warn({ err, runId: data.id }, 'wfm: run failed');
      await steps.fail(rc, data.id, failureMessage(err, rc.actor.locale));
      return;
    }
    throw err;
  }
}

/**
 * Inserts the run row (by `insert`, given the job id or null) and starts it: as a job when the request's ctx has
 * a queue, else in-process. `done` settles when an in-process run ends (at once for a job).
 */
export async function startRun<R>(
  ctx: Ctx,
  name: WfmRunJob,
  id: string,
  insert: (tx: Db, jobId: string | null) => Promise<R>,
  steps: RunSteps,
  extra: { timeLimitSeconds?: number } = {},
): Promise<{ row: R; done: Promise<void> }> {
  const data: WfmRunJobData = { orgId: ctx.actor.orgId, id, locale: ctx.actor.locale, ...extra };
  const jobs = ctx.jobs;
  const row = await ctx.db.transaction(async (tx) => {
    const jobId = jobs ? await jobs.send(name, data, { tx, singletonKey: id }) : null;
    return insert(tx, jobId);
  });
  if (jobs) return { row, done: Promise.resolve() };
  const rc = runCtx({ db: ctx.db, log: ctx.log, now: ctx.now }, data);
  const done = executeRun(rc, steps, data, true).catch((err: unknown) => ctx.log.error({ err, runId: id }, 'wfm: in-process run failed to store its failure'));
  return { row, done };
}
