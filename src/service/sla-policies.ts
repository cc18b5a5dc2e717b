// SLA policies (service.manage to create; service.read to list). Chosen per order by model/sla-policy.ts.
import { asc, eq } from 'drizzle-orm';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Conflict, Invalid, isUniqueViolation, fieldError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { createSlaPolicyInput, type CreateSlaPolicyInput, type SlaPolicyOutput } from './schemas.ts';
import type { SlaPolicyRow } from './service-order-store.ts';
import { slaPolicies } from './tables.ts';

function present(r: SlaPolicyRow): SlaPolicyOutput {
  return {
    id: r.id,
    name: r.name,
    types: r.types,
    priorities: r.priorities as SlaPolicyOutput['priorities'],
    tags: r.tags,
    tier: r.tier,
    rank: r.rank,
    firstResponseMinutes: r.firstResponseMinutes,
    resolutionMinutes: r.resolutionMinutes,
    calendar: r.calendar,
    calendarId: r.calendarId,
    atRiskPercent: r.atRiskPercent,
    active: r.active,
    version: r.version,
  };
}

export async function createSlaPolicy(ctx: Ctx, raw: CreateSlaPolicyInput): Promise<SlaPolicyOutput> {
  assertCan(ctx.actor, 'service.manage');
  const input = createSlaPolicyInput.parse(raw);
  if (input.resolutionMinutes < input.firstResponseMinutes) {
    throw new Invalid([fieldError('resolutionMinutes', 'too_small', 'field.service.resolution_before_first_response')]);
  }
  return ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    try {
      const [row] = await tx.insert(slaPolicies).values({ id: newId(), orgId: ctx.actor.orgId, ...input, createdAt: now, updatedAt: now }).returning();
      await audit(ctx, { action: 'sla_policy.create', entityType: 'sla_policy', entityId: row.id, data: { ...input } }, tx);
      return present(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw new Conflict('error.sla_policy_exists', { name: input.name });
      throw err;
    }
  });
}

export async function listSlaPolicies(ctx: Ctx): Promise<SlaPolicyOutput[]> {
  assertCan(ctx.actor, 'service.read');
  const found = await ctx.db.select().from(slaPolicies).where(eq(slaPolicies.orgId, ctx.actor.orgId)).orderBy(asc(slaPolicies.rank), asc(slaPolicies.createdAt));
  return found.map(present);
}
