// The delivery step of replenishment reminders, kept apart from the job that creates them:
// reminders on a message channel (delivery_status 'pending') are handed, in batches, to a sender
// (the messaging outbox), inside the same transaction that marks them 'queued', so each is handed
// over exactly once even when two workers run. Tasks for owners need no delivery.
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../db/open.ts';
import { sqlMessage } from '../i18n/sql-messages.ts';
import { outboxInsertCtes, sqlUuidV7 } from '../messaging/enqueue-messages.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import './messages.ts';
import type { ReminderChannel } from './tables.ts';

/** Dedupe key prefixes: one outbox message per reminder, one owner notification per task reminder. */
export const replenishmentMessageKeyPrefix = 'replenishment:';
export const replenishmentTaskKeyPrefix = 'replenishment-task:';

export interface ReplenishmentMessage {
  reminderId: string;
  customerId: string;
  channel: Exclude<ReminderChannel, 'task'>;
  productId: string;
  productName: string;
  sku: string;
  dueDate: string;
  /** Suggested template for the messaging domain, with its parameters. */
  template: 'replenishment.reminder';
}

/** Writes the messages (e.g. into the messaging outbox) inside `tx`; returns an optional reference per reminder. */
export type ReplenishmentSender = (messages: ReplenishmentMessage[], tx: Db) => Promise<Map<string, string> | void>;

export async function deliverReplenishmentMessages(ctx: Ctx, send: ReplenishmentSender, opts: { batchSize?: number } = {}): Promise<{ queued: number }> {
  assertCan(ctx.actor, 'replenishment.run');
  const batchSize = opts.batchSize ?? 500;
  let queued = 0;
  for (;;) {
    const n = await ctx.db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      const batch = await rows<{ id: string; customer_id: string; channel: ReplenishmentMessage['channel']; product_id: string; due_date: string; data: Record<string, unknown> | string }>(
        tx,
        sql`SELECT id, customer_id, channel, product_id, due_date::text AS due_date, data FROM replenishment_reminders
          WHERE org_id = ${ctx.actor.orgId} AND delivery_status = 'pending'
          ORDER BY id LIMIT ${batchSize} FOR UPDATE SKIP LOCKED`,
      );
      if (!batch.length) return 0;
      const messages = batch.map((r): ReplenishmentMessage => {
        const data = (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>;
        return {
          reminderId: r.id,
          customerId: r.customer_id,
          channel: r.channel,
          productId: r.product_id,
          productName: String(data.productName ?? ''),
          sku: String(data.sku ?? ''),
          dueDate: r.due_date,
          template: 'replenishment.reminder',
        };
      });
      const refs = (await send(messages, tx)) ?? new Map<string, string>();
      const json = JSON.stringify(batch.map((r) => ({ id: r.id, ref: refs.get(r.id) ?? null })));
      await tx.execute(sql`UPDATE replenishment_reminders r SET delivery_status = 'queued', delivery_ref = x.ref
        FROM json_to_recordset(${json}::json) AS x(id uuid, ref text)
        WHERE r.id = x.id AND r.org_id = ${ctx.actor.orgId}`);
      return batch.length;
    });
    queued += n;
    if (n < batchSize) break;
  }
  if (queued) ctx.log.info({ queued }, 'replenishment messages queued');
  return { queued };
}

/** Reminder channels (orders) to outbox channels (messaging): WeChat reaches customers through WeCom. */
const outboxChannel = sql`(CASE b.channel WHEN 'wechat' THEN 'wecom' ELSE b.channel END)`;

export interface SetBasedDeliveryOptions {
  /** Reminders per transaction. */
  batchSize?: number;
  /** Called inside each batch's transaction after its writes (tests: a crash before the commit). */
  inBatch?: (batchNo: number) => Promise<void>;
  /** Batches written at once (PostgreSQL: one connection each; SKIP LOCKED keeps them apart). */
  parallel?: number;
}

/**
 * The default delivery, set-based: pending reminders are written to the messaging outbox with
 * INSERT … SELECT, a batch per transaction: the outbox rows (consent and contact point checked in
 * SQL, dedupe key per reminder), their audit rows and the reminders marked 'queued' with the message
 * id, all or nothing. The outbox's dispatcher then hands the messages to the channel's adapter (the
 * default adapter keeps them in the outbox; an installed SMS or email adapter sends them), so the
 * channel stays pluggable. A custom `ReplenishmentSender` still goes through
 * deliverReplenishmentMessages above.
 */
export async function queueReplenishmentMessages(ctx: Ctx, opts: SetBasedDeliveryOptions = {}): Promise<{ queued: number }> {
  assertCan(ctx.actor, 'replenishment.run');
  const batchSize = opts.batchSize ?? 20_000;
  const orgId = ctx.actor.orgId;
  const params = { product: sql`b.data ->> 'productName'`, dueDate: sql`b.due_date::text` };
  let queued = 0;
  let batches = 0;
  const worker = async () => {
    for (;;) {
      const batchNo = batches++;
      const n = await ctx.db.transaction(async (txRaw) => {
        const tx = txRaw as unknown as Db;
        const [r] = await rows<{ n: string | number }>(
          tx,
          sql`WITH batch AS MATERIALIZED (
              SELECT r.id, r.customer_id, r.channel, r.due_date, r.data, ${sqlUuidV7} AS message_id
              FROM replenishment_reminders r
              WHERE r.org_id = ${orgId} AND r.delivery_status = 'pending'
              ORDER BY r.id LIMIT ${batchSize} FOR UPDATE SKIP LOCKED
            ), src AS (
              -- Customers are written to in Chinese first; the template key lets an SMS provider use its approved template.
              SELECT b.message_id, ${outboxChannel} AS channel, b.customer_id, NULL::uuid AS user_id,
                ${sqlMessage('zh-CN', 'replenishment.message.subject', {})} AS subject,
                ${sqlMessage('zh-CN', 'replenishment.message.body', params)} AS body,
                'replenishment.reminder'::text AS template_key,
                jsonb_build_object('product', b.data ->> 'productName', 'dueDate', b.due_date::text, 'sku', b.data ->> 'sku', 'reminderId', b.id::text) AS template_params,
                ${replenishmentMessageKeyPrefix} || b.id::text AS dedupe_key
              FROM batch b
            ), ${outboxInsertCtes(ctx, 'src')}, marked AS (
              UPDATE replenishment_reminders r SET delivery_status = 'queued',
                -- The message an earlier writer left under the same key (the statement's snapshot does not
                -- see its own inserts), else the one written now with the id chosen in batch.
                delivery_ref = COALESCE(
                  (SELECT m.id FROM outbox_messages m WHERE m.org_id = ${orgId} AND m.dedupe_key = ${replenishmentMessageKeyPrefix} || b.id::text),
                  b.message_id)::text
              FROM batch b WHERE r.id = b.id AND r.org_id = ${orgId}
              RETURNING r.id
            )
            SELECT COUNT(*) AS n FROM marked`,
        );
        if (opts.inBatch) await opts.inBatch(batchNo);
        return Number(r.n);
      });
      queued += n;
      if (n < batchSize) break;
    }
  };
  // Workers take disjoint batches (SKIP LOCKED); each stops at its first short batch.
  await Promise.all(Array.from({ length: Math.max(1, opts.parallel ?? 1) }, worker));
  if (queued) ctx.log.info({ queued }, 'replenishment messages queued');
  return { queued };
}
