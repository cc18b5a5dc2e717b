// Replenishment reminders (补货提醒) to work through: by default the actor's own open ones, due
// soonest first, in the actor's data scope.
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { rows, type Db } from '../db/open.ts';
import { t } from '../i18n/messages.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Invalid, fieldError } from '../platform/errors.ts';
import { isUuid } from '../platform/ids.ts';
import { customerScopeCondition } from '../customers/scope.ts';
import { decodeCursor, encodeCursor } from '../customers/cursor.ts';
import './messages.ts';
import type { ReminderChannel } from './tables.ts';

export const listRemindersQuery = z.object({
  /** 'me' (default), a user id, or 'all' (everyone's, within the data scope). */
  assignee: z.union([z.enum(['me', 'all']), z.string().uuid()]).default('me'),
  status: z.enum(['open', 'done']).default('open'),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const reminderOutput = z.object({
  id: z.string(),
  title: z.string(),
  customerId: z.string(),
  customerName: z.string(),
  productId: z.string(),
  productName: z.string(),
  sku: z.string(),
  dueDate: z.string(),
  lastPurchaseAt: z.string(),
  basis: z.enum(['median', 'cycle']),
  intervalDays: z.number(),
  assigneeId: z.string().nullable(),
  channel: z.enum(['task', 'sms', 'email', 'wechat']),
  status: z.enum(['open', 'done']),
  deliveryStatus: z.enum(['none', 'pending', 'queued']),
  doneAt: z.string().nullable(),
  version: z.number(),
});
export type ReminderOutput = z.infer<typeof reminderOutput>;
export const reminderPage = z.object({ items: z.array(reminderOutput), nextCursor: z.string().nullable() });

interface ReminderRow {
  id: string;
  customer_id: string;
  customer_name: string;
  product_id: string;
  product_name: string;
  sku: string;
  due_date: string;
  last_purchase_at: Date | string;
  basis: 'median' | 'cycle';
  interval_days: number;
  assignee_id: string | null;
  channel: ReminderChannel;
  status: 'open' | 'done';
  delivery_status: 'none' | 'pending' | 'queued';
  done_at: Date | string | null;
  version: number;
}

const reminderSelect = sql`SELECT r.id, r.customer_id, customers.name AS customer_name, r.product_id, p.name AS product_name, p.sku,
    r.due_date::text AS due_date, r.last_purchase_at, r.basis, r.interval_days, r.assignee_id, r.channel, r.status, r.delivery_status,
    r.done_at, r.version
  FROM replenishment_reminders r JOIN customers ON customers.id = r.customer_id JOIN products p ON p.id = r.product_id`;

export function presentReminder(r: ReminderRow, locale: 'zh-CN' | 'en'): ReminderOutput {
  return {
    id: r.id,
    title: t(locale, 'reminder.task_title', { product: r.product_name }),
    customerId: r.customer_id,
    customerName: r.customer_name,
    productId: r.product_id,
    productName: r.product_name,
    sku: r.sku,
    dueDate: r.due_date,
    lastPurchaseAt: new Date(r.last_purchase_at).toISOString(),
    basis: r.basis,
    intervalDays: r.interval_days,
    assigneeId: r.assignee_id,
    channel: r.channel,
    status: r.status,
    deliveryStatus: r.delivery_status,
    doneAt: r.done_at ? new Date(r.done_at).toISOString() : null,
    version: r.version,
  };
}

/** One reminder in the actor's organization and data scope, or null. */
export async function selectReminderInScope(ctx: Ctx, id: string, db: Db, forUpdate = false): Promise<ReminderRow | null> {
  if (!isUuid(id)) return null;
  const found = await rows<ReminderRow>(
    db,
    sql`${reminderSelect} WHERE r.org_id = ${ctx.actor.orgId} AND ${customerScopeCondition(ctx.actor)} AND r.id = ${id} ${forUpdate ? sql`FOR UPDATE OF r` : sql``}`,
  );
  return found[0] ?? null;
}

export async function listReminders(ctx: Ctx, raw: z.input<typeof listRemindersQuery>): Promise<{ items: ReminderOutput[]; nextCursor: string | null }> {
  assertCan(ctx.actor, 'order.read');
  const q = listRemindersQuery.parse(raw);
  const conds: SQL[] = [sql`r.org_id = ${ctx.actor.orgId}`, customerScopeCondition(ctx.actor), sql`r.status = ${q.status}`];
  if (q.assignee === 'me') conds.push(ctx.actor.userId ? sql`r.assignee_id = ${ctx.actor.userId}` : sql`r.assignee_id IS NULL`);
  else if (q.assignee !== 'all') conds.push(sql`r.assignee_id = ${q.assignee}`);
  if (q.cursor) {
    const [due, id] = decodeCursor(q.cursor, 2);
    if (!isUuid(id) || !/^\d{4}-\d{2}-\d{2}$/.test(due)) throw new Invalid([fieldError('cursor', 'bad_cursor', 'field.bad_cursor')], 'error.bad_cursor');
    conds.push(sql`(r.due_date, r.id) > (${due}::date, ${id}::uuid)`);
  }
  const found = await rows<ReminderRow>(ctx.db, sql`${reminderSelect} WHERE ${sql.join(conds, sql` AND `)} ORDER BY r.due_date, r.id LIMIT ${q.limit + 1}`);
  const page = found.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => presentReminder(r, ctx.actor.locale)),
    nextCursor: found.length > q.limit && last ? encodeCursor([last.due_date, last.id]) : null,
  };
}
