// 提成台账 of one staff member for one month ('YYYY-MM' in the organization's time zone) with its
// totals per currency, summed in SQL. Staff see their own; commission.read_all sees anyone's.
import { sql } from 'drizzle-orm';
import { rows } from '../db/open.ts';
import { can, type Ctx } from '../platform/context.ts';
import { Forbidden, NotFound } from '../platform/errors.ts';
import { customerInScope } from './opportunity-store.ts';
import { commissionsQuery, type CommissionsOutput, type CommissionsQuery } from './schemas.ts';

export async function listCommissions(ctx: Ctx, raw: CommissionsQuery): Promise<CommissionsOutput> {
  if (!can(ctx.actor, 'commission.read') && !can(ctx.actor, 'commission.read_all')) throw new Forbidden('commission.read');
  const q = commissionsQuery.parse(raw);
  const staffId = q.staffId ?? ctx.actor.userId;
  if (!staffId) throw new NotFound('staff');
  if (staffId !== ctx.actor.userId && !can(ctx.actor, 'commission.read_all')) throw new Forbidden('commission.read_all');
  const orgId = ctx.actor.orgId;
  const [staff] = await rows<{ id: string }>(ctx.db, sql`SELECT id FROM users WHERE org_id = ${orgId} AND id = ${staffId}`);
  if (!staff) throw new NotFound('staff');
  // Own commissions in full; someone else's, for a territory-scoped reader, of customers in their territories only.
  const scope = staffId === ctx.actor.userId ? sql`true` : customerInScope(ctx.actor, sql`(SELECT o.customer_id FROM opportunities o WHERE o.id = l.opportunity_id)`);
  const where = sql`l.org_id = ${orgId} AND l.staff_id = ${staffId} AND l.month = ${q.month} AND ${scope}`;
  const items = await rows<{ id: string; kind: 'earned' | 'reversed'; opportunity_id: string; order_id: string; order_line_id: string | null; return_id: string | null; rule_id: string | null; base_minor: string | number; amount_minor: string | number; currency: string; created_at: Date | string }>(
    ctx.db,
    sql`SELECT l.id, l.kind, l.opportunity_id, l.order_id, l.order_line_id, l.return_id, l.rule_id, l.base_minor, l.amount_minor, l.currency, l.created_at
      FROM commission_ledger l WHERE ${where} ORDER BY l.id LIMIT 5000`,
  );
  const totals = await rows<{ currency: string; earned: string | number; reversed: string | number; net: string | number }>(
    ctx.db,
    sql`SELECT l.currency,
        COALESCE(sum(l.amount_minor) FILTER (WHERE l.kind = 'earned'), 0) AS earned,
        COALESCE(sum(-l.amount_minor) FILTER (WHERE l.kind = 'reversed'), 0) AS reversed,
        sum(l.amount_minor) AS net
      FROM commission_ledger l WHERE ${where} GROUP BY l.currency ORDER BY l.currency`,
  );
  return {
    staffId,
    month: q.month,
    totals: totals.map((t) => ({ currency: t.currency, earnedMinor: Number(t.earned), reversedMinor: Number(t.reversed), netMinor: Number(t.net) })),
    items: items.map((i) => ({
      id: i.id,
      kind: i.kind,
      opportunityId: i.opportunity_id,
      orderId: i.order_id,
      orderLineId: i.order_line_id,
      returnId: i.return_id,
      ruleId: i.rule_id,
      baseMinor: Number(i.base_minor),
      amountMinor: Number(i.amount_minor),
      currency: i.currency,
      createdAt: new Date(i.created_at).toISOString(),
    })),
  };
}
