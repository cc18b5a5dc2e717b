// The demo seeder: queues, agents, IVR and calls, idempotent on a re-run, and the KPIs show the calls.
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { describeDb } from '../../db/test-harness.ts';
import { contactCenterKpis } from '../kpis.ts';
import { ccCalls } from '../tables.ts';
import { seedService } from '../../service/test-setup.ts';
import { seedDemoContactCenter } from './seed-contact-center.ts';

describeDb('contact center: demo data', (get) => {
  it('creates queues, agents, an IVR and a few days of calls once; the dashboards read them', async () => {
    const { db } = get();
    const f = await seedService(db, 'CcDemo');
    f.set('2026-03-05T08:00:00.000Z');
    const first = await seedDemoContactCenter(f.ctx.admin, { days: 2, callsPerDay: 300, agents: 6 });
    expect(first).toMatchObject({ queues: 5, agents: 6, ivrVersion: 1 });
    expect(first.calls).toBeGreaterThan(300);
    expect(first.calls).toBeLessThanOrEqual(600);
    const again = await seedDemoContactCenter(f.ctx.admin, { days: 2, callsPerDay: 300, agents: 6 });
    expect(again).toMatchObject({ queues: 5, agents: 6, ivrVersion: 1, calls: 0 });
    const calls = await db.select().from(ccCalls).where(eq(ccCalls.orgId, f.orgId));
    expect(calls.length).toBe(first.calls);
    expect(calls.some((c) => c.customerId !== null)).toBe(true);
    const k = await contactCenterKpis(f.ctx.supervisor, { from: '2026-03-03T16:00:00.000Z', to: '2026-03-05T16:00:00.000Z', groupBy: 'day' });
    expect(k.total.offered).toBe(first.calls);
    expect(k.total.answerRate).toBeGreaterThan(0.5);
    expect(k.total.occupancy).toBeGreaterThan(0);
    const raw = await contactCenterKpis(f.ctx.supervisor, { from: '2026-03-03T16:00:00.000Z', to: '2026-03-05T16:00:00.000Z', groupBy: 'day', source: 'raw' });
    expect(raw.rows.map((r) => [r.key, r.offered, r.answered])).toEqual(k.rows.map((r) => [r.key, r.offered, r.answered]));
  });
});
