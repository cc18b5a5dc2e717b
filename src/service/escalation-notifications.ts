// The hand-off to messaging: 'notify' escalations recorded by scanSla wait here (notified_at IS NULL,
// partial index) until a job sends them (messaging's notifyUser, wired at merge) and marks them sent.
// System-level helpers for jobs: every organization, oldest first, in batches.
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/open.ts';
import { serviceOrderEscalations, serviceOrders } from './tables.ts';

export interface PendingEscalationNotification {
  escalationId: string;
  orgId: string;
  serviceOrderId: string;
  serviceOrderNumber: string;
  title: string;
  reason: string; // at_risk | breached
  target: string | null; // first_response | resolution
  targetUserId: string | null;
  targetTeamId: string | null;
  createdAt: Date;
}

export async function listPendingEscalationNotifications(db: Db, opts: { limit?: number } = {}): Promise<PendingEscalationNotification[]> {
  return db
    .select({
      escalationId: serviceOrderEscalations.id,
      orgId: serviceOrderEscalations.orgId,
      serviceOrderId: serviceOrderEscalations.serviceOrderId,
      serviceOrderNumber: serviceOrders.number,
      title: serviceOrders.title,
      reason: serviceOrderEscalations.reason,
      target: serviceOrderEscalations.target,
      targetUserId: serviceOrderEscalations.targetUserId,
      targetTeamId: serviceOrderEscalations.targetTeamId,
      createdAt: serviceOrderEscalations.createdAt,
    })
    .from(serviceOrderEscalations)
    .innerJoin(serviceOrders, eq(serviceOrders.id, serviceOrderEscalations.serviceOrderId))
    .where(and(eq(serviceOrderEscalations.action, 'notify'), isNull(serviceOrderEscalations.notifiedAt)))
    .orderBy(asc(serviceOrderEscalations.createdAt))
    .limit(opts.limit ?? 500);
}

/** Marks notifications sent; only those still pending (a second sender marks nothing twice). Returns the ids marked. */
export async function markEscalationsNotified(db: Db, ids: string[], at: Date): Promise<string[]> {
  if (!ids.length) return [];
  const marked = await db
    .update(serviceOrderEscalations)
    .set({ notifiedAt: at })
    .where(and(inArray(serviceOrderEscalations.id, ids), isNull(serviceOrderEscalations.notifiedAt), sql`${serviceOrderEscalations.action} = 'notify'`))
    .returning({ id: serviceOrderEscalations.id });
  return marked.map((m) => m.id);
}
