// How an order leaves the server, and the one SELECT every order read uses: the order, its customer
// (for the data scope, 数据权限) and owner, and the stage clock (overdue minutes, late) computed in SQL.
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../db/open.ts';
import type { Ctx } from '../platform/context.ts';
import { customerScopeCondition } from '../customers/scope.ts';
import type { OrderListItem } from './schemas.ts';
import { targetMinutesSql } from './stage-targets.ts';
import type { OrderStage, OrderStatus } from './tables.ts';

export interface OrderRow {
  id: string;
  order_no: string | null;
  customer_id: string;
  customer_name: string;
  owner_id: string | null;
  owner_name: string | null;
  channel: string;
  currency: string;
  total_minor: string | number;
  status: OrderStatus;
  stage: OrderStage;
  stage_at: Date | string;
  ordered_at: Date | string;
  ordered_key: string;
  note: string | null;
  version: number;
  overdue_minutes: number | null;
  late: boolean;
}

const iso = (d: Date | string) => new Date(d).toISOString();

export function presentOrderRow(r: OrderRow): OrderListItem {
  return {
    id: r.id,
    orderNo: r.order_no,
    customerId: r.customer_id,
    customerName: r.customer_name,
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    channel: r.channel,
    currency: r.currency,
    totalMinor: Number(r.total_minor),
    status: r.status,
    stage: r.stage,
    stageAt: iso(r.stage_at),
    orderedAt: iso(r.ordered_at),
    overdueMinutes: r.overdue_minutes === null ? null : Number(r.overdue_minutes),
    late: r.late === true,
    version: r.version,
  };
}

/** Target minutes of the order's current stage (alias `o`), SQL. */
export const orderTargetSql = (): SQL<number | null> => targetMinutesSql(sql`o.org_id`, sql`o.stage`);

/** True when the open order `o` has been in its stage longer than the stage's target. */
export function lateSql(now: Date, target: SQL = orderTargetSql()): SQL<boolean> {
  return sql<boolean>`(o.status = 'open' AND ${target} IS NOT NULL AND o.stage_at + make_interval(mins => ${target}) < ${now.toISOString()}::timestamptz)`;
}

/** SELECT list of OrderRow for `orders o JOIN customers … LEFT JOIN users u`, with `target` the stage target. */
export function orderSelectList(now: Date, target: SQL = orderTargetSql()): SQL {
  return sql`o.id, o.order_no, o.customer_id, customers.name AS customer_name, o.owner_id, u.name AS owner_name, o.channel,
    o.currency, o.total_minor::text AS total_minor, o.status, o.stage, o.stage_at, o.ordered_at, o.ordered_at::text AS ordered_key,
    o.note, o.version,
    CASE WHEN o.status = 'open' AND ${target} IS NOT NULL
      THEN FLOOR(EXTRACT(EPOCH FROM (${now.toISOString()}::timestamptz - o.stage_at)) / 60 - ${target})::int END AS overdue_minutes,
    ${lateSql(now, target)} AS late`;
}

/** FROM clause joining the order's customer (scope) and owner. */
export const orderFrom = sql`orders o JOIN customers ON customers.id = o.customer_id LEFT JOIN users u ON u.id = o.owner_id`;

/** Conditions every order read starts with: the organization and the actor's data scope over the customer. */
export function orderScopeConditions(ctx: Ctx): SQL[] {
  return [sql`o.org_id = ${ctx.actor.orgId}`, customerScopeCondition(ctx.actor)];
}

/** The order with this id if the actor may see it, else null. `forUpdate` locks the order row. */
export async function selectOrderInScope(ctx: Ctx, id: string, db: Db, forUpdate = false): Promise<OrderRow | null> {
  const conds = [...orderScopeConditions(ctx), sql`o.id = ${id}`];
  const found = await rows<OrderRow>(
    db,
    sql`SELECT ${orderSelectList(ctx.now())} FROM ${orderFrom} WHERE ${sql.join(conds, sql` AND `)} ${forUpdate ? sql`FOR UPDATE OF o` : sql``}`,
  );
  return found[0] ?? null;
}
