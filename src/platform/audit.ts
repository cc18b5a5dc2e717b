import { auditLog } from './tables.ts';
import { newId } from './ids.ts';
import type { Ctx } from './context.ts';
import type { Db } from '../db/open.ts';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  data?: Record<string, unknown>;
}

/** Append to the audit log inside the caller's transaction (pass the tx as db). */
export async function audit(ctx: Ctx, entry: AuditEntry, db: Db = ctx.db): Promise<void> {
  await db.insert(auditLog).values(auditRow(ctx, entry));
}

/** The row audit() appends (for a caller that writes it inside a statement of its own). */
export function auditRow(ctx: Ctx, entry: AuditEntry): typeof auditLog.$inferInsert {
  return {
    id: newId(),
    orgId: ctx.actor.orgId,
    actorId: ctx.actor.userId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId ?? null,
    data: entry.data ?? {},
    ip: ctx.actor.ip ?? null,
    at: ctx.now(),
  };
}
