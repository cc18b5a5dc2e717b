// The names a person reads beside ids in service lists and the detail page: the customer's name and
// the assignee's. Two indexed lookups per page (primary keys), not a join on the list query, so the
// work views keep using their partial indexes.
import { sql } from 'drizzle-orm';
import { rows } from '../db/open.ts';
import type { Ctx } from '../platform/context.ts';

export async function displayNames(
  ctx: Ctx,
  customerIds: readonly string[],
  userIds: readonly (string | null)[],
): Promise<{ customer: Map<string, string>; user: Map<string, string> }> {
  const cids = [...new Set(customerIds)];
  const uids = [...new Set(userIds.filter((u): u is string => !!u))];
  const [cs, us] = await Promise.all([
    cids.length
      ? rows<{ id: string; name: string }>(ctx.db, sql`SELECT id, name FROM customers WHERE org_id = ${ctx.actor.orgId} AND id = ANY(${`{${cids.join(',')}}`}::uuid[])`)
      : [],
    uids.length
      ? rows<{ id: string; name: string }>(ctx.db, sql`SELECT id, name FROM users WHERE org_id = ${ctx.actor.orgId} AND id = ANY(${`{${uids.join(',')}}`}::uuid[])`)
      : [],
  ]);
  return { customer: new Map(cs.map((r) => [r.id, r.name])), user: new Map(us.map((r) => [r.id, r.name])) };
}

/** Adds `customerName` and `assigneeName` to items that carry `customerId` and `assigneeUserId`. */
export async function withDisplayNames<T extends { customerId: string; assigneeUserId: string | null }>(
  ctx: Ctx,
  items: T[],
): Promise<(T & { customerName?: string; assigneeName: string | null })[]> {
  if (!items.length) return [];
  const names = await displayNames(ctx, items.map((i) => i.customerId), items.map((i) => i.assigneeUserId));
  return items.map((i) => ({
    ...i,
    customerName: names.customer.get(i.customerId),
    assigneeName: i.assigneeUserId ? (names.user.get(i.assigneeUserId) ?? null) : null,
  }));
}
