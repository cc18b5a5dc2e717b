import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { rows, type Db } from '../../db/open.ts';
import { describeDb } from '../../db/test-harness.ts';
import { makeCtx, systemActor, type Ctx } from '../../platform/context.ts';
import { createOrganization } from '../../platform/create-organization.ts';
import { ensureDemoStaff } from '../../customers/demo/ensure-demo-staff.ts';
import { seedDemo } from '../../customers/demo/seed-demo.ts';
import { runReplenishment } from '../run-replenishment.ts';
import { stageBoard } from '../stage-board.ts';
import { seedDemoOrders } from './seed-demo-orders.ts';

const now = () => new Date('2026-06-15T10:00:00Z');

async function newOrg(db: Db, name: string): Promise<Ctx> {
  const suffix = Math.random().toString(36).slice(2, 8);
  const org = await createOrganization(db, { name: `${name}-${suffix}`, adminEmail: `admin-${suffix}@demo.test`, adminPassword: 'password-123' });
  const ctx = makeCtx(db, systemActor(org.orgId), { now });
  await ensureDemoStaff(ctx);
  return ctx;
}

/** Orders of an organization in customer generation order, without ids or order numbers. */
async function fingerprint(db: Db, orgId: string): Promise<string> {
  const [f] = await rows<{ md5: string }>(db, sql`
    SELECT md5(string_agg(concat_ws('|', c.name, o.channel, o.total_minor, o.status, o.stage, o.ordered_at::text, o.stage_at::text,
      (SELECT string_agg(concat_ws(':', l.sku, l.quantity, l.amount_minor), ',' ORDER BY l.line_no) FROM order_lines l WHERE l.order_id = o.id),
      (SELECT string_agg(concat_ws(':', e.stage, e.at::text), ',' ORDER BY e.at) FROM order_stage_events e WHERE e.order_id = o.id),
      (SELECT string_agg(concat_ws(':', r.kind, r.quantity, r.amount_minor, r.reason), ',') FROM order_returns r WHERE r.order_id = o.id)),
      E'\\n' ORDER BY c.id, o.ordered_at, o.id)) AS md5
    FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.org_id = ${orgId}`);
  return f.md5;
}

describeDb('kefu demo --orders-per-customer', (get) => {
  it('writes the catalogue and consistent orders, the same for the same seed, whatever the batch size; a second run touches only customers without orders', async () => {
    const { db } = get();
    const a = await newOrg(db, 'orders-a');
    const b = await newOrg(db, 'orders-b');
    const c = await newOrg(db, 'orders-c');
    for (const ctx of [a, b, c]) await seedDemo(ctx, { customers: 150, seed: 's', contactsPerCustomer: 0 });
    const ra = await seedDemoOrders(a, { ordersPerCustomer: 3, seed: 's' });
    await seedDemoOrders(b, { ordersPerCustomer: 3, seed: 's', batchSize: 7 });
    await seedDemoOrders(c, { ordersPerCustomer: 3, seed: 'other' });
    expect(ra.products).toBe(15);
    expect(ra.customers).toBe(150);
    // 0 … 6 orders each: about 3 on average.
    expect(ra.orders).toBeGreaterThan(150 * 2);
    expect(ra.orders).toBeLessThan(150 * 4);
    expect(await fingerprint(db, a.actor.orgId)).toBe(await fingerprint(db, b.actor.orgId));
    expect(await fingerprint(db, c.actor.orgId)).not.toBe(await fingerprint(db, a.actor.orgId));

    const [check] = await rows<{ orders: string; bad_total: string; bad_status: string; bad_stage: string; future: string; over_returned: string; events: string; returns: string }>(db, sql`
      SELECT COUNT(*)::text AS orders,
        COUNT(*) FILTER (WHERE o.total_minor <> (SELECT SUM(amount_minor) FROM order_lines l WHERE l.order_id = o.id))::text AS bad_total,
        COUNT(*) FILTER (WHERE (o.status = 'completed') <> (o.stage = 'feedback'))::text AS bad_status,
        COUNT(*) FILTER (WHERE (o.stage, o.stage_at) <> (SELECT e.stage, e.at FROM order_stage_events e WHERE e.order_id = o.id ORDER BY e.at DESC LIMIT 1))::text AS bad_stage,
        COUNT(*) FILTER (WHERE o.stage_at >= '2026-06-15T00:00:00Z')::text AS future,
        (SELECT COUNT(*) FROM order_returns r JOIN order_lines l ON l.id = r.order_line_id WHERE r.org_id = ${a.actor.orgId} AND r.quantity > l.quantity)::text AS over_returned,
        (SELECT COUNT(*) FROM order_stage_events WHERE org_id = ${a.actor.orgId})::text AS events,
        (SELECT COUNT(*) FROM order_returns WHERE org_id = ${a.actor.orgId})::text AS returns
      FROM orders o WHERE o.org_id = ${a.actor.orgId}`);
    expect(check).toEqual({ orders: String(ra.orders), bad_total: '0', bad_status: '0', bad_stage: '0', future: '0', over_returned: '0', events: String(ra.events), returns: String(ra.returns) });

    // The board and the replenishment job work on the demo data.
    const board = await stageBoard(a, {});
    expect(board.stages.reduce((s, x) => s + x.open, 0)).toBeGreaterThan(0);
    const rep = await runReplenishment(a, { asOf: now() });
    expect(rep.created).toBeGreaterThan(0);

    // A second run only considers customers that still have no orders (those drawn 0 the first time).
    const [without] = await rows<{ n: string }>(db, sql`SELECT COUNT(*)::text AS n FROM customers c WHERE c.org_id = ${a.actor.orgId}
      AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)`);
    const before = ra.orders;
    const again = await seedDemoOrders(a, { ordersPerCustomer: 3, seed: 's' });
    expect(again.customers).toBe(Number(without.n));
    const [total] = await rows<{ n: string }>(db, sql`SELECT COUNT(*)::text AS n FROM orders WHERE org_id = ${a.actor.orgId}`);
    expect(Number(total.n)).toBe(before + again.orders);
  }, 180_000);
});
