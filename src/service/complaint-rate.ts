// 投诉率: complaints opened in [from, to) per 10,000 customers the organization had at the end of the
// period (customers created before `to`), within the actor's data scope. One SQL statement.
import { sql } from 'drizzle-orm';
import { rows } from '../db/open.ts';
import { assertCan, customerScope, type Ctx } from '../platform/context.ts';
import { Invalid, fieldError } from '../platform/errors.ts';
import { customerScopeCondition } from '../customers/scope.ts';
import { customers } from '../customers/tables.ts';
import { complaintRateQuery, type complaintRateOutput } from './schemas.ts';
import type { z } from 'zod';

export async function complaintRate(ctx: Ctx, raw: z.input<typeof complaintRateQuery>): Promise<z.output<typeof complaintRateOutput>> {
  assertCan(ctx.actor, 'service.read');
  const q = complaintRateQuery.parse(raw);
  const from = new Date(q.from);
  const to = new Date(q.to);
  if (!(from < to)) throw new Invalid([fieldError('to', 'invalid_range', 'field.invalid_range')]);
  const [r] = await rows<{ complaints: number; customers: number }>(ctx.db, sql`
    WITH scoped AS (SELECT ${customers.id} AS id, ${customers.createdAt} AS created_at FROM ${customers} WHERE ${customerScopeCondition(ctx.actor)})
    SELECT
      (SELECT count(*)::int FROM service_orders so
        WHERE so.org_id = ${ctx.actor.orgId} AND so.type = 'complaint'
          AND so.created_at >= ${from.toISOString()}::timestamptz AND so.created_at < ${to.toISOString()}::timestamptz
          ${customerScope(ctx.actor) === 'all' ? sql`` : sql`AND so.customer_id IN (SELECT id FROM scoped)`}) AS complaints,
      (SELECT count(*)::int FROM scoped WHERE created_at < ${to.toISOString()}::timestamptz) AS customers`);
  const complaints = r?.complaints ?? 0;
  const total = r?.customers ?? 0;
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    complaints,
    customers: total,
    ratePer10k: total ? Math.round((complaints * 10_000 * 100) / total) / 100 : 0,
  };
}
