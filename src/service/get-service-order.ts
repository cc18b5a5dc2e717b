import { and, asc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { assertCan, type Ctx } from '../platform/context.ts';
import type { serviceOrderEventOutput, ServiceOrderOutput } from './schemas.ts';
import { findServiceOrderInScope, presentServiceOrder } from './service-order-store.ts';
import { serviceOrderEvents } from './tables.ts';
import { withDisplayNames } from './display-names.ts';

/** The order if the actor may see it; another organization's or out-of-territory orders are a 404. */
export async function getServiceOrder(ctx: Ctx, id: string): Promise<ServiceOrderOutput> {
  assertCan(ctx.actor, 'service.read');
  const [named] = await withDisplayNames(ctx, [presentServiceOrder(await findServiceOrderInScope(ctx, id))]);
  return named;
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
