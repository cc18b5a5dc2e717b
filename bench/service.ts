// `npm run bench -- --only service`: the figures the service-desk issue names, on PostgreSQL with
// 1,000,000 customers, 5,000,000 orders and 1,000,000 service orders (seeded once with `kefu demo`
// into the bench database and reused):
//   - create a service order under 32 clients: p99 ≤ 50 ms and ≥ 40% of the bare SQL inserts' throughput;
//   - "my open service orders" and "at risk" views: p99 ≤ 50 ms;
//   - the SLA scan over all open service orders: ≤ 5 s;
//   - the replenishment job over all customers: ≤ 60 s.
// Run alone: npx tsx bench/service.ts [--customers N] [--seconds S] [--concurrency C] [--workers W]
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import pino from 'pino';
import { openDatabase, rows } from '../src/db/open.ts';
import { sql } from 'drizzle-orm';
import { makeCtx, systemActor } from '../src/platform/context.ts';
import { scanSla } from '../src/service/scan-sla.ts';
import { runReplenishmentJob } from '../src/orders/jobs.ts';
import { recordingJobQueue } from '../src/jobs/queue.ts';
import { runLoad, percentile, type LoadResult } from './lib/load.ts';
import { loginToken, startBenchServer } from './lib/server.ts';

const { values: args } = parseArgs({
  options: {
    customers: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '32' },
    workers: { type: 'string', default: String(Math.min(2, os.cpus().length)) },
    warmup: { type: 'string', default: '5' },
    only: { type: 'string', default: 'create,views,scan,replenishment' },
    'pg-url': { type: 'string', default: process.env.KEFU_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kefu_bench' },
  },
  allowPositionals: true,
  strict: false,
});

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const url = String(args['pg-url']);
const n = Number(args.customers);
const seconds = Number(args.seconds);
const concurrency = Number(args.concurrency);
const warmup = Number(args.warmup);
const only = new Set(String(args.only).split(','));
const ORG = 'Bench';
const ADMIN = { email: 'bench@kefu.local', password: 'bench-password-1' };
const DEMO_PASSWORD = 'kefu-demo-2025';
const log = (line: string) => process.stdout.write(`${line}\n`);
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

function kefu(argv: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/kefu.js'), ...argv], {
    env: { ...process.env, DATABASE_URL: url, KEFU_LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`kefu ${argv.join(' ')} failed`);
}

