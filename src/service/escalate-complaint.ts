// 投诉升级: a high or critical complaint goes to the complaint specialists' team (named by the
// organization's service settings), once per order, recorded like every other escalation.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/open.ts';
import type { Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { loadServiceSettings } from './service-settings.ts';
import { recordEvent, type ServiceOrderRow } from './service-order-store.ts';
import { serviceOrderEscalations, serviceOrders } from './tables.ts';

/** The fixed rule id of the built-in complaint escalation in service_order_escalations. */
export const COMPLAINT_ESCALATION_RULE_ID = '00000000-0000-7000-8000-00000000c001';

export function mustEscalateComplaint(r: Pick<ServiceOrderRow, 'type' | 'severity'>): boolean {
  return r.type === 'complaint' && (r.severity === 'high' || r.severity === 'critical');
}

/**
 * Escalates the order when it is a high-severity complaint and was not escalated before: assigns it
 * to the complaints team (the person assignee is cleared so a specialist picks it up). Without a
 * configured team the escalation is still recorded (target null) and logged, so it is not lost.
 * Returns the order as it is afterwards.
 */
export async function escalateComplaintIfNeeded(ctx: Ctx, tx: Db, row: ServiceOrderRow): Promise<ServiceOrderRow> {
  if (!mustEscalateComplaint(row)) return row;
  const settings = await loadServiceSettings(tx, ctx.actor.orgId);
  const teamId = settings.complaintTeamId;
  const now = ctx.now();
  const inserted = await tx
    .insert(serviceOrderEscalations)
    .values({
      id: newId(),
      orgId: ctx.actor.orgId,
      serviceOrderId: row.id,
      ruleId: COMPLAINT_ESCALATION_RULE_ID,
      level: 1,
      reason: 'complaint_severity',
      action: 'reassign_team',
      targetTeamId: teamId,
      appliedAt: teamId ? now : null,
      createdAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: serviceOrderEscalations.id });
  if (!inserted.length) return row;
  if (!teamId) ctx.log.warn({ serviceOrderId: row.id }, 'high-severity complaint: no complaint team configured in service settings');
  await recordEvent(ctx, tx, row, 'escalated', { reason: 'complaint_severity', severity: row.severity, action: 'reassign_team', targetTeamId: teamId });
  if (!teamId || row.assigneeTeamId === teamId) return row;
  const [updated] = await tx
    .update(serviceOrders)
    .set({
      assigneeTeamId: teamId,
      assigneeUserId: null,
      status: row.status === 'new' ? 'assigned' : row.status,
      version: sql`${serviceOrders.version} + 1`,
      updatedAt: now,
    })
    .where(and(eq(serviceOrders.id, row.id), eq(serviceOrders.orgId, ctx.actor.orgId)))
    .returning();
  await recordEvent(ctx, tx, updated, 'assigned', { assigneeTeamId: teamId, assigneeUserId: null, reason: 'complaint_severity' });
  return updated;
}
