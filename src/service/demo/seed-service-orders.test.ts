// `kefu demo --service-orders N`: deterministic (same seed → same orders, events and callbacks in any
// organization and batch size), the asked count, spread over the workflow, and readable by the KPIs.
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { rows, type Db } from '../../db/open.ts';
import { describeDb } from '../../db/test-harness.ts';
import { makeCtx, systemActor, type Ctx } from '../../platform/context.ts';
import { createOrganization } from '../../platform/create-organization.ts';
import { Invalid } from '../../platform/errors.ts';
import { ensureDemoStaff } from '../../customers/demo/ensure-demo-staff.ts';
import { seedDemo } from '../../customers/demo/seed-demo.ts';
import { serviceKpis } from '../kpis/service-kpis.ts';
import { seedDemoServiceOrders, type SeedDemoServiceOrdersResult } from './seed-service-orders.ts';

const now = () => new Date('2026-06-15T10:00:00Z');

async function newOrg(db: Db, name: string): Promise<Ctx> {
  const suffix = Math.random().toString(36).slice(2, 8);
  const org = await createOrganization(db, { name: `${name}-${suffix}`, adminEmail: `admin-${suffix}@demo.test`, adminPassword: 'password-123' });
  const ctx = makeCtx(db, systemActor(org.orgId), { now });
  await ensureDemoStaff(ctx);
  await seedDemo(ctx, { customers: 300, seed: 'cust', contactsPerCustomer: 0 });
  return ctx;
}

/** Orders in generation order (UUIDv7) with their customer, assignee, events and callbacks, as one md5. */
async function fingerprint(db: Db, orgId: string): Promise<string> {
  const [r] = await rows<{ md5: string }>(db, sql`
    SELECT md5(string_agg(concat_ws('|', so.number, so.type, so.priority, so.channel, so.status, so.title, c.name, split_part(u.email, '@', 1),
        so.created_at::text, so.first_response_due_at::text, so.resolution_due_at::text, so.first_responded_at::text, so.resolved_at::text,
        so.closed_at::text, so.sla_state, so.first_response_sla_state, so.resolution_sla_state, so.paused_minutes::text, so.pauses::text,
        so.severity, so.satisfaction::text,
        (SELECT string_agg(e.kind || '@' || e.at::text, ',' ORDER BY e.at, e.id) FROM service_order_events e WHERE e.service_order_id = so.id),
        (SELECT string_agg(cb.status || ':' || coalesce(cb.outcome, '-') || '@' || cb.due_at::text, ',' ORDER BY cb.id) FROM callbacks cb WHERE cb.service_order_id = so.id)),
      E'\\n' ORDER BY so.id)) AS md5
    FROM service_orders so JOIN customers c ON c.id = so.customer_id LEFT JOIN users u ON u.id = so.assignee_user_id
    WHERE so.org_id = ${orgId}`);
  return r.md5;
}

