// `kefu demo --orders-per-customer M`: the demo catalogue, then orders (with lines, stage events and
// a few returns) for the organization's customers that have none yet, walked in id order in keyset
// batches and written one statement per batch, so memory stays flat for a million customers.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows } from '../../db/open.ts';
import { audit } from '../../platform/audit.ts';
import { assertCan, type Ctx } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import { demoAnchor } from '../../customers/demo/seed-demo.ts';
import { demoProducts, DemoOrderGenerator, type DemoOrder } from './model/generate-orders.ts';

export const seedDemoOrdersInput = z.object({
  ordersPerCustomer: z.number().int().min(0).max(50),
  seed: z.union([z.string().min(1).max(100), z.number().int()]).default(1),
  /** Customers per statement. */
  batchSize: z.number().int().min(1).max(20_000).default(2_000),
});
export type SeedDemoOrdersInput = z.input<typeof seedDemoOrdersInput>;

export interface SeedDemoOrdersResult {
  products: number;
  customers: number;
  orders: number;
  lines: number;
  events: number;
  returns: number;
  ms: number;
}

async function ensureCatalogue(ctx: Ctx): Promise<Map<string, string>> {
  const json = JSON.stringify(demoProducts.map((p) => ({ id: newId(), sku: p.sku, name: p.name, category: p.category, price_minor: p.priceMinor, cost_minor: p.costMinor, cycle: p.consumptionCycleDays })));
  const now = ctx.now().toISOString();
  await ctx.db.execute(sql`INSERT INTO products (id, org_id, sku, name, category, currency, price_minor, cost_minor, consumption_cycle_days, active, version, created_at, updated_at)
    SELECT x.id, ${ctx.actor.orgId}::uuid, x.sku, x.name, x.category, 'CNY', x.price_minor, x.cost_minor, x.cycle, true, 1, ${now}::timestamptz, ${now}::timestamptz
    FROM json_to_recordset(${json}::json) AS x(id uuid, sku text, name text, category text, price_minor bigint, cost_minor bigint, cycle int)
    ON CONFLICT (org_id, sku) DO NOTHING`);
  const found = await rows<{ id: string; sku: string }>(ctx.db, sql`SELECT id, sku FROM products WHERE org_id = ${ctx.actor.orgId} AND sku = ANY(${sql.param(demoProducts.map((p) => p.sku))}::text[])`);
  return new Map(found.map((p) => [p.sku, p.id]));
}

async function writeBatch(ctx: Ctx, orders: DemoOrder[], productIds: Map<string, string>, byCategory: Map<string, string | null>): Promise<void> {
  if (!orders.length) return;
  const orgId = ctx.actor.orgId;
  const iso = (d: Date) => d.toISOString();
  const o = JSON.stringify(orders.map((x) => ({
    id: x.id, order_no: x.orderNo, customer_id: x.customerId, owner_id: x.ownerId, channel: x.channel, total_minor: x.totalMinor,
    status: x.status, stage: x.stage, stage_at: iso(x.stageAt), ordered_at: iso(x.orderedAt),
  })));
  const demoBySku = new Map(demoProducts.map((p) => [p.sku, p]));
  const l = JSON.stringify(orders.flatMap((x) => x.lines.map((line) => ({
    id: line.id, order_id: x.id, line_no: line.lineNo, product_id: productIds.get(line.sku), sku: line.sku, name: demoBySku.get(line.sku)!.name,
    category: byCategory.get(line.sku) ?? null, quantity: line.quantity, unit_price_minor: line.unitPriceMinor, amount_minor: line.amountMinor,
  }))));
  const e = JSON.stringify(orders.flatMap((x) => x.events.map((ev) => ({ id: ev.id, order_id: x.id, customer_id: x.customerId, stage: ev.stage, from_stage: ev.fromStage, at: iso(ev.at), actor_id: ev.actorId }))));
  const r = JSON.stringify(orders.flatMap((x) => x.returns.map((rt) => ({
    id: rt.id, order_id: x.id, order_line_id: rt.lineId, customer_id: x.customerId, kind: rt.kind, quantity: rt.quantity, amount_minor: rt.amountMinor, reason: rt.reason, outcome: rt.outcome, at: iso(rt.at),
  }))));
  // One statement: the foreign keys are checked at its end, after the orders and lines exist.
  await ctx.db.execute(sql`
    WITH o AS (
      INSERT INTO orders (id, org_id, order_no, customer_id, owner_id, channel, currency, total_minor, status, stage, stage_at, ordered_at, version, created_at, updated_at)
      SELECT x.id, ${orgId}::uuid, x.order_no, x.customer_id, x.owner_id, x.channel, 'CNY', x.total_minor, x.status, x.stage, x.stage_at, x.ordered_at, 1, x.ordered_at, x.stage_at
      FROM json_to_recordset(${o}::json) AS x(id uuid, order_no text, customer_id uuid, owner_id uuid, channel text, total_minor bigint, status text, stage text, stage_at timestamptz, ordered_at timestamptz)
      RETURNING 1
    ), l AS (
      INSERT INTO order_lines (id, org_id, order_id, line_no, product_id, sku, name, category, quantity, unit_price_minor, amount_minor)
      SELECT x.id, ${orgId}::uuid, x.order_id, x.line_no, x.product_id, x.sku, x.name, x.category, x.quantity, x.unit_price_minor, x.amount_minor
      FROM json_to_recordset(${l}::json) AS x(id uuid, order_id uuid, line_no int, product_id uuid, sku text, name text, category text, quantity int, unit_price_minor bigint, amount_minor bigint)
      RETURNING 1
    ), e AS (
      INSERT INTO order_stage_events (id, org_id, order_id, customer_id, stage, from_stage, at, actor_id, correction, created_at)
      SELECT x.id, ${orgId}::uuid, x.order_id, x.customer_id, x.stage, x.from_stage, x.at, x.actor_id, false, x.at
      FROM json_to_recordset(${e}::json) AS x(id uuid, order_id uuid, customer_id uuid, stage text, from_stage text, at timestamptz, actor_id uuid)
      RETURNING 1
    )
    INSERT INTO order_returns (id, org_id, order_id, order_line_id, customer_id, kind, quantity, amount_minor, reason, outcome, status, at, version, created_at)
    SELECT x.id, ${orgId}::uuid, x.order_id, x.order_line_id, x.customer_id, x.kind, x.quantity, x.amount_minor, x.reason, x.outcome, 'completed', x.at, 1, x.at
    FROM json_to_recordset(${r}::json) AS x(id uuid, order_id uuid, order_line_id uuid, customer_id uuid, kind text, quantity int, amount_minor bigint, reason text, outcome text, at timestamptz)`);
}

