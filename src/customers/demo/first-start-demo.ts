// The demo a fresh installation starts with: demo staff, territories, a small set of customers and service orders,
// so the first login shows a working product rather than empty lists.
import type { Logger } from 'pino';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/open.ts';
import { makeCtx, systemActor } from '../../platform/context.ts';
import { customers } from '../tables.ts';
import { ensureDemoStaff, type DemoStaffMember } from './ensure-demo-staff.ts';
import { seedDemo, type SeedDemoResult } from './seed-demo.ts';
import { seedDemoServiceOrders } from '../../service/demo/seed-service-orders.ts';
import { seedDemoContactCenter } from '../../contact-center/demo/seed-contact-center.ts';
import { seedDemoOrders } from '../../orders/demo/seed-demo-orders.ts';
import { seedAnalyticsDemo } from '../../analytics/demo/seed-analytics-demo.ts';
import { seedDemoWalletEstimates } from '../../analytics/ui-demo-wallet.ts';
import { seedDemoWfm } from '../../wfm/demo/seed-wfm.ts';

export const FIRST_START_DEMO = { customers: 2_000, seed: 'kefu', contactsPerCustomer: 3, serviceOrders: 300 } as const;
/** Orders per customer on the first start, so the analytics pages (RFM, CLV, segments, tiers) show something. */
export const FIRST_START_ORDERS_PER_CUSTOMER = 6;

export async function organizationHasCustomers(database: Database, orgId: string): Promise<boolean> {
  const [row] = await database.db.select({ one: sql<number>`1` }).from(customers).where(sql`${customers.orgId} = ${orgId}`).limit(1);
  return Boolean(row);
}

export async function seedFirstStartDemo(
  database: Database,
  orgId: string,
  opts: { log?: Logger; now?: () => Date } = {},
): Promise<{ staff: DemoStaffMember[]; password: string; result: SeedDemoResult }> {
  const ctx = makeCtx(database.db, systemActor(orgId), opts);
  const { staff, password } = await ensureDemoStaff(ctx);
  const { serviceOrders, ...customerDemo } = FIRST_START_DEMO;
  const result = await seedDemo(ctx, { ...customerDemo, parallel: database.kind === 'postgres' ? 2 : 1 });
  // A populated service desk too: open, at-risk and breached orders, complaints and callbacks.
  await seedDemoServiceOrders(ctx, { serviceOrders, seed: FIRST_START_DEMO.seed });
  // A contact center with queues, agents, an IVR menu and three days of calls.
  await seedDemoContactCenter(ctx, { days: 3, callsPerDay: 400, seed: FIRST_START_DEMO.seed });
  // Purchase history, then the demo segments and tiers with the first customer value refresh (RFM, CLV, members).
  await seedDemoOrders(ctx, { ordersPerCustomer: FIRST_START_ORDERS_PER_CUSTOMER, seed: FIRST_START_DEMO.seed });
  // Planner statistics for the tables just filled: PGlite has no autovacuum, and without them the analytics joins
  // pick nested loops over whole-organization index scans (key accounts: 20 s instead of 40 ms on 2,000 customers).
  await database.db.execute(sql`ANALYZE`);
  await seedDemoWalletEstimates(database.db, orgId, ctx.now());
  await seedAnalyticsDemo(ctx);
  await database.db.execute(sql`ANALYZE`);
  // Six weeks of front-line interval volumes and a few shift templates, so the WFM planner has something to plan.
  await seedDemoWfm(ctx, { seed: FIRST_START_DEMO.seed });
  return { staff, password, result };
}
