// 回访 scheduling: when a service order is resolved, a callback task is due after a delay chosen by
// the order's type (service_types row, else the built-in default). Complaints always get one.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/open.ts';
import type { Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { recordEvent, type ServiceOrderRow } from './service-order-store.ts';
import { callbacks, serviceTypes } from './tables.ts';

/** Minutes after resolution, per built-in type; null: no callback unless the organization sets one. */
export const defaultCallbackDelayMinutes: Record<string, number | null> = {
  complaint: 24 * 60,
  repair: 48 * 60,
  installation: 48 * 60,
  maintenance: 72 * 60,
  inquiry: null,
};

export async function callbackDelayFor(db: Db, orgId: string, type: string): Promise<number | null> {
  const [row] = await db.select({ d: serviceTypes.callbackDelayMinutes }).from(serviceTypes).where(and(eq(serviceTypes.orgId, orgId), eq(serviceTypes.key, type)));
  const delay = row ? row.d : (defaultCallbackDelayMinutes[type] ?? null);
  if (delay === null && type === 'complaint') return defaultCallbackDelayMinutes.complaint;
  return delay;
}

/** In the resolve transition's transaction. At most one pending callback per order (unique index). */
export async function scheduleCallback(ctx: Ctx, tx: Db, order: ServiceOrderRow, resolvedAt: Date): Promise<string | null> {
  const delay = await callbackDelayFor(tx, ctx.actor.orgId, order.type);
  if (delay === null) return null;
  const dueAt = new Date(resolvedAt.getTime() + delay * 60_000);
  const id = newId();
  const inserted = await tx
    .insert(callbacks)
    .values({
      id,
      orgId: ctx.actor.orgId,
      serviceOrderId: order.id,
      customerId: order.customerId,
      dueAt,
      assigneeUserId: order.assigneeUserId ?? ctx.actor.userId,
      status: 'pending',
      attempts: 0,
      createdAt: resolvedAt,
      updatedAt: resolvedAt,
    })
    .onConflictDoNothing()
    .returning({ id: callbacks.id });
  if (!inserted.length) return null;
  await recordEvent(ctx, tx, order, 'callback_scheduled', { callbackId: id, dueAt: dueAt.toISOString() }, resolvedAt);
  return id;
}

/** A reopened order needs no callback until it is resolved again. */
export async function cancelPendingCallbacks(ctx: Ctx, tx: Db, serviceOrderId: string, except?: string): Promise<void> {
  await tx
    .update(callbacks)
    .set({ status: 'cancelled', updatedAt: ctx.now(), version: sql`${callbacks.version} + 1` })
    .where(and(
      eq(callbacks.orgId, ctx.actor.orgId),
      eq(callbacks.serviceOrderId, serviceOrderId),
      eq(callbacks.status, 'pending'),
      except ? sql`${callbacks.id} <> ${except}` : sql`true`,
    ));
}