async function ensureData(): Promise<void> {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  u.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: u.toString() });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount;
  if (!exists) await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  // A missing table (a database not migrated yet) counts as empty; any other error stops the bench.
  const count = async (q: string) => {
    try {
      return Number((await c.query(q)).rows[0].n);
    } catch (e) {
      if ((e as { code?: string }).code === '42P01') return 0;
      throw e;
    }
  };
  const orgs = await count(`SELECT count(*) AS n FROM organizations WHERE name = '${ORG}'`);
  if (!orgs) kefu(['org', 'create', '--name', ORG, '--admin-email', ADMIN.email, '--admin-password', ADMIN.password]);
  const customers = await count('SELECT count(*) AS n FROM customers');
  const orders = await count('SELECT count(*) AS n FROM orders');
  const serviceOrders = await count('SELECT count(*) AS n FROM service_orders');
  await c.end();
  if (customers < n || orders < 5 * n * 0.9 || serviceOrders < n) {
    if (customers > 0 && customers < n) throw new Error(`the bench database has ${customers} customers, fewer than ${n}: drop it (${url}) to seed again`);
    log(`  seeding with \`kefu demo\` (once; reused by later runs) …`);
    const t0 = performance.now();
    // Orders are generated for customers without orders; service orders are added to reach n.
    kefu(['demo', '--org', ORG, '--seed', '42', '--customers', String(customers ? 0 : n), '--orders-per-customer', orders < 5 * n * 0.9 ? '5' : '0', '--service-orders', String(Math.max(0, n - serviceOrders))]);
    log(`  seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const c3 = new pg.Client({ connectionString: url });
    await c3.connect();
    await c3.query('VACUUM ANALYZE');
    await c3.end();
  }
}

function fmt(label: string, r: LoadResult, target = 50): string {
  const ok = r.p99 <= target && r.errors === 0;
  return `  ${label.padEnd(40)} ${r.requests.toLocaleString().padStart(8)} req  ${r.rps.toFixed(0).padStart(5)} req/s  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  errors ${r.errors}  ${verdict(ok)} (p99 ≤ ${target} ms)`;
}

/** The bare SQL a service-order create amounts to, from `concurrency` connections: the number counter,
 *  the order row, its event and the audit row, in one transaction. The floor for the use case. */
async function bareInserts(orgId: string, customerIds: string[], userId: string): Promise<LoadResult> {
  const pool = new pg.Pool({ connectionString: url, max: concurrency });
  const latencies: number[] = [];
  let errors = 0;
  let i = 0;
  const year = new Date().getUTCFullYear();
  const deadline = performance.now() + seconds * 1000;
  const t0 = performance.now();
  const worker = async () => {
    const client = await pool.connect();
    try {
      while (performance.now() < deadline) {
        const k = i++;
        const s = performance.now();
        try {
          await client.query('BEGIN');
          const num = await client.query(
            `INSERT INTO service_order_counters (org_id, year, last) VALUES ($1, $2, 1)
             ON CONFLICT (org_id, year) DO UPDATE SET last = service_order_counters.last + 1 RETURNING last`,
            [orgId, year + 100],
          );
          const id = await client.query(
            `INSERT INTO service_orders (id, org_id, number, type, customer_id, channel, priority, title, description, status, created_at, updated_at)
             VALUES (gen_random_uuid(), $1, $2, 'repair', $3, 'phone', 'normal', $4, '', 'new', now(), now()) RETURNING id`,
            [orgId, `BARE-${num.rows[0].last}`, customerIds[k % customerIds.length], `bench bare ${k}`],
          );
          await client.query(
            `INSERT INTO service_order_events (id, org_id, service_order_id, customer_id, actor_id, kind, data, at) VALUES (gen_random_uuid(), $1, $2, $3, $4, 'created', '{}', now())`,
            [orgId, id.rows[0].id, customerIds[k % customerIds.length], userId],
          );
          await client.query(
            `INSERT INTO audit_log (id, org_id, actor_id, action, entity_type, entity_id, data, at) VALUES (gen_random_uuid(), $1, $2, 'service_order.create', 'service_order', $3, '{}', now())`,
            [orgId, userId, id.rows[0].id],
          );
          await client.query('COMMIT');
        } catch {
          errors++;
          await client.query('ROLLBACK').catch(() => undefined);
        }
        latencies.push(performance.now() - s);
      }
    } finally {
      client.release();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const secs = (performance.now() - t0) / 1000;
  // The bench's own rows go again, so reruns measure the same table.
  const c = await pool.connect();
  await c.query(`DELETE FROM service_order_events e USING service_orders so WHERE so.id = e.service_order_id AND so.number LIKE 'BARE-%'`);
  await c.query(`DELETE FROM audit_log WHERE action = 'service_order.create' AND entity_id IN (SELECT id FROM service_orders WHERE number LIKE 'BARE-%')`);
  await c.query(`DELETE FROM service_orders WHERE number LIKE 'BARE-%'`);
  await c.query(`DELETE FROM service_order_counters WHERE year = $1`, [year + 100]);
  c.release();
  await pool.end();
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, errors, seconds: secs, rps: latencies.length / secs, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), max: latencies[latencies.length - 1] };
}

async function main() {
  log(`service desk (PostgreSQL ${url.replace(/\/\/[^@]*@/, '//')}, ${n.toLocaleString()} customers; ${concurrency} clients, ${seconds} s per run, ${args.workers} server processes)`);
  await ensureData();
  const database = await openDatabase({ kind: 'postgres', url });
  const [org] = await rows<{ id: string }>(database.db, sql`SELECT id FROM organizations WHERE name = ${ORG}`);
  const customerIds = (await rows<{ id: string }>(database.db, sql`SELECT id FROM customers WHERE org_id = ${org.id} ORDER BY md5(id::text) LIMIT 2000`)).map((r) => r.id);
  const [adminUser] = await rows<{ id: string }>(database.db, sql`SELECT id FROM users WHERE email = ${ADMIN.email}`);
  const pgc = new pg.Client({ connectionString: url });
  await pgc.connect();
  await pgc.query('CREATE EXTENSION IF NOT EXISTS pg_prewarm');
  await pgc.query(`SELECT sum(pg_prewarm(oid)) FROM pg_class WHERE relname IN ('service_orders','customers','users') OR oid IN
    (SELECT indexrelid FROM pg_index WHERE indrelid IN ('service_orders'::regclass, 'customers'::regclass))`);
  await pgc.end();

  if (only.has('create') || only.has('views')) {
    const server = await startBenchServer({ root, env: { DATABASE_URL: url }, port: 3950, workers: String(args.workers), login: ADMIN });
    try {
      if (only.has('create')) {
        const create = (seconds_: number) =>
          runLoad({
            baseUrl: server.base,
            token: server.token,
            concurrency,
            seconds: seconds_,
            method: 'POST',
            okStatus: [201],
            nextPath: () => '/api/service-orders',
            body: (i) => JSON.stringify({ type: 'repair', customerId: customerIds[i % customerIds.length], title: `bench ${i}`, channel: 'phone', priority: 'normal' }),
          });
        if (warmup > 0) await create(warmup);
        const app = await create(seconds);
        const bare = await bareInserts(org.id, customerIds, adminUser.id);
        log(fmt(`create service order (API)`, app));
        log(`  ${'  bare SQL inserts (same rows)'.padEnd(40)} ${bare.requests.toLocaleString().padStart(8)} tx   ${bare.rps.toFixed(0).padStart(5)} tx/s   p50 ${bare.p50.toFixed(1)} ms  p99 ${bare.p99.toFixed(1)} ms`);
        const share = app.rps / bare.rps;
        log(`  ${'  API throughput / bare inserts'.padEnd(40)} ${(share * 100).toFixed(1)}%  ${verdict(share >= 0.4)} (≥ 40%)`);
      }
      if (only.has('views')) {
        // The demo agent with the most open orders: "my open service orders" for them.
        const [mine] = await rows<{ email: string; open: number }>(
          database.db,
          sql`SELECT u.email, count(*)::int AS open FROM service_orders so JOIN users u ON u.id = so.assignee_user_id
              WHERE so.org_id = ${org.id} AND so.status IN ('new','assigned','in_progress','waiting_on_customer') GROUP BY u.email ORDER BY 2 DESC LIMIT 1`,
        );
        const [risk] = await rows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM service_orders WHERE org_id = ${org.id} AND sla_state = 'at_risk' AND status IN ('new','assigned','in_progress','waiting_on_customer')`);
        const agentToken = mine ? await loginToken(server.base, { email: mine.email, password: DEMO_PASSWORD }) : server.token;
        for (const [label, token, p] of [
          [`view=mine (${mine?.email ?? 'admin'}: ${mine?.open ?? 0} open)`, agentToken, '/api/service-orders?view=mine&limit=50'],
          [`view=at-risk (${risk.n} at risk)`, server.token, '/api/service-orders?view=at-risk&limit=50'],
        ] as const) {
          const opts = { baseUrl: server.base, token, concurrency, seconds, nextPath: () => p };
          if (warmup > 0) await runLoad({ ...opts, seconds: warmup });
          log(fmt(label, await runLoad(opts)));
        }
      }
    } finally {
      await server.stop();
    }
  }

  const log_ = pino({ level: 'warn' });
  if (only.has('scan')) {
    const [open] = await rows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM service_orders WHERE status IN ('new','assigned','in_progress','waiting_on_customer')`);
    const [floor] = await timed(() => rows(database.db, sql`SELECT count(*) FILTER (WHERE next_due_at < now()) FROM service_orders WHERE status IN ('new','assigned','in_progress','waiting_on_customer')`));
    // A scan three days ahead finds every open order at risk or breached and escalates it: the most work
    // one scan can have. Run inside a transaction that is rolled back, so every run does the same work.
    const later = new Date(Date.now() + 3 * 86_400_000);
    let scanMs = 0;
    let r: Awaited<ReturnType<typeof scanSla>> | undefined;
    await database.db
      .transaction(async (tx) => {
        const ctx = makeCtx(tx as unknown as typeof database.db, systemActor(org.id), { log: pino({ level: 'warn' }) });
        [scanMs, r] = await timed(() => scanSla(ctx, { allOrganizations: true, now: later }));
        throw new Error('rollback');
      })
      .catch((e: unknown) => {
        if (!(e instanceof Error && e.message === 'rollback')) throw e;
      });
    log(`  SLA scan over ${open.n.toLocaleString()} open service orders, 3 days ahead   ${(scanMs / 1000).toFixed(2)} s  (at risk ${r!.atRisk}, breached ${r!.breached}, escalations ${r!.escalations}, actions ${r!.actionsApplied})  ${verdict(scanMs <= 5000)} (≤ 5 s); floor (one count over the same rows) ${(floor / 1000).toFixed(2)} s`);
  }

  if (only.has('replenishment')) {
    // Each run reminds once per due date: forget the bench's earlier reminders so every run does the same work.
    await database.db.execute(sql`DELETE FROM outbox_messages WHERE dedupe_key LIKE 'replenishment%'`);
    await database.db.execute(sql`DELETE FROM replenishment_reminders WHERE org_id = ${org.id}`);
    const [counts] = await rows<{ customers: number; orders: number }>(database.db, sql`SELECT (SELECT count(*) FROM customers WHERE org_id = ${org.id})::int AS customers, (SELECT count(*) FROM orders WHERE org_id = ${org.id})::int AS orders`);
    const [floor] = await timed(() => rows(database.db, sql`SELECT count(*) FROM (SELECT o.customer_id, l.product_id, max(o.ordered_at) FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE o.org_id = ${org.id} GROUP BY 1, 2) t`));
    const env = { db: database.db, log: log_, now: () => new Date(), jobs: recordingJobQueue() };
    const [ms, r] = await timed(() => runReplenishmentJob(env, { orgId: org.id, localDate: new Date().toISOString().slice(0, 10) }, { parallel: 2 }));
    log(`  replenishment job (${counts.customers.toLocaleString()} customers, ${counts.orders.toLocaleString()} orders)   ${(ms / 1000).toFixed(1)} s  (reminders ${r.run.created.toLocaleString()}, messages ${r.queued.toLocaleString()}, tasks ${r.notified.toLocaleString()}; steps ${(r.ms.reminders / 1000).toFixed(1)} + ${(r.ms.messages / 1000).toFixed(1)} + ${(r.ms.tasks / 1000).toFixed(1)} s)  ${verdict(ms <= 60_000)} (≤ 60 s); floor (last purchase per customer and product) ${(floor / 1000).toFixed(1)} s`);
  }
  await database.close();
}

async function timed<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await f();
  return [performance.now() - t0, r];
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
