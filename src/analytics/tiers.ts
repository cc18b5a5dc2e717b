// Service tiers (服务等级): attached to a segment; say how its customers are served (SLA policy,
// call routing priority, dedicated manager or team, survey frequency cap). A customer in several
// segments with tiers gets the tier of the highest-priority segment (ties: older segment id first).
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { rows, type Db } from '../db/open.ts';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Conflict, Invalid, isUniqueViolation, NotFound, fieldError } from '../platform/errors.ts';
import { isUuid, newId } from '../platform/ids.ts';
import { serviceTiers } from './tables.ts';

const uuid = z.string().uuid();
export const tierInput = z.object({
  segmentId: uuid,
  name: z.string().trim().min(1).max(100),
  /** Matched against an SLA policy's `tier` when no explicit `slaPolicyId` is given. */
  code: z.string().trim().min(1).max(30).regex(/^[A-Za-z0-9_-]+$/),
  slaPolicyId: uuid.nullable().default(null),
  routingPriority: z.number().int().min(0).max(1000).default(0),
  managerUserId: uuid.nullable().default(null),
  teamId: uuid.nullable().default(null),
  surveyCapDays: z.number().int().min(1).max(3650).nullable().default(null),
});
export const updateTierInput = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  code: z.string().trim().min(1).max(30).regex(/^[A-Za-z0-9_-]+$/).optional(),
  slaPolicyId: uuid.nullable().optional(),
  routingPriority: z.number().int().min(0).max(1000).optional(),
  managerUserId: uuid.nullable().optional(),
  teamId: uuid.nullable().optional(),
  surveyCapDays: z.number().int().min(1).max(3650).nullable().optional(),
  version: z.number().int().min(1),
});
export const tierOutput = z.object({
  id: z.string(),
  segmentId: z.string(),
  name: z.string(),
  code: z.string(),
  slaPolicyId: z.string().nullable(),
  routingPriority: z.number(),
  managerUserId: z.string().nullable(),
  teamId: z.string().nullable(),
  surveyCapDays: z.number().nullable(),
  version: z.number(),
});
export type TierOutput = z.output<typeof tierOutput>;
type TierRow = typeof serviceTiers.$inferSelect;

function present(r: TierRow): TierOutput {
  return {
    id: r.id, segmentId: r.segmentId, name: r.name, code: r.code, slaPolicyId: r.slaPolicyId, routingPriority: r.routingPriority,
    managerUserId: r.managerUserId, teamId: r.teamId, surveyCapDays: r.surveyCapDays, version: r.version,
  };
}

/** The referenced rows must belong to the organization (400 with the failing field otherwise). */
async function checkRefs(db: Db, orgId: string, t: { segmentId?: string; slaPolicyId?: string | null; managerUserId?: string | null; teamId?: string | null }): Promise<void> {
  const [r] = await rows<{ seg: boolean; sla: boolean; mgr: boolean; team: boolean }>(db, sql`SELECT
    (${t.segmentId ?? null}::uuid IS NULL OR EXISTS (SELECT 1 FROM segments WHERE org_id = ${orgId}::uuid AND id = ${t.segmentId ?? null}::uuid)) AS seg,
    (${t.slaPolicyId ?? null}::uuid IS NULL OR EXISTS (SELECT 1 FROM sla_policies WHERE org_id = ${orgId}::uuid AND id = ${t.slaPolicyId ?? null}::uuid)) AS sla,
    (${t.managerUserId ?? null}::uuid IS NULL OR EXISTS (SELECT 1 FROM users WHERE org_id = ${orgId}::uuid AND id = ${t.managerUserId ?? null}::uuid)) AS mgr,
    (${t.teamId ?? null}::uuid IS NULL OR EXISTS (SELECT 1 FROM teams WHERE org_id = ${orgId}::uuid AND id = ${t.teamId ?? null}::uuid)) AS team`);
  const errors = [
    ...(r?.seg ? [] : [fieldError('segmentId', 'not_found', 'field.analytics.unknown_segment')]),
    ...(r?.sla ? [] : [fieldError('slaPolicyId', 'not_found', 'field.unknown_sla_policy')]),
    ...(r?.mgr ? [] : [fieldError('managerUserId', 'not_found', 'field.analytics.unknown_user')]),
    ...(r?.team ? [] : [fieldError('teamId', 'not_found', 'field.analytics.unknown_team')]),
  ];
  if (errors.length) throw new Invalid(errors);
}

export async function listTiers(ctx: Ctx): Promise<TierOutput[]> {
  assertCan(ctx.actor, 'analytics.read');
  const found = await ctx.db.select().from(serviceTiers).where(eq(serviceTiers.orgId, ctx.actor.orgId)).orderBy(asc(serviceTiers.name));
  return found.map(present);
}

export async function createTier(ctx: Ctx, raw: z.input<typeof tierInput>): Promise<TierOutput> {
  assertCan(ctx.actor, 'analytics.manage');
  const input = tierInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    await checkRefs(tx, ctx.actor.orgId, input);
    const now = ctx.now();
    try {
      const [row] = await tx.insert(serviceTiers).values({ id: newId(), orgId: ctx.actor.orgId, ...input, createdAt: now, updatedAt: now }).returning();
      await audit(ctx, { action: 'service_tier.create', entityType: 'service_tier', entityId: row!.id, data: { ...input } }, tx);
      return present(row!);
    } catch (err) {
      if (isUniqueViolation(err)) throw new Conflict('error.tier_exists', { code: input.code });
      throw err;
    }
  });
}