export async function seedDemoOrders(
  ctx: Ctx,
  raw: SeedDemoOrdersInput,
  opts: { onProgress?: (customersDone: number) => void } = {},
): Promise<SeedDemoOrdersResult> {
  assertCan(ctx.actor, 'order.import');
  assertCan(ctx.actor, 'product.write');
  const input = seedDemoOrdersInput.parse(raw);
  const started = performance.now();
  const productIds = await ensureCatalogue(ctx);
  const byCategory = new Map(demoProducts.map((p) => [p.sku, p.category]));
  const staff = (await rows<{ id: string }>(ctx.db, sql`SELECT id FROM users WHERE org_id = ${ctx.actor.orgId} AND active AND role IN ('agent', 'supervisor') ORDER BY lower(email)`)).map((u) => u.id);
  const generator = new DemoOrderGenerator(input.seed, demoAnchor(ctx.now()), { ordersPerCustomer: input.ordersPerCustomer, newId, staff });
  const result: SeedDemoOrdersResult = { products: productIds.size, customers: 0, orders: 0, lines: 0, events: 0, returns: 0, ms: 0 };
  let after = '00000000-0000-0000-0000-000000000000';
  let pending: Promise<void> = Promise.resolve();
  for (;;) {
    // Customers without orders yet, so that a second run only adds orders for new customers.
    const batch = await rows<{ id: string; owner_id: string | null; created_at: Date | string }>(
      ctx.db,
      sql`SELECT c.id, c.owner_id, c.created_at FROM customers c
        WHERE c.org_id = ${ctx.actor.orgId} AND c.id > ${after}::uuid
          AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.org_id = c.org_id AND o.customer_id = c.id)
        ORDER BY c.id LIMIT ${input.batchSize}`,
    );
    if (!batch.length) break;
    after = batch[batch.length - 1].id;
    const orders = batch.flatMap((c) => generator.ordersOf({ id: c.id, ownerId: c.owner_id, createdAt: new Date(c.created_at) }));
    // The next batch is generated while this one is written.
    await pending;
    const write = writeBatch(ctx, orders, productIds, byCategory);
    write.catch(() => {}); // observed by the next await; avoids an unhandled rejection meanwhile
    pending = write;
    result.customers += batch.length;
    result.orders += orders.length;
    for (const o of orders) {
      result.lines += o.lines.length;
      result.events += o.events.length;
      result.returns += o.returns.length;
    }
    opts.onProgress?.(result.customers);
  }
  await pending;
  result.ms = performance.now() - started;
  await audit(ctx, { action: 'demo.seed_orders', entityType: 'organization', entityId: ctx.actor.orgId, data: { seed: input.seed, ordersPerCustomer: input.ordersPerCustomer, ...result } });
  ctx.log.info({ ...result, ms: Math.round(result.ms) }, 'demo orders seeded');
  return result;
}
