// Exactly-once effects from at-least-once jobs — the pattern every job handler with an effect follows.
//
// pg-boss runs a job at least once: a handler that throws, times out, or whose process stops mid-run
// (pg-boss fails the unfinished job on shutdown; maintenance fails a job active past its expiry) is
// run again. So the effect, not the job, must be unique:
//
// 1. The effect row carries a unique key and is written with ON CONFLICT DO NOTHING. The outbox does
//    this (`enqueueMessage` with a `dedupeKey`, e.g. `replenishment:${customerId}:${dueDate}`), and so
//    should event tables (`unique (service_order_id, kind, due_at)` for an SLA breach event).
// 2. When the effect has no natural unique row (it updates rows, or writes several tables), wrap it in
//    `onceOnly`: it records the effect key in `job_effects` in the same transaction as the effect.
//    A retry finds the key and skips; a crash before the commit leaves neither, and the retry does both.
//    Two workers racing on one key: the second waits on the key's index entry, then skips.
// 3. Keys name the effect, not the attempt: `${serviceOrderId}:breach:${dueAt}`, never a job id or a
//    clock reading taken inside the handler. Read "now" once from `env.now()` into the job data or key
//    when the key depends on time (the local date of a daily run: `localDate(now, tz)` in model/local-time.ts).
// 4. Work in batches that each commit (a scan over 100k service orders commits every few hundred), so
//    a retry redoes only the unfinished part; each batch's effects are keyed as above.
// 5. Scheduled and fanned-out jobs are sent with a `singletonKey` naming their period
//    (`${orgId}:${localDate}`), so the same run is not queued twice; the effect keys above still
//    guard the effects, because a singleton key expires with the queue's archive window.
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../db/open.ts';
import type { JobName } from './names.ts';

export type OnceResult<T> = { ran: true; value: T } | { ran: false };

/**
 * Runs `effect` in a transaction together with recording (orgId, jobName, effectKey); if that key is
 * already recorded, does nothing and returns `{ ran: false }`.
 */
export async function onceOnly<T>(
  db: Db,
  key: { orgId: string; jobName: JobName; effectKey: string },
  effect: (tx: Db) => Promise<T>,
): Promise<OnceResult<T>> {
  return db.transaction(async (tx) => {
    const claimed = await rows<{ ok: number }>(
      tx,
      sql`INSERT INTO job_effects (org_id, job_name, effect_key) VALUES (${key.orgId}, ${key.jobName}, ${key.effectKey})
          ON CONFLICT DO NOTHING RETURNING 1 AS ok`,
    );
    if (claimed.length === 0) return { ran: false as const };
    return { ran: true as const, value: await effect(tx) };
  });
}

/** True when this effect key was recorded (e.g. to report what a rerun skipped). */
export async function effectDone(db: Db, key: { orgId: string; jobName: JobName; effectKey: string }): Promise<boolean> {
  const found = await rows<{ ok: number }>(
    db,
    sql`SELECT 1 AS ok FROM job_effects WHERE org_id = ${key.orgId} AND job_name = ${key.jobName} AND effect_key = ${key.effectKey}`,
  );
  return found.length > 0;
}

/** Deletes ledger rows older than `before` (their jobs were archived long ago); returns how many. */
export async function pruneJobEffects(db: Db, before: Date): Promise<number> {
  const deleted = await rows<{ n: number }>(db, sql`WITH d AS (DELETE FROM job_effects WHERE done_at < ${before} RETURNING 1) SELECT count(*)::int AS n FROM d`);
  return deleted[0]?.n ?? 0;
}
