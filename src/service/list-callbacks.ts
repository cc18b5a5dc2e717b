// 回访 lists: mine (my pending callbacks), due (pending and due now), overdue (pending and more than the
// organization's grace period past due); without a view every callback. Sorted by due time, keyset paged;
// data scope through the service order (customer managers: their territories).
import { and, asc, eq, lte, sql, type SQL } from 'drizzle-orm';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Invalid, fieldError } from '../platform/errors.ts';
import { isUuid } from '../platform/ids.ts';
import { decodeCursor, encodeCursor, TIMESTAMP_TEXT } from '../customers/cursor.ts';
import { listCallbacksQuery, type CallbackOutput, type ListCallbacksQuery } from './schemas.ts';
import { loadServiceSettings } from './service-settings.ts';
import { serviceOrderScopeCondition } from './service-order-store.ts';
import { callbacks, serviceOrders } from './tables.ts';

export type CallbackRow = typeof callbacks.$inferSelect;

export function presentCallback(c: CallbackRow, number: string): CallbackOutput {
  return {
    id: c.id,
    serviceOrderId: c.serviceOrderId,
    serviceOrderNumber: number,
    customerId: c.customerId,
    dueAt: c.dueAt.toISOString(),
    assigneeUserId: c.assigneeUserId,
    status: c.status,
    outcome: c.outcome,
    note: c.note,
    attempts: c.attempts,
    version: c.version,
    completedAt: c.completedAt ? c.completedAt.toISOString() : null,
  };
}

export async function listCallbacks(ctx: Ctx, raw: ListCallbacksQuery): Promise<{ items: CallbackOutput[]; nextCursor: string | null }> {
  assertCan(ctx.actor, 'service.read');
  const q = listCallbacksQuery.parse(raw);
  const now = ctx.now();
  const conds: SQL[] = [eq(callbacks.orgId, ctx.actor.orgId), serviceOrderScopeCondition(ctx.actor)];
  if (q.view) conds.push(eq(callbacks.status, 'pending'));
  if (q.view === 'mine') conds.push(ctx.actor.userId ? eq(callbacks.assigneeUserId, ctx.actor.userId) : sql`false`);
  if (q.view === 'due') conds.push(lte(callbacks.dueAt, now));
  if (q.view === 'overdue') {
    const { callbackGraceMinutes } = await loadServiceSettings(ctx.db, ctx.actor.orgId);
    conds.push(lte(callbacks.dueAt, new Date(now.getTime() - callbackGraceMinutes * 60_000)));
  }
  if (q.serviceOrderId) conds.push(eq(callbacks.serviceOrderId, q.serviceOrderId));
  if (q.cursor) {
    const [dueAt, id] = decodeCursor(q.cursor, 2);
    if (!TIMESTAMP_TEXT.test(dueAt) || !isUuid(id)) throw new Invalid([fieldError('cursor', 'bad_cursor', 'field.bad_cursor')], 'error.bad_cursor');
    conds.push(sql`(${callbacks.dueAt}, ${callbacks.id}) > (${dueAt}::timestamptz, ${id}::uuid)`);
  }
  const found = await ctx.db
    .select({
      c: callbacks,
      number: serviceOrders.number,
      key: sql<string>`${callbacks.dueAt}::text`,
      // The names beside the ids come with the page, as in the service-order list: one round trip.
      customerName: sql<string | null>`(SELECT cu.name FROM customers cu WHERE cu.id = ${callbacks.customerId} AND cu.org_id = ${callbacks.orgId})`,
      assigneeName: sql<string | null>`(SELECT u.name FROM users u WHERE u.id = ${callbacks.assigneeUserId} AND u.org_id = ${callbacks.orgId})`,
    })
    .from(callbacks)
    .innerJoin(serviceOrders, eq(serviceOrders.id, callbacks.serviceOrderId))
    .where(and(...conds))
    .orderBy(asc(callbacks.dueAt), asc(callbacks.id))
    .limit(q.limit + 1);
  const page = found.slice(0, q.limit);
  const last = found.length > q.limit ? page[page.length - 1] : undefined;
  return {
    items: page.map((r) => ({
      ...presentCallback(r.c, r.number),
      customerName: r.customerName ?? undefined,
      assigneeName: r.c.assigneeUserId ? r.assigneeName : null,
    })),
    nextCursor: last ? encodeCursor([last.key, last.c.id]) : null,
  };
}
