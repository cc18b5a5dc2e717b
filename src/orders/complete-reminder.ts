import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/open.ts';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Conflict, NotFound } from '../platform/errors.ts';
import { presentReminder, selectReminderInScope, type ReminderOutput } from './list-reminders.ts';
import './messages.ts';

export const completeReminderInput = z.object({
  /** The reminder version you read; 409 with the current reminder when it moved. */
  version: z.number().int().min(1),
  note: z.string().trim().max(2000).optional(),
});

/** Marks a replenishment reminder done (the customer was contacted, or reordered). */
export async function completeReminder(ctx: Ctx, id: string, raw: z.input<typeof completeReminderInput>): Promise<ReminderOutput> {
  assertCan(ctx.actor, 'order.write');
  const input = completeReminderInput.parse(raw);
  return ctx.db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const row = await selectReminderInScope(ctx, id, tx, true);
    if (!row) throw new NotFound('reminder');
    if (row.version !== input.version) throw new Conflict('error.stale_version', {}, presentReminder(row, ctx.actor.locale));
    if (row.status === 'done') return presentReminder(row, ctx.actor.locale);
    const now = ctx.now();
    await tx.execute(sql`UPDATE replenishment_reminders SET status = 'done', done_at = ${now.toISOString()}::timestamptz, done_by = ${ctx.actor.userId},
        version = version + 1 WHERE id = ${id} AND org_id = ${ctx.actor.orgId}`);
    await audit(ctx, { action: 'reminder.done', entityType: 'replenishment_reminder', entityId: id, data: { customerId: row.customer_id, productId: row.product_id, dueDate: row.due_date, note: input.note ?? null } }, tx);
    const after = await selectReminderInScope(ctx, id, tx);
    return presentReminder(after!, ctx.actor.locale);
  });
}
