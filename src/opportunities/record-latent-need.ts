// 潜在需求 → 销售机会: a staff member records what a customer has and needs; it becomes an opportunity
// owned by the customer's manager (else the organization's sales team, else the finder's team) with
// its first follow-up due by grade.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/open.ts';
import { findCustomerInScope } from '../customers/get-customer.ts';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Invalid, fieldError } from '../platform/errors.ts';
import { isUuid, newId } from '../platform/ids.ts';
import { users } from '../platform/tables.ts';
import { getServiceOrder } from '../service/get-service-order.ts';
import { chooseOwner, followUpDue } from './model/pipeline.ts';
import { findOpportunityInScope, loadPipelineSettings, presentOpportunity, writeOpportunityEvent } from './opportunity-store.ts';
import { recordNeedInput, type OpportunityOutput, type RecordNeedInput } from './schemas.ts';
import { latentNeeds, opportunities } from './tables.ts';

export { recordNeedInput };

export async function recordLatentNeed(
  ctx: Ctx,
  target: { customerId: string; serviceOrderId?: string | null },
  raw: RecordNeedInput,
): Promise<OpportunityOutput> {
  assertCan(ctx.actor, 'opportunity.write');
  const input = recordNeedInput.parse(raw);
  if (target.serviceOrderId && !isUuid(target.serviceOrderId)) {
    throw new Invalid([fieldError('serviceOrderId', 'invalid_uuid', 'field.opportunities.not_an_id')]);
  }
  const now = ctx.now();
  return ctx.db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const { row: customer } = await findCustomerInScope(ctx, target.customerId, { db: tx });
    const people = await tx
      .select({ id: users.id, teamId: users.teamId, active: users.active })
      .from(users)
      .where(and(eq(users.orgId, ctx.actor.orgId), sql`${users.id} = ANY(${sql.param([customer.ownerId, ctx.actor.userId].filter((x): x is string => Boolean(x)))}::uuid[])`));
    const manager = people.find((u) => u.id === customer.ownerId && u.active);
    const finder = people.find((u) => u.id === ctx.actor.userId);
    const settings = await loadPipelineSettings(tx, ctx.actor.orgId);
    const owner = chooseOwner({
      customerManagerId: manager?.id ?? null,
      defaultTeamId: settings.defaultTeamId,
      finderId: ctx.actor.userId,
      finderTeamId: finder?.teamId ?? null,
    });
    const needId = newId();
    const id = newId();
    await tx.insert(latentNeeds).values({
      id: needId,
      orgId: ctx.actor.orgId,
      customerId: customer.id,
      serviceOrderId: target.serviceOrderId ?? null,
      foundBy: ctx.actor.userId,
      currentSituation: input.currentSituation,
      need: input.need,
      grade: input.grade,
      productCategory: input.productCategory ?? null,
      createdAt: now,
    });
    await tx.insert(opportunities).values({
      id,
      orgId: ctx.actor.orgId,
      customerId: customer.id,
      needId,
      ownerUserId: owner.ownerUserId,
      ownerTeamId: owner.ownerTeamId,
      stage: 'new',
      expectedValueMinor: input.expectedValueMinor ?? null,
      currency: input.currency,
      nextStep: input.nextStep ?? null,
      followUpDueAt: followUpDue(now, input.grade, settings.followUpDays),
      createdAt: now,
      updatedAt: now,
    });
    await writeOpportunityEvent(ctx, tx, { opportunityId: id, customerId: customer.id, kind: 'created', toStage: 'new', data: { needId, ...owner } });
    await audit(ctx, {
      action: 'opportunity.create',
      entityType: 'opportunity',
      entityId: id,
      data: { needId, customerId: customer.id, serviceOrderId: target.serviceOrderId ?? null, grade: input.grade, ...owner },
    }, tx);
    return presentOpportunity(await findOpportunityInScope(ctx, id, { db: tx }));
  });
}

/** The same, for a need found on a service order: the customer is the service order's. */
export async function recordNeedOnServiceOrder(ctx: Ctx, serviceOrderId: string, raw: RecordNeedInput): Promise<OpportunityOutput> {
  assertCan(ctx.actor, 'opportunity.write');
  const order = await getServiceOrder(ctx, serviceOrderId);
  return recordLatentNeed(ctx, { customerId: order.customerId, serviceOrderId: order.id }, raw);
}
