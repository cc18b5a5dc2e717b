import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { rows } from '../../db/open.ts';
import { describeDb } from '../../db/test-harness.ts';
import { createOrganization } from '../../platform/create-organization.ts';
import { FIRST_START_DEMO, organizationHasCustomers, seedFirstStartDemo } from './first-start-demo.ts';
import { keyAccounts } from '../../analytics/key-accounts.ts';
import { makeCtx, systemActor } from '../../platform/context.ts';

describeDb('first-start demo', (get) => {
  it('seeds demo staff and a small set of customers into an empty organization', async () => {
    const { database, db } = get();
    const org = await createOrganization(db, { name: 'Kefu 演示公司', adminEmail: 'admin@kefu.local', adminPassword: 'password-123' });
    expect(await organizationHasCustomers(database, org.orgId)).toBe(false);

    const demo = await seedFirstStartDemo(database, org.orgId);
    expect(demo.result.customers).toBe(FIRST_START_DEMO.customers);
    expect(demo.staff.map((s) => s.email)).toContain('manager1@kefu.local');
    expect(new Set(demo.staff.map((s) => s.role))).toEqual(new Set(['supervisor', 'agent', 'customer_manager', 'analyst']));
    expect(await organizationHasCustomers(database, org.orgId)).toBe(true);
    // A populated service desk: the service orders over those customers, some still open.
    const [so] = await rows<{ n: number; open: number }>(db, sql`
      SELECT count(*)::int AS n, count(*) FILTER (WHERE status IN ('new','assigned','in_progress','waiting_on_customer'))::int AS open
      FROM service_orders WHERE org_id = ${org.orgId}`);
    expect(so.n).toBe(FIRST_START_DEMO.serviceOrders);
    expect(so.open).toBeGreaterThan(0);

    // The service desk has teams out of the box: the agents answer first, the supervisor takes complaints.
    const members = await rows<{ team: string; role: string; members: number }>(db, sql`
      SELECT t.name AS team, u.role, count(*)::int AS members
      FROM teams t JOIN users u ON u.team_id = t.id
      WHERE t.org_id = ${org.orgId} GROUP BY t.name, u.role ORDER BY t.name, u.role`);
    expect(members).toEqual([
      { team: '一线客服', role: 'agent', members: 2 },
      { team: '投诉专席', role: 'supervisor', members: 1 },
    ]);

    // Every customer manager owns customers, and only in the provinces of their territory.
    const owners = await rows<{ email: string; customers: number; outside: number }>(db, sql`
      SELECT u.email, count(c.id)::int AS customers,
             count(c.id) FILTER (WHERE NOT EXISTS (SELECT 1 FROM territories t WHERE t.id = ANY(u.territory_ids) AND c.province_code = ANY(t.region_codes)))::int AS outside
      FROM users u LEFT JOIN customers c ON c.owner_id = u.id
      WHERE u.org_id = ${org.orgId} AND u.role = 'customer_manager' GROUP BY u.email ORDER BY u.email`);
    expect(owners.length).toBe(7);
    for (const o of owners) {
      expect(o.customers, o.email).toBeGreaterThan(0);
      expect(o.outside, o.email).toBe(0);
    }

    // Customer value from the first start: purchase history, RFM classes (all eight present), CLV, segment members, tiers.
    const [v] = await rows<{ scored: number; classes: number; clv: number; members: number; tiers: number }>(db, sql`
      SELECT (SELECT count(*) FROM customer_values WHERE org_id = ${org.orgId} AND rfm_class IS NOT NULL)::int AS scored,
             (SELECT count(DISTINCT rfm_class) FROM customer_values WHERE org_id = ${org.orgId})::int AS classes,
             (SELECT count(*) FROM customer_values WHERE org_id = ${org.orgId} AND clv_minor IS NOT NULL)::int AS clv,
             (SELECT count(*) FROM segment_members m JOIN segments s ON s.id = m.segment_id WHERE s.org_id = ${org.orgId})::int AS members,
             (SELECT count(*) FROM service_tiers WHERE org_id = ${org.orgId})::int AS tiers`);
    expect(v.scored).toBeGreaterThan(FIRST_START_DEMO.customers / 4);
    expect(v.classes).toBe(8);
    expect(v.clv).toBeGreaterThan(0);
    expect(v.members).toBeGreaterThan(0);
    expect(v.tiers).toBeGreaterThan(0);
    // Share of wallet is recorded for the biggest buyers, and some of them are 假大户 (share below the 30% default).
    const ka = await keyAccounts(makeCtx(db, systemActor(org.orgId)), { onlyFlagged: true, limit: 100 });
    expect(ka.items.length).toBeGreaterThan(0);
    expect(ka.items.every((i) => i.falseKeyAccount && i.keyAccount)).toBe(true);
    const lowShare = ka.items.filter((i) => i.reasons.includes('low_wallet_share'));
    expect(lowShare.length).toBeGreaterThan(0);
    expect(lowShare.every((i) => i.walletShare !== null && i.walletShare < 0.3)).toBe(true);
  }, 120_000);
});
