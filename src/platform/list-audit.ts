import { and, desc, eq, lt } from 'drizzle-orm';
import { z } from 'zod';
import { assertCan, type Ctx } from './context.ts';
import { auditLog, users } from './tables.ts';

export const listAuditInput = z.object({
  entityType: z.string().max(50).optional(),
  entityId: z.string().uuid().optional(),
  actorId: z.string().uuid().optional(),
  action: z.string().max(100).optional(),
  cursor: z.string().uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const auditEntryOutput = z.object({
  id: z.string(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
});

/** The audit log, newest first, for admins. Cursor is the last entry's id (UUIDv7 orders by time). */
export async function listAudit(ctx: Ctx, raw: z.input<typeof listAuditInput>) {
  assertCan(ctx.actor, 'audit.read');
  const input = listAuditInput.parse(raw);
  const conds = [eq(auditLog.orgId, ctx.actor.orgId)];
  if (input.entityType) conds.push(eq(auditLog.entityType, input.entityType));
  if (input.entityId) conds.push(eq(auditLog.entityId, input.entityId));
  if (input.actorId) conds.push(eq(auditLog.actorId, input.actorId));
  if (input.action) conds.push(eq(auditLog.action, input.action));
  if (input.cursor) conds.push(lt(auditLog.id, input.cursor));
  const rows = await ctx.db
    .select({ a: auditLog, actorName: users.name })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(...conds))
    .orderBy(desc(auditLog.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  return {
    items: page.map(({ a, actorName }) => ({
      id: a.id,
      at: a.at.toISOString(),
      actorId: a.actorId,
      actorName,
      action: a.action,
      entityType: a.entityType,
      entityId: a.entityId,
      data: a.data,
      ip: a.ip,
    })),
    nextCursor: rows.length > input.limit ? page[page.length - 1].a.id : null,
  };
}

