import { and, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Invalid, fieldError } from '../platform/errors.ts';
import { isUuid } from '../platform/ids.ts';
import { users } from '../platform/tables.ts';
import { decodeCursor, encodeCursor, TIMESTAMP_TEXT } from './cursor.ts';
import { findCustomerInScope } from './get-customer.ts';
import { maskText, mustMask } from './present-customer.ts';
import { listContactsQuery, type contactOutput } from './schemas.ts';
import { contactLogs, type Channel } from './tables.ts';

export type ContactOutput = z.infer<typeof contactOutput>;

export function presentContact(
  row: { id: string; customerId: string; channel: Channel; direction: string; staffId: string | null; staffName: string | null; summary: string; occurredAt: Date },
  masked: boolean,
): ContactOutput {
  return {
    id: row.id,
    customerId: row.customerId,
    channel: row.channel,
    direction: row.direction === 'outbound' ? 'outbound' : 'inbound',
    staffId: row.staffId,
    staffName: row.staffName,
    summary: masked ? maskText(row.summary) : row.summary,
    occurredAt: row.occurredAt.toISOString(),
  };
}

/** A customer's contact log, newest first, keyset-paged on (occurred_at, id). */
export async function listContacts(
  ctx: Ctx,
  customerId: string,
  raw: z.input<typeof listContactsQuery>,
): Promise<{ items: ContactOutput[]; nextCursor: string | null }> {
  assertCan(ctx.actor, 'customer.read');
  const query = listContactsQuery.parse(raw);
  await findCustomerInScope(ctx, customerId);
  const conds = [eq(contactLogs.orgId, ctx.actor.orgId), eq(contactLogs.customerId, customerId)];
  if (query.cursor) {
    const [at, id] = decodeCursor(query.cursor, 2);
    if (!isUuid(id) || !TIMESTAMP_TEXT.test(at)) throw new Invalid([fieldError('cursor', 'bad_cursor', 'field.bad_cursor')], 'error.bad_cursor');
    conds.push(sql`(${contactLogs.occurredAt}, ${contactLogs.id}) < (${at}::timestamptz, ${id}::uuid)`);
  }
  const found = await ctx.db
    .select({ l: contactLogs, staffName: users.name, key: sql<string>`${contactLogs.occurredAt}::text` })
    .from(contactLogs)
    .leftJoin(users, eq(users.id, contactLogs.staffId))
    .where(and(...conds))
    .orderBy(sql`${contactLogs.occurredAt} DESC NULLS LAST`, sql`${contactLogs.id} DESC NULLS LAST`) // as the index, see orderOf in list-customers.ts
    .limit(query.limit + 1);
  const page = found.slice(0, query.limit);
  const masked = mustMask(ctx.actor);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => presentContact({ ...r.l, staffName: r.staffName }, masked)),
    nextCursor: found.length > query.limit && last ? encodeCursor([last.key, last.l.id]) : null,
  };
}