describeDb('kefu demo --service-orders', (get) => {
  const N = 500;
  let a: Ctx;
  let b: Ctx;
  let c: Ctx;
  let resultA: SeedDemoServiceOrdersResult;

  beforeAll(async () => {
    const { db } = get();
    [a, b, c] = [await newOrg(db, 'so-a'), await newOrg(db, 'so-b'), await newOrg(db, 'so-c')];
    resultA = await seedDemoServiceOrders(a, { serviceOrders: N, seed: 'same' });
    await seedDemoServiceOrders(b, { serviceOrders: N, seed: 'same', batchSize: 77 });
    await seedDemoServiceOrders(c, { serviceOrders: N, seed: 'other' });
  }, 300_000);

  it('same seed gives the same orders, events and callbacks in two organizations and batch sizes; another seed differs', async () => {
    const { db } = get();
    const fa = await fingerprint(db, a.actor.orgId);
    expect(fa).toMatch(/^[0-9a-f]{32}$/);
    expect(await fingerprint(db, b.actor.orgId)).toBe(fa);
    expect(await fingerprint(db, c.actor.orgId)).not.toBe(fa);
  });

  it('writes N orders numbered 1…N over the last 90 days, through the workflow, with complaints, breaches and callbacks', async () => {
    const { db } = get();
    const orgId = a.actor.orgId;
    const [s] = await rows<Record<string, number>>(db, sql`
      SELECT count(*)::int AS orders, count(DISTINCT number)::int AS numbers, count(DISTINCT customer_id)::int AS customers,
             min(substr(number, 9)::int)::int AS first_no, max(substr(number, 9)::int)::int AS last_no,
             count(*) FILTER (WHERE created_at < timestamptz '2026-03-17T00:00:00Z' OR created_at >= timestamptz '2026-06-15T00:00:00Z')::int AS outside,
             count(*) FILTER (WHERE status IN ('new','assigned','in_progress','waiting_on_customer'))::int AS open,
             count(*) FILTER (WHERE status = 'closed')::int AS closed,
             count(*) FILTER (WHERE status = 'waiting_on_customer')::int AS waiting,
             count(*) FILTER (WHERE type = 'complaint')::int AS complaints,
             count(*) FILTER (WHERE sla_state = 'breached' OR resolution_sla_state = 'breached')::int AS breached,
             count(*) FILTER (WHERE first_contact_resolved)::int AS fcr,
             count(*) FILTER (WHERE sla_policy_id IS NULL)::int AS no_policy,
             count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM service_order_events e WHERE e.service_order_id = service_orders.id AND e.kind = 'created'))::int AS no_created_event,
             count(*) FILTER (WHERE EXISTS (SELECT 1 FROM service_order_events e WHERE e.service_order_id = service_orders.id AND e.kind = 'reopened'))::int AS reopened,
             (SELECT count(*)::int FROM service_order_events WHERE org_id = ${orgId}) AS events,
             (SELECT count(*)::int FROM callbacks WHERE org_id = ${orgId}) AS callbacks,
             (SELECT last FROM service_order_counters WHERE org_id = ${orgId} AND year = 2026) AS counter
        FROM service_orders WHERE org_id = ${orgId}`);
    expect(resultA).toMatchObject({ serviceOrders: N, events: s.events, callbacks: s.callbacks });
    // 2026-06-15 10:00Z → anchor 2026-06-15 00:00Z; 90 days back is 2026-03-17 00:00Z, all in 2026.
    expect(s).toMatchObject({ orders: N, numbers: N, first_no: 1, last_no: N, counter: N, outside: 0, no_policy: 0, no_created_event: 0 });
    expect(s.customers).toBeGreaterThan(150);
    for (const k of ['open', 'closed', 'complaints', 'breached', 'fcr', 'reopened', 'callbacks'] as const) expect(s[k], k).toBeGreaterThan(0);
    expect(s.events).toBeGreaterThan(N * 3);

    // The KPIs read the demo: every order opened in the window, a backlog, some callback satisfaction.
    const k = await serviceKpis(a, { from: '2026-03-01', to: '2026-06-30', groupBy: 'type' });
    expect(k.total.created).toBe(N);
    expect(k.total.backlog.open).toBe(s.open);
    expect(k.total.resolution.rate).toBeGreaterThan(0);
    expect(k.total.resolution.rate).toBeLessThan(1);
    expect(k.groups.map((g) => g.key).sort()).toEqual(['complaint', 'inquiry', 'installation', 'maintenance', 'repair']);
  });

  it('refuses service orders without customers', async () => {
    const { db } = get();
    const org = await createOrganization(db, { name: `so-empty-${Math.random().toString(36).slice(2, 8)}`, adminEmail: `e${Date.now()}@demo.test`, adminPassword: 'password-123' });
    await expect(seedDemoServiceOrders(makeCtx(db, systemActor(org.orgId), { now }), { serviceOrders: 5 })).rejects.toBeInstanceOf(Invalid);
  });
});
