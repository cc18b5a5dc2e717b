// Target time per fulfilment stage (订单执行监控): an organization's own targets from
// order_stage_targets, else these defaults. `late` is always computed in SQL from the same source.
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../db/open.ts';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { orderStages, type OrderStage } from './tables.ts';

/** Minutes an order may stay in each stage before it is late; null: no target (the last stage). */
export const defaultStageTargetMinutes: Record<OrderStage, number | null> = {
  received: 4 * 60,
  allocated: 24 * 60,
  in_production: 48 * 60,
  dispatched: 72 * 60,
  delivered: 7 * 24 * 60,
  settled: 14 * 24 * 60,
  feedback: null,
};

export function stageIndex(stage: OrderStage): number {
  return orderStages.indexOf(stage);
}

/**
 * The target minutes of the stage in `stageCol` for the organization in `orgCol`, as a SQL
 * expression: the organization's row, else the default; NULL for a stage without a target.
 */
export function targetMinutesSql(orgCol: SQL, stageCol: SQL): SQL<number | null> {
  const cases = orderStages.map((s) => {
    const m = defaultStageTargetMinutes[s];
    return sql`WHEN ${s} THEN ${m === null ? sql`NULL::int` : sql.raw(String(m))}`;
  });
  return sql<number | null>`COALESCE(
    (SELECT tg.target_minutes FROM order_stage_targets tg WHERE tg.org_id = ${orgCol} AND tg.stage = ${stageCol}),
    CASE ${stageCol} ${sql.join(cases, sql` `)} END)`;
}

/** Minutes past the target (positive: late) of an open order, NULL without a target. */
export function overdueMinutesSql(o: string, now: Date): SQL<number | null> {
  const alias = sql.raw(o);
  return sql<number | null>`CASE WHEN ${alias}.status = 'open' THEN
    EXTRACT(EPOCH FROM (${now.toISOString()}::timestamptz - ${alias}.stage_at)) / 60 - ${targetMinutesSql(sql`${alias}.org_id`, sql`${alias}.stage`)}
    END`;
}

export interface StageTarget {
  stage: OrderStage;
  targetMinutes: number | null;
  isDefault: boolean;
}

export async function listStageTargets(ctx: Ctx, db: Db = ctx.db): Promise<StageTarget[]> {
  assertCan(ctx.actor, 'order.read');
  const found = await rows<{ stage: OrderStage; target_minutes: number }>(
    db,
    sql`SELECT stage, target_minutes FROM order_stage_targets WHERE org_id = ${ctx.actor.orgId}`,
  );
  const own = new Map(found.map((r) => [r.stage, r.target_minutes]));
  return orderStages.map((stage) => ({
    stage,
    targetMinutes: own.get(stage) ?? defaultStageTargetMinutes[stage],
    isDefault: !own.has(stage),
  }));
}

/** Sets the organization's target for some stages (upsert); audited. */
export async function setStageTargets(ctx: Ctx, targets: { stage: OrderStage; targetMinutes: number }[]): Promise<StageTarget[]> {
  assertCan(ctx.actor, 'settings.manage');
  return ctx.db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    for (const t of targets) {
      await tx.execute(sql`INSERT INTO order_stage_targets (org_id, stage, target_minutes, updated_at)
        VALUES (${ctx.actor.orgId}, ${t.stage}, ${t.targetMinutes}, ${ctx.now().toISOString()})
        ON CONFLICT (org_id, stage) DO UPDATE SET target_minutes = EXCLUDED.target_minutes, updated_at = EXCLUDED.updated_at`);
    }
    await audit(ctx, { action: 'order.stage_targets', entityType: 'organization', entityId: ctx.actor.orgId, data: { targets } }, tx);
    return listStageTargets(ctx, tx);
  });
}
