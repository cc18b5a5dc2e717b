// The opportunity work list: all / mine / my team's, by stage, overdue or due before a time, for one
// customer; soonest follow-up first, keyset paging on (follow_up_due_at, id).
import { sql, type SQL } from 'drizzle-orm';
import { rows } from '../db/open.ts';
import { decodeCursor, encodeCursor, TIMESTAMP_TEXT } from '../customers/cursor.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Invalid, fieldError } from '../platform/errors.ts';
import { isUuid } from '../platform/ids.ts';
import { customerInScope, opportunitySelect, presentOpportunity, type OpportunityRow } from './opportunity-store.ts';
import { listOpportunitiesQuery, type ListOpportunitiesQuery, type OpportunityOutput } from './schemas.ts';

/** Conditions on `o` (opportunities) for a view: mine = owned by me; team = owned by my team or one of its members. */
export function viewCondition(ctx: Ctx, view: 'all' | 'mine' | 'team'): SQL {
  const me = ctx.actor.userId;
  if (view === 'all') return sql`true`;
  if (!me) return sql`false`;
  if (view === 'mine') return sql`o.owner_user_id = ${me}`;
  return sql`EXISTS (SELECT 1 FROM users me WHERE me.id = ${me} AND me.team_id IS NOT NULL AND (o.owner_team_id = me.team_id
    OR o.owner_user_id IN (SELECT m.id FROM users m WHERE m.org_id = me.org_id AND m.team_id = me.team_id)))`;
}

export async function listOpportunities(ctx: Ctx, raw: ListOpportunitiesQuery): Promise<{ items: OpportunityOutput[]; nextCursor: string | null }> {
  assertCan(ctx.actor, 'opportunity.read');
  const q = listOpportunitiesQuery.parse(raw);
  const conds: SQL[] = [sql`o.org_id = ${ctx.actor.orgId}`, customerInScope(ctx.actor, sql`o.customer_id`), viewCondition(ctx, q.view)];
  if (q.stage) conds.push(sql`o.stage = ${q.stage}`);
  if (q.customerId) conds.push(sql`o.customer_id = ${q.customerId}`);
  if (q.overdue) conds.push(sql`o.stage NOT IN ('won', 'lost') AND o.follow_up_due_at < ${ctx.now().toISOString()}::timestamptz`);
  if (q.dueBefore) conds.push(sql`o.follow_up_due_at < ${q.dueBefore}::timestamptz`);
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor, 2);
    if (!isUuid(id) || !TIMESTAMP_TEXT.test(at)) throw new Invalid([fieldError('cursor', 'bad_cursor', 'field.bad_cursor')], 'error.bad_cursor');
    conds.push(sql`(o.follow_up_due_at, o.id) > (${at}::timestamptz, ${id}::uuid)`);
  }
  const found = await rows<OpportunityRow>(
    ctx.db,
    sql`${opportunitySelect} WHERE ${sql.join(conds, sql` AND `)} ORDER BY o.follow_up_due_at, o.id LIMIT ${q.limit + 1}`,
  );
  const page = found.slice(0, q.limit);
  const last = found.length > q.limit ? page[page.length - 1] : undefined;
  return { items: page.map(presentOpportunity), nextCursor: last ? encodeCursor([last.due_key, last.id]) : null };
}
