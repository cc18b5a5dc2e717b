import { sql } from 'drizzle-orm';
import { rows, type Db } from '../db/open.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { NotFound } from '../platform/errors.ts';
import { isUuid } from '../platform/ids.ts';
import './messages.ts';
import { presentOrderRow, selectOrderInScope, type OrderRow } from './order-rows.ts';
import type { OrderLineOutput, OrderOutput, ReturnOutput } from './schemas.ts';
import type { OrderStage, ReturnKind, ReturnStatus } from './tables.ts';

/**
 * The order with this id if the actor may see it (organization and the data scope of its
 * customer), else NotFound: another organization's order and one outside the actor's territories
 * look exactly alike.
 */
export async function findOrderInScope(ctx: Ctx, id: string, opts: { db?: Db; forUpdate?: boolean } = {}): Promise<OrderRow> {
  if (!isUuid(id)) throw new NotFound('order');
  const row = await selectOrderInScope(ctx, id, opts.db ?? ctx.db, opts.forUpdate ?? false);
  if (!row) throw new NotFound('order');
  return row;
}

export interface LineRow {
  id: string;
  line_no: number;
  product_id: string;
  sku: string;
  name: string;
  category: string | null;
  quantity: number;
  unit_price_minor: string;
  amount_minor: string;
  returned_quantity: string | number;
  returned_minor: string | number;
}

/** The lines of an order with what was already returned or exchanged (rejected requests do not count). */
export async function orderLinesWithReturns(db: Db, orgId: string, orderId: string): Promise<LineRow[]> {
  return linesWithReturns(db, orgId, [orderId]);
}

/** The lines of several orders (one query), by order then line number, with what was returned. */
export async function linesWithReturns(db: Db, orgId: string, orderIds: readonly string[]): Promise<(LineRow & { order_id: string })[]> {
  if (!orderIds.length) return [];
  const ids = sql`${sql.param(orderIds)}::uuid[]`;
  return rows<LineRow & { order_id: string }>(
    db,
    sql`SELECT l.id, l.order_id, l.line_no, l.product_id, l.sku, l.name, l.category, l.quantity,
        l.unit_price_minor::text AS unit_price_minor, l.amount_minor::text AS amount_minor,
        COALESCE(r.quantity, 0)::int AS returned_quantity, COALESCE(r.amount, 0)::text AS returned_minor
      FROM order_lines l
      LEFT JOIN (
        SELECT order_line_id, SUM(quantity) AS quantity, SUM(amount_minor) AS amount FROM order_returns
        WHERE org_id = ${orgId} AND order_id = ANY(${ids}) AND status <> 'rejected' GROUP BY order_line_id
      ) r ON r.order_line_id = l.id
      WHERE l.org_id = ${orgId} AND l.order_id = ANY(${ids})
      ORDER BY l.order_id, l.line_no`,
  );
}

/** A line as it leaves the server, with what a new return may still take (the rule recordReturn enforces). */
export function presentLine(l: LineRow): OrderLineOutput {
  const amountMinor = Number(l.amount_minor);
  const returnedQuantity = Number(l.returned_quantity);
  const returnedMinor = Number(l.returned_minor);
  return {
    id: l.id,
    lineNo: l.line_no,
    productId: l.product_id,
    sku: l.sku,
    name: l.name,
    category: l.category,
    quantity: l.quantity,
    unitPriceMinor: Number(l.unit_price_minor),
    amountMinor,
    returnedQuantity,
    returnedMinor,
    returnableQuantity: Math.max(0, l.quantity - returnedQuantity),
    refundableMinor: Math.max(0, amountMinor - returnedMinor),
  };
}

export interface ReturnRow {
  id: string;
  order_id: string;
  order_line_id: string;
  kind: ReturnKind;
  quantity: number;
  amount_minor: string;
  reason: string;
  note: string | null;
  outcome: string | null;
  status: ReturnStatus;
  actor_id: string | null;
  at: Date | string;
  version: number;
}

/** The SELECT list of a ReturnRow from `order_returns` (unaliased). */
export const returnColumns = sql.raw('id, order_id, order_line_id, kind, quantity, amount_minor::text AS amount_minor, reason, note, outcome, status, actor_id, at, version');

export function presentReturn(r: ReturnRow): ReturnOutput {
  return {
    id: r.id,
    orderId: r.order_id,
    orderLineId: r.order_line_id,
    kind: r.kind,
    quantity: r.quantity,
    amountMinor: Number(r.amount_minor),
    reason: r.reason,
    note: r.note,
    outcome: r.outcome,
    status: r.status,
    actorId: r.actor_id,
    at: new Date(r.at).toISOString(),
    version: r.version,
  };
}

/** Reads the whole order (lines, stage events, returns) inside `db` (a transaction after a write). */
export async function loadOrder(ctx: Ctx, id: string, db: Db = ctx.db): Promise<OrderOutput> {
  const head = await findOrderInScope(ctx, id, { db });
  const orgId = ctx.actor.orgId;
  const lines = await orderLinesWithReturns(db, orgId, id);
  const events = await rows<{ id: string; stage: OrderStage; from_stage: OrderStage | null; at: Date | string; actor_id: string | null; actor_name: string | null; note: string | null; correction: boolean }>(
    db,
    sql`SELECT e.id, e.stage, e.from_stage, e.at, e.actor_id, u.name AS actor_name, e.note, e.correction
      FROM order_stage_events e LEFT JOIN users u ON u.id = e.actor_id
      WHERE e.org_id = ${orgId} AND e.order_id = ${id} ORDER BY e.at, e.id`,
  );
  const returns = await rows<ReturnRow>(
    db,
    sql`SELECT ${returnColumns} FROM order_returns WHERE org_id = ${orgId} AND order_id = ${id} ORDER BY at, id`,
  );
  return {
    ...presentOrderRow(head),
    note: head.note,
    lines: lines.map(presentLine),
    events: events.map((e) => ({
      id: e.id,
      stage: e.stage,
      fromStage: e.from_stage,
      at: new Date(e.at).toISOString(),
      actorId: e.actor_id,
      actorName: e.actor_name,
      note: e.note,
      correction: e.correction,
    })),
    returns: returns.map(presentReturn),
  };
}

export async function getOrder(ctx: Ctx, id: string): Promise<OrderOutput> {
  assertCan(ctx.actor, 'order.read');
  return loadOrder(ctx, id);
}
