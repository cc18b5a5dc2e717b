// 提成规则 per organization: list, create, update (with version). Managed by admins (commission.manage).
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/open.ts';
import { audit } from '../platform/audit.ts';
import { assertCan, can, type Ctx } from '../platform/context.ts';
import { Conflict, Forbidden, Invalid, NotFound, type KeyedFieldError, fieldError } from '../platform/errors.ts';
import { isUuid, newId } from '../platform/ids.ts';
import './messages.ts';
import {
  commissionRuleInput,
  updateCommissionRuleInput,
  type CommissionRuleInput,
  type CommissionRuleOutput,
  type UpdateCommissionRuleInput,
} from './schemas.ts';
import { commissionRules, type CommissionKind } from './tables.ts';

type RuleRow = typeof commissionRules.$inferSelect;

function present(r: RuleRow): CommissionRuleOutput {
  return {
    id: r.id,
    name: r.name,
    productCategory: r.productCategory,
    kind: r.kind,
    basisPoints: r.basisPoints,
    fixedMinor: r.fixedMinor,
    currency: r.currency,
    priority: r.priority,
    active: r.active,
    version: r.version,
  };
}

/** A percent rule has basis points and no fixed amount; a fixed rule has an amount and its currency. */
function shapeErrors(r: { kind: CommissionKind; basisPoints: number | null; fixedMinor: number | null; currency: string | null }): KeyedFieldError[] {
  const errors: KeyedFieldError[] = [];
  if (r.kind === 'percent') {
    if (r.basisPoints === null) errors.push(fieldError('basisPoints', 'required', 'field.commission.percent_needs_basis_points'));
    if (r.fixedMinor !== null) errors.push(fieldError('fixedMinor', 'not_for_percent', 'field.commission.percent_no_fixed'));
  } else {
    if (r.fixedMinor === null) errors.push(fieldError('fixedMinor', 'required', 'field.commission.fixed_needs_amount'));
    if (r.currency === null) errors.push(fieldError('currency', 'required', 'field.commission.fixed_needs_currency'));
    if (r.basisPoints !== null) errors.push(fieldError('basisPoints', 'not_for_fixed', 'field.commission.fixed_no_basis_points'));
  }
  return errors;
}

export async function listCommissionRules(ctx: Ctx): Promise<CommissionRuleOutput[]> {
  if (!can(ctx.actor, 'commission.read') && !can(ctx.actor, 'commission.read_all')) throw new Forbidden('commission.read');
  const found = await ctx.db
    .select()
    .from(commissionRules)
    .where(eq(commissionRules.orgId, ctx.actor.orgId))
    .orderBy(asc(commissionRules.productCategory), asc(commissionRules.id))
    .limit(1000);
  return found.map(present);
}

export async function createCommissionRule(ctx: Ctx, raw: CommissionRuleInput): Promise<CommissionRuleOutput> {
  assertCan(ctx.actor, 'commission.manage');
  const input = commissionRuleInput.parse(raw);
  const row = {
    kind: input.kind,
    basisPoints: input.basisPoints ?? null,
    fixedMinor: input.fixedMinor ?? null,
    currency: input.kind === 'fixed' ? (input.currency ?? null) : null,
  };
  const errors = shapeErrors(row);
  if (errors.length) throw new Invalid(errors);
  const now = ctx.now();
  return ctx.db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const [created] = await tx
      .insert(commissionRules)
      .values({ id: newId(), orgId: ctx.actor.orgId, name: input.name, productCategory: input.productCategory, ...row, priority: input.priority, active: input.active, createdAt: now, updatedAt: now })
      .returning();
    await audit(ctx, { action: 'commission_rule.create', entityType: 'commission_rule', entityId: created!.id, data: { ...present(created!) } }, tx);
    return present(created!);
  });
}

export async function updateCommissionRule(ctx: Ctx, id: string, raw: UpdateCommissionRuleInput): Promise<CommissionRuleOutput> {
  assertCan(ctx.actor, 'commission.manage');
  const input = updateCommissionRuleInput.parse(raw);
  if (!isUuid(id)) throw new NotFound('commission_rule');
  return ctx.db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const [before] = await tx
      .select()
      .from(commissionRules)
      .where(and(eq(commissionRules.orgId, ctx.actor.orgId), eq(commissionRules.id, id)))
      .for('update');
    if (!before) throw new NotFound('commission_rule');
    if (before.version !== input.version) throw new Conflict('error.stale_version', {}, present(before));
    const kind = input.kind ?? before.kind;
    const next = {
      name: input.name ?? before.name,
      productCategory: input.productCategory !== undefined ? input.productCategory : before.productCategory,
      kind,
      basisPoints: input.basisPoints !== undefined ? input.basisPoints : kind === 'percent' ? before.basisPoints : null,
      fixedMinor: input.fixedMinor !== undefined ? input.fixedMinor : kind === 'fixed' ? before.fixedMinor : null,
      currency: kind === 'fixed' ? (input.currency !== undefined ? input.currency : before.currency) : null,
      priority: input.priority ?? before.priority,
      active: input.active ?? before.active,
    };
    const errors = shapeErrors(next);
    if (errors.length) throw new Invalid(errors);
    const changes: Record<string, { before: unknown; after: unknown }> = {};
    for (const k of Object.keys(next) as (keyof typeof next)[]) if (next[k] !== before[k]) changes[k] = { before: before[k], after: next[k] };
    if (Object.keys(changes).length === 0) return present(before);
    const [updated] = await tx
      .update(commissionRules)
      .set({ ...next, version: sql`${commissionRules.version} + 1`, updatedAt: ctx.now() })
      .where(and(eq(commissionRules.orgId, ctx.actor.orgId), eq(commissionRules.id, id)))
      .returning();
    await audit(ctx, { action: 'commission_rule.update', entityType: 'commission_rule', entityId: id, data: { version: updated!.version, changes } }, tx);
    return present(updated!);
  });
}
