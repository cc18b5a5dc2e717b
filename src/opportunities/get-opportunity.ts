import { sql } from 'drizzle-orm';
import { rows } from '../db/open.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { findOpportunityInScope, presentOpportunity } from './opportunity-store.ts';
import type { OpportunityDetail } from './schemas.ts';
import type { OpportunityStage } from './tables.ts';

/** The opportunity with its history, oldest first; another organization's or out-of-scope ones are a 404. */
export async function getOpportunity(ctx: Ctx, id: string): Promise<OpportunityDetail> {
  assertCan(ctx.actor, 'opportunity.read');
  const row = await findOpportunityInScope(ctx, id);
  const events = await rows<{ id: string; kind: string; from_stage: OpportunityStage | null; to_stage: OpportunityStage | null; actor_id: string | null; actor_name: string | null; data: Record<string, unknown> | string; at: Date | string }>(
    ctx.db,
    sql`SELECT e.id, e.kind, e.from_stage, e.to_stage, e.actor_id, u.name AS actor_name, e.data, e.at
      FROM opportunity_events e LEFT JOIN users u ON u.id = e.actor_id
      WHERE e.org_id = ${ctx.actor.orgId} AND e.opportunity_id = ${row.id}
      ORDER BY e.at, e.id LIMIT 1000`,
  );
  return {
    ...presentOpportunity(row),
    events: events.map((e) => ({
      id: e.id,
      kind: e.kind,
      fromStage: e.from_stage,
      toStage: e.to_stage,
      actorId: e.actor_id,
      actorName: e.actor_name,
      data: typeof e.data === 'string' ? (JSON.parse(e.data) as Record<string, unknown>) : e.data,
      at: new Date(e.at).toISOString(),
    })),
  };
}
