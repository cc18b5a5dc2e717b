// The demo a fresh installation starts with: demo staff, territories and a small set of customers,
// so the first login shows a working product rather than empty lists.
import type { Logger } from 'pino';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/open.ts';
import { makeCtx, systemActor } from '../../platform/context.ts';
import { customers } from '../tables.ts';
import { ensureDemoStaff, type DemoStaffMember } from './ensure-demo-staff.ts';
import { seedDemo, type SeedDemoResult } from './seed-demo.ts';

export const FIRST_START_DEMO = { customers: 2_000, seed: 'kefu', contactsPerCustomer: 3 } as const;

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
  const result = await seedDemo(ctx, { ...FIRST_START_DEMO, parallel: database.kind === 'postgres' ? 2 : 1 });
  return { staff, password, result };
}