async function findTier(db: Db, orgId: string, id: string): Promise<TierRow> {
  if (!isUuid(id)) throw new NotFound('service_tier');
  const [row] = await db.select().from(serviceTiers).where(and(eq(serviceTiers.orgId, orgId), eq(serviceTiers.id, id)));
  if (!row) throw new NotFound('service_tier');
  return row;
}

export async function updateTier(ctx: Ctx, id: string, raw: z.input<typeof updateTierInput>): Promise<TierOutput> {
  assertCan(ctx.actor, 'analytics.manage');
  const input = updateTierInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const current = await findTier(tx, ctx.actor.orgId, id);
    if (current.version !== input.version) throw new Conflict('error.stale_version', {}, present(current));
    const { version, ...changes } = input;
    await checkRefs(tx, ctx.actor.orgId, changes);
    try {
      const [row] = await tx.update(serviceTiers).set({ ...changes, version: version + 1, updatedAt: ctx.now() })
        .where(and(eq(serviceTiers.orgId, ctx.actor.orgId), eq(serviceTiers.id, id), eq(serviceTiers.version, version))).returning();
      if (!row) throw new Conflict('error.stale_version');
      await audit(ctx, { action: 'service_tier.update', entityType: 'service_tier', entityId: id, data: { ...changes } }, tx);
      return present(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw new Conflict('error.tier_exists', { code: input.code ?? '' });
      throw err;
    }
  });
}

export async function deleteTier(ctx: Ctx, id: string, version: number): Promise<void> {
  assertCan(ctx.actor, 'analytics.manage');
  await ctx.db.transaction(async (tx) => {
    const current = await findTier(tx, ctx.actor.orgId, id);
    if (current.version !== version) throw new Conflict('error.stale_version', {}, present(current));
    await tx.delete(serviceTiers).where(and(eq(serviceTiers.orgId, ctx.actor.orgId), eq(serviceTiers.id, id)));
    await audit(ctx, { action: 'service_tier.delete', entityType: 'service_tier', entityId: id, data: { code: current.code } }, tx);
  });
}

export interface CustomerTier extends TierOutput { segmentName: string; segmentPriority: number }

interface TierJoinRow {
  customer_id: string; id: string; segment_id: string; name: string; code: string; sla_policy_id: string | null; routing_priority: number;
  manager_user_id: string | null; team_id: string | null; survey_cap_days: number | null; version: number; segment_name: string; segment_priority: number;
}

function tierFromRow(r: TierJoinRow): CustomerTier {
  return {
    id: r.id, segmentId: r.segment_id, name: r.name, code: r.code, slaPolicyId: r.sla_policy_id, routingPriority: r.routing_priority,
    managerUserId: r.manager_user_id, teamId: r.team_id, surveyCapDays: r.survey_cap_days, version: r.version,
    segmentName: r.segment_name, segmentPriority: r.segment_priority,
  };
}

/** For other domains (service desk, routing, surveys): the customer's tier, or null. No permission check. */
export async function getCustomerTier(db: Db, orgId: string, customerId: string): Promise<CustomerTier | null> {
  const map = await getCustomerTiers(db, orgId, [customerId]);
  return map.get(customerId) ?? null;
}

/** Set-based: the tier of each given customer (absent when none), one query. */
export async function getCustomerTiers(db: Db, orgId: string, customerIds: readonly string[]): Promise<Map<string, CustomerTier>> {
  const out = new Map<string, CustomerTier>();
  if (customerIds.length === 0) return out;
  const found = await rows<TierJoinRow>(db, sql`
    SELECT DISTINCT ON (m.customer_id) m.customer_id, t.id, t.segment_id, t.name, t.code, t.sla_policy_id, t.routing_priority,
      t.manager_user_id, t.team_id, t.survey_cap_days, t.version, s.name AS segment_name, s.priority AS segment_priority
    FROM segment_members m
    JOIN segments s ON s.id = m.segment_id AND s.active
    JOIN service_tiers t ON t.segment_id = s.id
    WHERE m.org_id = ${orgId}::uuid AND m.customer_id = ANY(${sql.param([...customerIds])}::uuid[])
    ORDER BY m.customer_id, s.priority DESC, s.id`);
  for (const r of found) out.set(r.customer_id, tierFromRow(r));
  return out;
}


/**
 * For set-based statements of other domains (call routing): the routing priority of the tier of the
 * customer `customerId` (an SQL uuid expression; NULL for an unknown caller), 0 without a tier. The
 * tier of the highest-priority active segment the customer is in, as in getCustomerTiers.
 */
export function tierRoutingPrioritySql(customerId: SQL): SQL {
  return sql`COALESCE((SELECT t.routing_priority FROM segment_members m
    JOIN segments s ON s.id = m.segment_id AND s.active JOIN service_tiers t ON t.segment_id = s.id
    WHERE m.org_id = s.org_id AND m.customer_id = ${customerId} ORDER BY s.priority DESC, s.id LIMIT 1), 0)`;
}
