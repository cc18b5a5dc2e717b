// Idempotency keys answer retries of a create for a day, as payment APIs do; after that a key may be
// reused and the table does not grow without bound. Deleted in batches so one run never holds a long
// lock or a huge transaction, whatever the backlog.
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../db/open.ts';

export const IDEMPOTENCY_KEY_RETENTION_HOURS = 24;

export async function expireIdempotencyKeys(
  db: Db,
  now: Date,
  opts: { retentionHours?: number; batchSize?: number } = {},
): Promise<{ deleted: number }> {
  const cutoff = new Date(now.getTime() - (opts.retentionHours ?? IDEMPOTENCY_KEY_RETENTION_HOURS) * 3_600_000);
  const batchSize = opts.batchSize ?? 10_000;
  let deleted = 0;
  for (;;) {
    // Keys of every organization: the job is housekeeping, not a use case acting for one org.
    const [{ n }] = await rows<{ n: number }>(db, sql`
      WITH d AS (
        DELETE FROM idempotency_keys k
        USING (SELECT org_id, key FROM idempotency_keys WHERE created_at < ${cutoff} LIMIT ${batchSize}) old
        WHERE k.org_id = old.org_id AND k.key = old.key
        RETURNING 1)
      SELECT count(*)::int AS n FROM d`);
    deleted += n;
    if (n < batchSize) return { deleted };
  }
}
