// The pipeline board (销售漏斗): per stage, how many opportunities, how many overdue, and their
// expected value per currency — one GROUP BY in SQL.
import { sql } from 'drizzle-orm';
import { rows } from '../db/open.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { viewCondition } from './list-opportunities.ts';
import { customerInScope } from './opportunity-store.ts';
import { boardQuery, type boardOutput } from './schemas.ts';
import { opportunityStages, type OpportunityStage } from './tables.ts';
import type { z } from 'zod';

export async function opportunityBoard(ctx: Ctx, raw: z.input<typeof boardQuery>): Promise<z.infer<typeof boardOutput>> {
  assertCan(ctx.actor, 'opportunity.read');
  const q = boardQuery.parse(raw);
  const found = await rows<{ stage: OpportunityStage; currency: string; n: string | number; overdue: string | number; value: string | number | null }>(
    ctx.db,
    sql`SELECT o.stage, o.currency, count(*) AS n,
        count(*) FILTER (WHERE o.stage NOT IN ('won', 'lost') AND o.follow_up_due_at < ${ctx.now().toISOString()}::timestamptz) AS overdue,
        sum(o.expected_value_minor) AS value
      FROM opportunities o
      WHERE o.org_id = ${ctx.actor.orgId} AND ${customerInScope(ctx.actor, sql`o.customer_id`)} AND ${viewCondition(ctx, q.view)}
      GROUP BY o.stage, o.currency ORDER BY o.stage, o.currency`,
  );
  return {
    columns: opportunityStages.map((stage) => {
      const mine = found.filter((r) => r.stage === stage);
      return {
        stage,
        count: mine.reduce((s, r) => s + Number(r.n), 0),
        overdue: mine.reduce((s, r) => s + Number(r.overdue), 0),
        expectedValue: mine.filter((r) => r.value !== null).map((r) => ({ currency: r.currency, minor: Number(r.value) })),
      };
    }),
  };
}
