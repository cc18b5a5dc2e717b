// The delivery step of replenishment reminders, kept apart from the job that creates them:
// reminders on a message channel (delivery_status 'pending') are handed, in batches, to a sender
// (the messaging outbox), inside the same transaction that marks them 'queued', so each is handed
// over exactly once even when two workers run. Tasks for owners need no delivery.
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../db/open.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import type { ReminderChannel } from './tables.ts';

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
