// PATCH an opportunity: stage moves (validated by the pipeline model), next step, follow-up, value and
// owner, with the version the caller read (409 with the current opportunity when it moved). Winning
// takes the resulting order, which must be the same customer's, and books the finder's commission in
// the same transaction; losing takes a reason.
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/open.ts';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Conflict, Invalid, NotFound, isUniqueViolation, type KeyedFieldError, fieldError } from '../platform/errors.ts';
import { getOrderSummary, type OrderSummary } from '../orders/get-order-summary.ts';
import { earnCommission } from './earn-commission.ts';
import { canMove, isClosed } from './model/pipeline.ts';
import { checkOwner, findOpportunityInScope, presentOpportunity, writeOpportunityEvent, type OpportunityRow } from './opportunity-store.ts';
import { updateOpportunityInput, type OpportunityOutput, type UpdateOpportunityInput } from './schemas.ts';
import { opportunities, type OpportunityStage } from './tables.ts';

export { updateOpportunityInput };

type Field = 'nextStep' | 'followUpDueAt' | 'expectedValueMinor' | 'currency' | 'ownerUserId' | 'ownerTeamId';

export async function updateOpportunity(ctx: Ctx, id: string, raw: UpdateOpportunityInput): Promise<OpportunityOutput> {
  assertCan(ctx.actor, 'opportunity.write');
  const input = updateOpportunityInput.parse(raw);
  try {
    return await ctx.db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      const before = await findOpportunityInScope(ctx, id, { db: tx, forUpdate: true });
      if (before.version !== input.version) throw new Conflict('error.stale_version', {}, presentOpportunity(before));
      const now = ctx.now();
      const errors: KeyedFieldError[] = [];
      const to: OpportunityStage | undefined = input.stage !== undefined && input.stage !== before.stage ? input.stage : undefined;
      if (to && !canMove(before.stage, to)) {
        throw new Invalid([fieldError('stage', 'bad_stage_move', 'field.opportunities.bad_stage_move', { from: before.stage, to })], 'error.bad_stage_move');
      }
      if (input.orderId !== undefined && to !== 'won') errors.push(fieldError('orderId', 'only_when_won', 'field.opportunities.only_when_won'));
      if (input.lostReason !== undefined && to !== 'lost') errors.push(fieldError('lostReason', 'only_when_lost', 'field.opportunities.only_when_lost'));
      if (to === 'lost' && !input.lostReason) errors.push(fieldError('lostReason', 'required', 'field.opportunities.lost_reason_required'));
      let order: OrderSummary | null = null;
      if (to === 'won') {
        if (!input.orderId) errors.push(fieldError('orderId', 'required', 'field.opportunities.won_order_required'));
        else order = await wonOrder(ctx, tx, before, input.orderId, errors);
      }

      const next: Record<Field, unknown> = {
        nextStep: input.nextStep !== undefined ? input.nextStep : before.next_step,
        followUpDueAt: input.followUpDueAt !== undefined ? new Date(input.followUpDueAt).toISOString() : new Date(before.follow_up_due_at).toISOString(),
        expectedValueMinor: input.expectedValueMinor !== undefined ? input.expectedValueMinor : before.expected_value_minor === null ? null : Number(before.expected_value_minor),
        currency: input.currency ?? before.currency,
        ownerUserId: input.ownerUserId !== undefined ? input.ownerUserId : before.owner_user_id,
        ownerTeamId: input.ownerTeamId !== undefined ? input.ownerTeamId : before.owner_team_id,
      };
      const prev: Record<Field, unknown> = {
        nextStep: before.next_step,
        followUpDueAt: new Date(before.follow_up_due_at).toISOString(),
        expectedValueMinor: before.expected_value_minor === null ? null : Number(before.expected_value_minor),
        currency: before.currency,
        ownerUserId: before.owner_user_id,
        ownerTeamId: before.owner_team_id,
      };
      const changes: Partial<Record<Field, { before: unknown; after: unknown }>> = {};
      for (const k of Object.keys(next) as Field[]) if (next[k] !== prev[k]) changes[k] = { before: prev[k], after: next[k] };
      if (changes.ownerUserId || changes.ownerTeamId) {
        errors.push(...(await checkOwner(tx, ctx.actor.orgId, { userId: changes.ownerUserId ? (next.ownerUserId as string | null) : null, teamId: changes.ownerTeamId ? (next.ownerTeamId as string | null) : null })));
        if (!next.ownerUserId && !next.ownerTeamId) errors.push(fieldError('ownerUserId', 'owner_required', 'field.opportunities.owner_required'));
      }
      if (errors.length) throw new Invalid(errors);
      if (!to && Object.keys(changes).length === 0) return presentOpportunity(before);

      const updated = await tx
        .update(opportunities)
        .set({
          nextStep: next.nextStep as string | null,
          followUpDueAt: new Date(next.followUpDueAt as string),
          expectedValueMinor: next.expectedValueMinor as number | null,
          currency: next.currency as string,
          ownerUserId: next.ownerUserId as string | null,
          ownerTeamId: next.ownerTeamId as string | null,
          ...(to ? { stage: to } : {}),
          ...(to && isClosed(to) ? { closedAt: now } : {}),
          ...(to === 'won' && order ? { wonOrderId: order.id } : {}),
          ...(to === 'lost' ? { lostReason: input.lostReason } : {}),
          version: sql`${opportunities.version} + 1`,
          updatedAt: now,
        })
        .where(and(eq(opportunities.id, id), eq(opportunities.orgId, ctx.actor.orgId), eq(opportunities.version, input.version)))
        .returning({ id: opportunities.id });
      if (updated.length !== 1) throw new NotFound('opportunity');

      let commissionMinor = 0;
      if (to) {
        await writeOpportunityEvent(ctx, tx, {
          opportunityId: id,
          customerId: before.customer_id,
          kind: 'stage',
          fromStage: before.stage,
          toStage: to,
          data: { ...(order ? { orderId: order.id } : {}), ...(input.lostReason ? { lostReason: input.lostReason } : {}), ...(input.note ? { note: input.note } : {}) },
        });
        if (to === 'won' && order) commissionMinor = await earnCommission(ctx, tx, { opportunityId: id, staffId: before.found_by, order });
      }
      if (Object.keys(changes).length) {
        await writeOpportunityEvent(ctx, tx, { opportunityId: id, customerId: before.customer_id, kind: 'update', data: { changes, ...(input.note && !to ? { note: input.note } : {}) } });
      }
      await audit(ctx, {
        action: 'opportunity.update',
        entityType: 'opportunity',
        entityId: id,
        data: { version: input.version + 1, ...(to ? { stage: { before: before.stage, after: to } } : {}), changes, ...(order ? { orderId: order.id, commissionMinor } : {}) },
      }, tx);
      return presentOpportunity(await findOpportunityInScope(ctx, id, { db: tx }));
    });
  } catch (err) {
    // Two opportunities racing to claim one order: the second hits the unique key.
    if (isUniqueViolation(err)) throw new Conflict('error.order_already_claimed');
    throw err;
  }
}

/** The order the opportunity was won with: visible to the actor, the same customer's, not claimed by another opportunity. */
async function wonOrder(ctx: Ctx, tx: Db, opp: OpportunityRow, orderId: string, errors: KeyedFieldError[]): Promise<OrderSummary | null> {
  let order: OrderSummary;
  try {
    order = await getOrderSummary(ctx, orderId, { db: tx });
  } catch (err) {
    if (err instanceof NotFound) {
      errors.push(fieldError('orderId', 'unknown_order', 'field.opportunities.unknown_order'));
      return null;
    }
    throw err;
  }
  if (order.customerId !== opp.customer_id) {
    errors.push(fieldError('orderId', 'other_customer', 'field.opportunities.other_customer'));
    return null;
  }
  const [claimed] = await tx
    .select({ id: opportunities.id })
    .from(opportunities)
    .where(and(eq(opportunities.orgId, ctx.actor.orgId), eq(opportunities.wonOrderId, order.id), ne(opportunities.id, opp.id)));
  if (claimed) throw new Conflict('error.order_already_claimed');
  return order;
}
