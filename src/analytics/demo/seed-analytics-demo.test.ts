// The demo organization's analytics: default segments and tiers, and data on which the analyses say
// something (several RFM classes, churned and active customers, a concentrated Pareto curve).
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { rows } from '../../db/open.ts';
import { describeDb } from '../../db/test-harness.ts';
import { makeCtx, systemActor } from '../../platform/context.ts';
import { createOrganization } from '../../platform/create-organization.ts';
import { ensureDemoStaff } from '../../customers/demo/ensure-demo-staff.ts';
import { seedDemo } from '../../customers/demo/seed-demo.ts';
import { seedDemoOrders } from '../../orders/demo/seed-demo-orders.ts';
import { paretoAnalysis } from '../pareto.ts';
import { rfmSummary } from '../rfm.ts';
import { listTiers } from '../tiers.ts';
import { seedAnalyticsDemo } from './seed-analytics-demo.ts';

describeDb('kefu demo: customer value', (get) => {
  it('adds default segments and tiers once, scores RFM, fits the value model and fills the segments', async () => {
    const { db } = get();
    const org = await createOrganization(db, { name: `analytics-demo-${Math.random().toString(36).slice(2, 8)}`, adminEmail: `a-${Math.random().toString(36).slice(2, 8)}@demo.test`, adminPassword: 'password-123' });
    const ctx = makeCtx(db, systemActor(org.orgId), { now: () => new Date('2026-06-15T10:00:00Z') });
    await ensureDemoStaff(ctx);
    await seedDemo(ctx, { customers: 400, seed: 'v', contactsPerCustomer: 0 });
    await seedDemoOrders(ctx, { ordersPerCustomer: 4, seed: 'v' });
    const r = await seedAnalyticsDemo(ctx);
    expect(r).toMatchObject({ segments: 4, tiers: 3 });
    expect(r.scored).toBeGreaterThan(200);
    const again = await seedAnalyticsDemo(ctx);
    expect(again).toMatchObject({ segments: 0, tiers: 0 });
    expect((await listTiers(ctx)).map((t) => t.code).sort()).toEqual(['gold', 'silver', 'winback']);

    const summary = await rfmSummary(ctx);
    expect(summary.classes.filter((c) => c.customers > 0).length).toBeGreaterThanOrEqual(6);
    // Recency varies: some customers last bought long ago, some recently.
    const [spread] = await rows<{ old: number; recent: number; members: number }>(db, sql`SELECT
      count(*) FILTER (WHERE recency_days > 180)::int AS old, count(*) FILTER (WHERE recency_days < 60)::int AS recent,
      (SELECT count(*)::int FROM segment_members WHERE org_id = ${org.orgId}::uuid) AS members
      FROM customer_values WHERE org_id = ${org.orgId}::uuid AND rfm_class IS NOT NULL`);
    expect(spread!.old).toBeGreaterThan(20);
    expect(spread!.recent).toBeGreaterThan(20);
    expect(spread!.members).toBeGreaterThan(50);
    const p = await paretoAnalysis(ctx);
    expect(p.topShare).toBeGreaterThan(0.4);
  }, 600_000);
});
