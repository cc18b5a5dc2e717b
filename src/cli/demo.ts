// `kefu demo --customers N [--service-orders M] [--seed S] [--contacts-per-customer K] [--org NAME]`: deterministic demo data.
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { eq, sql } from 'drizzle-orm';
import { withDatabase } from './db.ts';
import type { Db } from '../db/open.ts';
import { createOrganization } from '../platform/create-organization.ts';
import { makeCtx, systemActor } from '../platform/context.ts';
import { organizations } from '../platform/tables.ts';
import { DEMO_PASSWORD, ensureDemoStaff, type DemoStaffMember } from '../customers/demo/ensure-demo-staff.ts';
import { seedDemo, type SeedDemoResult } from '../customers/demo/seed-demo.ts';
import { DEMO_ORG_NAME } from '../server.ts';
import { seedDemoServiceOrders } from '../service/demo/seed-service-orders.ts';
import { seedDemoOrders } from '../orders/demo/seed-demo-orders.ts';
import { seedDemoContactCenter } from '../contact-center/demo/seed-contact-center.ts';
import { seedAnalyticsDemo } from '../analytics/demo/seed-analytics-demo.ts';
import { seedDemoWfm } from '../wfm/demo/seed-wfm.ts';

function positiveInt(name: string) {
  return (v: string): number => {
    const n = Number(v.replace(/_/g, ''));
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number / ${name} 必须是非负整数`);
    return n;
  };
}

/** The named organization, else the first one; created (admin@… with the demo password) when missing. */
async function resolveOrg(db: Db, name: string | undefined): Promise<{ orgId: string; name: string; createdAdmin?: string }> {
  const [found] = name
    ? await db.select({ id: organizations.id, name: organizations.name }).from(organizations).where(eq(organizations.name, name))
    : await db.select({ id: organizations.id, name: organizations.name }).from(organizations).orderBy(organizations.createdAt).limit(1);
  if (found) return { orgId: found.id, name: found.name };
  const orgName = name ?? DEMO_ORG_NAME;
  const slug = name ? `org${Date.now().toString(36)}.kefu.local` : 'kefu.local';
  const org = await createOrganization(db, { name: orgName, adminEmail: `admin@${slug}`, adminPassword: DEMO_PASSWORD, adminName: '管理员' });
  return { orgId: org.orgId, name: orgName, createdAdmin: org.adminEmail };
}

export function printDemoStaff(out: NodeJS.WritableStream, staff: DemoStaffMember[], password: string): void {
  const lines = ['  演示账号 / Demo users:'];
  for (const s of staff) {
    const where = s.territories.length ? `  [${s.territories.join('、')}]` : '';
    lines.push(`    ${s.role.padEnd(17)} ${s.email.padEnd(32)} ${s.name}${where}${s.created ? '' : '  (已存在 / existing)'}`);
  }
  lines.push(`  演示密码 / Demo password: ${password}`);
  out.write(lines.join('\n') + '\n');
}

export function formatSeedResult(r: SeedDemoResult): string {
  const rate = (n: number) => Math.round(n).toLocaleString('en-US');
  return (
    `  客户 / customers: ${r.customers.toLocaleString('en-US')}, 联系记录 / contact logs: ${r.contacts.toLocaleString('en-US')}, ` +
    `${(r.ms / 1000).toFixed(1)} s — ${rate(r.customersPerSecond)} customers/s, ${rate(r.rowsPerSecond)} rows/s`
  );
}

export function registerDemo(program: Command) {
  program
    .command('demo')
    .description('generate deterministic demo customers, contact logs and service orders / 生成演示数据')
    .option('--customers <n>', 'number of customers / 客户数量', positiveInt('--customers'), 0)
    .option('--service-orders <n>', 'service orders over the customers and the last 90 days / 服务单数量', positiveInt('--service-orders'), 0)
    .option('--seed <seed>', 'same seed, same data / 相同种子生成相同数据', '1')
    .option('--contacts-per-customer <k>', 'average contact logs per customer / 每个客户平均联系记录数', positiveInt('--contacts-per-customer'), 3)
    .option('--orders-per-customer <m>', 'average orders per customer (0 … 2M each), for customers without orders / 每个客户平均订单数', positiveInt('--orders-per-customer'), 0)
    .option('--org <name>', 'organization (default: the first; created when missing) / 组织')
    .option('--managers <n>', 'customer managers to create if missing / 客户经理人数', positiveInt('--managers'), 7)
    .option('--batch-size <n>', 'customers per statement / 每批客户数', positiveInt('--batch-size'), 5000)
    .option('--parallel <n>', 'batches written at once (default 2 on PostgreSQL, 1 embedded) / 并行批次', positiveInt('--parallel'))
    .option('--cc-days <n>', 'days of contact center calls up to now (queues, agents and IVR are created too) / 呼叫中心通话天数', positiveInt('--cc-days'), 3)
    .option('--calls-per-day <n>', 'contact center calls per day / 每天通话数', positiveInt('--calls-per-day'), 400)
    .action(async (o: { customers: number; serviceOrders: number; seed: string; contactsPerCustomer: number; ordersPerCustomer: number; org?: string; managers: number; batchSize: number; parallel?: number; ccDays: number; callsPerDay: number }) => {
      await withDatabase(async (database) => {
        const org = await resolveOrg(database.db, o.org);
        const ctx = makeCtx(database.db, systemActor(org.orgId));
        process.stdout.write(`组织 / Organization: ${org.name} (database: ${database.kind})\n`);
        if (org.createdAdmin) process.stdout.write(`  管理员 / Admin: ${org.createdAdmin}  密码 / password: ${DEMO_PASSWORD}\n`);
        const staff = await ensureDemoStaff(ctx, { managers: o.managers });
        printDemoStaff(process.stdout, staff.staff, staff.password);

        const bar = process.stdout.isTTY
          ? new cliProgress.SingleBar({ format: '  {bar} {percentage}% | {value}/{total} customers | {eta_formatted}', hideCursor: true }, cliProgress.Presets.shades_classic)
          : null;
        if (o.customers > 0) {
          bar?.start(o.customers, 0);
          const result = await seedDemo(
            ctx,
            {
              customers: o.customers,
              seed: o.seed,
              contactsPerCustomer: o.contactsPerCustomer,
              batchSize: Math.max(1, o.batchSize),
              parallel: o.parallel ?? (database.kind === 'postgres' ? 2 : 1),
            },
            { onProgress: (done) => bar?.update(done) },
          ).finally(() => bar?.stop());
          process.stdout.write(`${formatSeedResult(result)}\n`);
        }
        if (o.ordersPerCustomer > 0) {
          const orders = await seedDemoOrders(ctx, { ordersPerCustomer: o.ordersPerCustomer, seed: o.seed });
          process.stdout.write(
            `  订单 / orders: ${orders.orders.toLocaleString('en-US')} (${orders.lines.toLocaleString('en-US')} lines, ${orders.events.toLocaleString('en-US')} stage events, ` +
              `${orders.returns.toLocaleString('en-US')} returns) for ${orders.customers.toLocaleString('en-US')} customers, ${(orders.ms / 1000).toFixed(1)} s\n`,
          );
          // Fresh statistics before the value analyses plan over the new rows: without them, RFM over
          // 5,000,000 just-written orders ran for 15 minutes instead of seconds.
          await database.db.execute(sql`ANALYZE customers, orders, order_lines, order_returns`);
          const value = await seedAnalyticsDemo(ctx);
          process.stdout.write(`  客户价值 / customer value: ${value.scored.toLocaleString('en-US')} scored (RFM), ${value.clv}; ${value.segments} segments, ${value.tiers} tiers added\n`);
        }
        if (o.serviceOrders > 0) {
          const so = await seedDemoServiceOrders(ctx, { serviceOrders: o.serviceOrders, seed: o.seed });
          process.stdout.write(
            `  服务单 / service orders: ${so.serviceOrders.toLocaleString('en-US')}, 事件 / events: ${so.events.toLocaleString('en-US')}, ` +
              `回访 / callbacks: ${so.callbacks.toLocaleString('en-US')}, ${(so.ms / 1000).toFixed(1)} s\n`,
          );
        }
        if (o.ccDays > 0) {
          const cc = await seedDemoContactCenter(ctx, { days: o.ccDays, callsPerDay: o.callsPerDay, seed: o.seed });
          process.stdout.write(
            `  呼叫中心 / contact center: ${cc.queues} queues, ${cc.agents} agents, IVR v${cc.ivrVersion}, ` +
              `通话 / calls: ${cc.calls.toLocaleString('en-US')}, 坐席状态 / agent states: ${cc.stateEvents.toLocaleString('en-US')}, ${(cc.ms / 1000).toFixed(1)} s\n`,
          );
        }
        const wfm = await seedDemoWfm(ctx, { seed: o.seed });
        process.stdout.write(`  排班 / WFM: ${wfm.intervals.toLocaleString('en-US')} history intervals, ${wfm.templates} shift templates, ${wfm.agentsAdded} agents added\n`);
      });
    });
}
