// Which of these dedupe keys the organization's outbox already holds: lets a job that re-reads due work
// every few minutes skip, in one indexed query, what it already notified (enqueueMessage still guards
// each key on its own).
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../db/open.ts';
import type { Ctx } from '../platform/context.ts';

export async function existingDedupeKeys(ctx: Ctx, keys: readonly string[], tx?: Db): Promise<Set<string>> {
  if (!keys.length) return new Set();
  const found = await rows<{ dedupe_key: string }>(
    tx ?? ctx.db,
    sql`SELECT dedupe_key FROM outbox_messages
         WHERE org_id = ${ctx.actor.orgId} AND dedupe_key IN (${sql.join(keys.map((k) => sql`${k}`), sql`, `)})`,
  );
  return new Set(found.map((r) => r.dedupe_key));
}
