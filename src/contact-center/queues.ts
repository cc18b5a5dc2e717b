// Queues (技能队列): create, list, read and update (version-checked, audited).
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/open.ts';
import { audit } from '../platform/audit.ts';
import { assertCan, can, type Ctx } from '../platform/context.ts';
import { Conflict, Forbidden, Invalid, NotFound, isUniqueViolation, type KeyedFieldError, fieldError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import './messages.ts';
import { createQueueInput, updateQueueInput, type CreateQueueInput, type QueueOutput, type UpdateQueueInput } from './schemas.ts';
import { ccQueues, ccSkills } from './tables.ts';

type QueueRow = typeof ccQueues.$inferSelect;

export function presentQueue(r: QueueRow): QueueOutput {
  return {
    id: r.id, key: r.key, name: r.name, kind: r.kind, skillId: r.skillId, targetSeconds: r.targetSeconds, serviceLevelGoal: r.serviceLevelGoal,
    shortAbandonSeconds: r.shortAbandonSeconds, excludeShortAbandons: r.excludeShortAbandons, overflowQueueId: r.overflowQueueId,
    overflowAfterSeconds: r.overflowAfterSeconds, settings: r.settings, active: r.active, version: r.version,
  };
}

/** Reading contact center configuration: supervisors and analysts, and agents (their own desk needs the queue names). */
export function assertCcRead(ctx: Ctx): void {
  if (!can(ctx.actor, 'contact_center.read') && !can(ctx.actor, 'contact_center.read_own')) throw new Forbidden('contact_center.read');
}

async function checkRefs(ctx: Ctx, db: Db, input: { skillId?: string | null; overflowQueueId?: string | null }, selfId?: string): Promise<void> {
  const errors: KeyedFieldError[] = [];
  if (input.skillId) {
    const [s] = await db.select({ id: ccSkills.id }).from(ccSkills).where(and(eq(ccSkills.orgId, ctx.actor.orgId), eq(ccSkills.id, input.skillId)));
    if (!s) errors.push(fieldError('skillId', 'unknown_skill', 'cc.unknown_skill'));
  }
  if (input.overflowQueueId) {
    const [q] = await db.select({ id: ccQueues.id }).from(ccQueues).where(and(eq(ccQueues.orgId, ctx.actor.orgId), eq(ccQueues.id, input.overflowQueueId)));
    if (!q || input.overflowQueueId === selfId) errors.push(fieldError('overflowQueueId', 'unknown_queue', 'cc.unknown_queue'));
  }
  if (errors.length) throw new Invalid(errors);
}

export async function createQueue(ctx: Ctx, raw: CreateQueueInput): Promise<QueueOutput> {
  assertCan(ctx.actor, 'contact_center.manage');
  const input = createQueueInput.parse(raw);
  try {
    return await ctx.db.transaction(async (tx) => {
      await checkRefs(ctx, tx, input);
      const [row] = await tx.insert(ccQueues).values({
        id: newId(), orgId: ctx.actor.orgId, ...input, skillId: input.skillId ?? null, overflowQueueId: input.overflowQueueId ?? null,
        overflowAfterSeconds: input.overflowAfterSeconds ?? null, createdAt: ctx.now(), updatedAt: ctx.now(),
      }).returning();
      await audit(ctx, { action: 'cc_queue.create', entityType: 'cc_queue', entityId: row.id, data: { ...input } }, tx);
      return presentQueue(row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new Conflict('error.cc_queue_exists', { key: input.key });
    throw err;
  }
}

export async function listQueues(ctx: Ctx): Promise<QueueOutput[]> {
  assertCcRead(ctx);
  const found = await ctx.db.select().from(ccQueues).where(eq(ccQueues.orgId, ctx.actor.orgId)).orderBy(asc(ccQueues.key));
  return found.map(presentQueue);
}

export async function getQueue(ctx: Ctx, id: string): Promise<QueueOutput> {
  assertCcRead(ctx);
  const [row] = await ctx.db.select().from(ccQueues).where(and(eq(ccQueues.orgId, ctx.actor.orgId), eq(ccQueues.id, id)));
  if (!row) throw new NotFound('cc_queue');
  return presentQueue(row);
}

/** Queue keys of the organization that exist (for IVR validation). */
export async function existingQueueKeys(db: Db, orgId: string, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const found = await db.select({ key: ccQueues.key }).from(ccQueues).where(and(eq(ccQueues.orgId, orgId), inArray(ccQueues.key, keys)));
  return new Set(found.map((r) => r.key));
}

export async function updateQueue(ctx: Ctx, id: string, raw: UpdateQueueInput): Promise<QueueOutput> {
  assertCan(ctx.actor, 'contact_center.manage');
  const { version, ...changes } = updateQueueInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(ccQueues).where(and(eq(ccQueues.orgId, ctx.actor.orgId), eq(ccQueues.id, id))).for('update');
    if (!before) throw new NotFound('cc_queue');
    if (before.version !== version) throw new Conflict('error.stale_version', {}, presentQueue(before));
    await checkRefs(ctx, tx, changes, id);
    const [row] = await tx.update(ccQueues).set({ ...changes, version: before.version + 1, updatedAt: ctx.now() })
      .where(and(eq(ccQueues.orgId, ctx.actor.orgId), eq(ccQueues.id, id))).returning();
    await audit(ctx, { action: 'cc_queue.update', entityType: 'cc_queue', entityId: id, data: { version: row.version, changes } }, tx);
    return presentQueue(row);
  });
}
