import { and, asc, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { assertCan, type Ctx } from '../platform/context.ts';
import { NotFound } from '../platform/errors.ts';
import { isUuid } from '../platform/ids.ts';
import type { serviceOrderEventOutput, ServiceOrderOutput } from './schemas.ts';
import { findServiceOrderInScope, presentServiceOrder, serviceOrderScopeCondition } from './service-order-store.ts';
import { serviceOrderEvents, serviceOrders } from './tables.ts';

/**
 * The order if the actor may see it; another organization's or out-of-territory orders are a 404.
 * The customer's and the assignee's names come in the same query (primary-key subqueries).
 */
export async function getServiceOrder(ctx: Ctx, id: string): Promise<ServiceOrderOutput> {
  assertCan(ctx.actor, 'service.read');
  if (!isUuid(id)) throw new NotFound('service_order');
  const [row] = await ctx.db
    .select({
      o: serviceOrders,
      customerName: sql<string | null>`(SELECT c.name FROM customers c WHERE c.id = ${serviceOrders.customerId} AND c.org_id = ${serviceOrders.orgId})`,
      assigneeName: sql<string | null>`(SELECT u.name FROM users u WHERE u.id = ${serviceOrders.assigneeUserId} AND u.org_id = ${serviceOrders.orgId})`,
    })
    .from(serviceOrders)
    .where(and(serviceOrderScopeCondition(ctx.actor), eq(serviceOrders.id, id)));
  if (!row) throw new NotFound('service_order');
  return { ...presentServiceOrder(row.o), customerName: row.customerName ?? undefined, assigneeName: row.o.assigneeUserId ? row.assigneeName : null };
}

/** The order's own history, oldest first. */
export async function listServiceOrderEvents(ctx: Ctx, id: string): Promise<z.infer<typeof serviceOrderEventOutput>[]> {
  assertCan(ctx.actor, 'service.read');
  const order = await findServiceOrderInScope(ctx, id);
  const found = await ctx.db
    .select()
    .from(serviceOrderEvents)
    .where(and(eq(serviceOrderEvents.orgId, ctx.actor.orgId), eq(serviceOrderEvents.serviceOrderId, order.id)))
    .orderBy(asc(serviceOrderEvents.at), asc(serviceOrderEvents.id))
    .limit(1000);
  return found.map((e) => ({ id: e.id, kind: e.kind, actorId: e.actorId, data: e.data, at: e.at.toISOString() }));
}
