// 消息派发: hands pending outbox messages to their channel adapters in batches. Run by the
// `messaging.dispatch` job; safe to run in several processes at once and to rerun after a crash:
// - a batch is claimed in one statement (FOR UPDATE SKIP LOCKED, then a lease in `locked_until`), so
//   two dispatchers never hold the same message;
// - a message is marked only by the dispatcher whose lease is still on it, and only while pending;
// - a dispatcher that dies mid-batch leaves its messages pending with a lease that runs out, after
//   which another dispatcher takes them (the outbox adapter makes that exactly once; a network adapter
//   gets the message id as its idempotency key, see channels.ts).
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { rows, type Db } from '../db/open.ts';
import { silentLogger } from '../platform/context.ts';
import { adapterFor, installedChannelAdapters, type ChannelAdapters, type DeliveryResult, type OutgoingMessage } from './channels.ts';
import type { MessageChannel } from './tables.ts';

export interface DispatchOptions {
  now?: () => Date;
  log?: Logger;
  adapters?: ChannelAdapters;
  batchSize?: number;
  /** Stop after this many batches (the next scheduled run continues). */
  maxBatches?: number;
  /** How long a claimed message is held before another dispatcher may take it. */
  leaseSeconds?: number;
  /** After this many attempts a retryable failure becomes 'failed'. */
  maxAttempts?: number;
}

export interface DispatchResult {
  sent: number;
  failed: number;
  /** Retryable failures left pending for a later run. */
  deferred: number;
}

interface ClaimedRow {
  id: string;
  org_id: string;
  channel: MessageChannel;
  recipient: string;
  subject: string | null;
  body: string;
  template_key: string | null;
  template_params: Record<string, string | number | boolean | null> | string;
  attempts: number;
  locked_until: Date | string;
}

async function claim(db: Db, now: Date, batchSize: number, leaseSeconds: number): Promise<ClaimedRow[]> {
  return rows<ClaimedRow>(
    db,
    sql`WITH picked AS (
          SELECT id FROM outbox_messages
          WHERE status = 'pending' AND (locked_until IS NULL OR locked_until <= ${now})
          ORDER BY id
          LIMIT ${batchSize}
          FOR UPDATE SKIP LOCKED
        )
        UPDATE outbox_messages m
        SET locked_until = ${now}::timestamptz + make_interval(secs => ${leaseSeconds}), attempts = m.attempts + 1
        FROM picked WHERE m.id = picked.id
        RETURNING m.id, m.org_id, m.channel, m.recipient, m.subject, m.body, m.template_key, m.template_params, m.attempts, m.locked_until`,
  );
}

async function record(db: Db, row: ClaimedRow, result: DeliveryResult, now: Date, maxAttempts: number): Promise<'sent' | 'failed' | 'deferred' | 'lost'> {
  // Fenced by the lease: if it ran out and another dispatcher took the message, this one marks nothing.
  const mine = sql`id = ${row.id} AND status = 'pending' AND locked_until = ${row.locked_until}::timestamptz`;
  if (result.ok) {
    const done = await rows(db, sql`UPDATE outbox_messages SET status = 'sent', sent_at = ${now}, external_id = ${result.externalId ?? null}, locked_until = NULL, reason = NULL
      WHERE ${mine} RETURNING id`);
    return done.length ? 'sent' : 'lost';
  }
  if (result.retryable && row.attempts < maxAttempts) {
    // Back off: 1, 2, 4 … minutes, capped at an hour.
    const delay = Math.min(3600, 60 * 2 ** (row.attempts - 1));
    const done = await rows(db, sql`UPDATE outbox_messages SET locked_until = ${now}::timestamptz + make_interval(secs => ${delay}), reason = ${result.error}
      WHERE ${mine} RETURNING id`);
    return done.length ? 'deferred' : 'lost';
  }
  const done = await rows(db, sql`UPDATE outbox_messages SET status = 'failed', reason = ${result.error}, locked_until = NULL WHERE ${mine} RETURNING id`);
  return done.length ? 'failed' : 'lost';
}

export async function dispatchMessages(db: Db, opts: DispatchOptions = {}): Promise<DispatchResult> {
  const now = opts.now ?? (() => new Date());
  const log = opts.log ?? silentLogger;
  const adapters = opts.adapters ?? installedChannelAdapters();
  const batchSize = opts.batchSize ?? 200;
  const maxBatches = opts.maxBatches ?? 50;
  const leaseSeconds = opts.leaseSeconds ?? 300;
  const maxAttempts = opts.maxAttempts ?? 5;
  const result: DispatchResult = { sent: 0, failed: 0, deferred: 0 };
  for (let batch = 0; batch < maxBatches; batch++) {
    const claimed = await claim(db, now(), batchSize, leaseSeconds);
    if (claimed.length === 0) break;
    for (const row of claimed) {
      const message: OutgoingMessage = {
        id: row.id,
        orgId: row.org_id,
        channel: row.channel,
        recipient: row.recipient,
        subject: row.subject,
        body: row.body,
        templateKey: row.template_key,
        templateParams: typeof row.template_params === 'string' ? JSON.parse(row.template_params) : row.template_params,
        attempt: row.attempts,
      };
      const adapter = adapterFor(row.channel, adapters);
      let delivery: DeliveryResult;
      try {
        delivery = await adapter.deliver(message);
      } catch (err) {
        delivery = { ok: false, error: err instanceof Error ? err.message : String(err), retryable: true };
      }
      const outcome = await record(db, row, delivery, now(), maxAttempts);
      if (outcome === 'lost') log.warn({ messageId: row.id, adapter: adapter.name }, 'messaging: lease lost before marking');
      else result[outcome]++;
      if (!delivery.ok) log.warn({ messageId: row.id, adapter: adapter.name, error: delivery.error }, 'messaging: delivery failed');
    }
    if (claimed.length < batchSize) break;
  }
  return result;
}
