// 订单执行监控: open orders by fulfilment stage, the late ones first. Late = time in the current
// stage beyond the stage's target, computed in SQL. Each stage's branch walks the board index
// (org, stage, stage_at) oldest first, and a stage's deadline is stage_at + its target, so merging
// the branches by deadline puts the most overdue orders first without sorting all open orders.
import { sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { rows } from '../db/open.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { orderFrom, orderScopeConditions, orderSelectList, presentOrderRow, type OrderRow } from './order-rows.ts';
import { boardQuery, type OrderListItem } from './schemas.ts';
import { listStageTargets } from './stage-targets.ts';
import { orderStages, type OrderStage } from './tables.ts';

export interface StageBoard {
  stages: { stage: OrderStage; targetMinutes: number | null; open: number; late: number }[];
  orders: OrderListItem[];
}

export async function stageBoard(ctx: Ctx, raw: z.input<typeof boardQuery>): Promise<StageBoard> {
  assertCan(ctx.actor, 'order.read');
  const q = boardQuery.parse(raw);
  const now = ctx.now();
  const nowSql = sql`${now.toISOString()}::timestamptz`;
  const targets = await listStageTargets(ctx);
  const targetOf = new Map(targets.map((t) => [t.stage, t.targetMinutes]));
  const base: SQL[] = [...orderScopeConditions(ctx), sql`o.status = 'open'`];
  if (q.ownerId) base.push(sql`o.owner_id = ${q.ownerId}`);

  // The targets are known here, so each stage's target is a constant in its branch.
  const targetSql = (s: OrderStage): SQL => {
    const m = targetOf.get(s);
    return m === null || m === undefined ? sql`NULL::int` : sql`${m}::int`;
  };
  const stageCase = sql`CASE o.stage ${sql.join(orderStages.map((s) => sql`WHEN ${s} THEN ${targetSql(s)}`), sql` `)} END`;
  const counts = await rows<{ stage: OrderStage; open: string | number; late: string | number }>(
    ctx.db,
    sql`SELECT o.stage, COUNT(*) AS open,
        COUNT(*) FILTER (WHERE ${stageCase} IS NOT NULL AND o.stage_at + make_interval(mins => ${stageCase}) < ${nowSql}) AS late
      FROM ${orderFrom} WHERE ${sql.join(base, sql` AND `)} GROUP BY o.stage`,
  );
  const countOf = new Map(counts.map((c) => [c.stage, c]));

  const shown = q.stage ? [q.stage] : orderStages.filter((s) => countOf.has(s));
  const branches = shown.map((s) => {
    const target = targetSql(s);
    return sql`(SELECT ${orderSelectList(now, target)},
        CASE WHEN ${target} IS NULL THEN NULL ELSE o.stage_at + make_interval(mins => ${target}) END AS deadline
      FROM ${orderFrom} WHERE ${sql.join([...base, sql`o.stage = ${s}`], sql` AND `)}
      ORDER BY o.stage_at, o.id LIMIT ${q.limit})`;
  });
  const found = branches.length
    ? await rows<OrderRow>(ctx.db, sql`SELECT * FROM (${sql.join(branches, sql` UNION ALL `)}) b ORDER BY b.deadline ASC NULLS LAST, b.stage_at, b.id LIMIT ${q.limit}`)
    : [];
  return {
    stages: orderStages.map((stage) => ({
      stage,
      targetMinutes: targetOf.get(stage) ?? null,
      open: Number(countOf.get(stage)?.open ?? 0),
      late: Number(countOf.get(stage)?.late ?? 0),
    })),
    orders: found.map(presentOrderRow),
  };
}
