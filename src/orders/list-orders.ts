// Order list: one SQL query in the actor's data scope, newest first, keyset paging on
// (ordered_at, id) served by the (org, customer|owner, ordered_at desc, id desc) indexes.
import { sql, type SQL } from 'drizzle-orm';
import { rows } from '../db/open.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Invalid, fieldError } from '../platform/errors.ts';
import { isUuid } from '../platform/ids.ts';
import { decodeCursor, encodeCursor, TIMESTAMP_TEXT } from '../customers/cursor.ts';
import { lateSql, orderFrom, orderScopeConditions, orderSelectList, presentOrderRow, type OrderRow } from './order-rows.ts';
import { listOrdersQuery, type ListOrdersQuery, type OrderListItem } from './schemas.ts';

export async function listOrders(ctx: Ctx, raw: ListOrdersQuery): Promise<{ items: OrderListItem[]; nextCursor: string | null }> {
  assertCan(ctx.actor, 'order.read');
  const q = listOrdersQuery.parse(raw);
  const now = ctx.now();
  const conds: SQL[] = orderScopeConditions(ctx);
  if (q.customerId) conds.push(sql`o.customer_id = ${q.customerId}`);
  if (q.ownerId) conds.push(sql`o.owner_id = ${q.ownerId}`);
  if (q.stage) conds.push(sql`o.stage = ${q.stage}`);
  if (q.late !== undefined) conds.push(q.late ? lateSql(now) : sql`NOT ${lateSql(now)}`);
  if (q.cursor) {
    const [key, id] = decodeCursor(q.cursor, 2);
    if (!isUuid(id) || !TIMESTAMP_TEXT.test(key)) throw new Invalid([fieldError('cursor', 'bad_cursor', 'field.bad_cursor')], 'error.bad_cursor');
    conds.push(sql`(o.ordered_at, o.id) < (${key}::timestamptz, ${id}::uuid)`);
  }
  const found = await rows<OrderRow>(
    ctx.db,
    sql`SELECT ${orderSelectList(now)} FROM ${orderFrom} WHERE ${sql.join(conds, sql` AND `)}
      ORDER BY o.ordered_at DESC NULLS LAST, o.id DESC NULLS LAST LIMIT ${q.limit + 1}`,
  );
  const page = found.slice(0, q.limit);
  const last = page[page.length - 1];
  return { items: page.map(presentOrderRow), nextCursor: found.length > q.limit && last ? encodeCursor([last.ordered_key, last.id]) : null };
}
