// `npm run bench`: every benchmark. The customer sections (search, list, export, import) run here on
// PostgreSQL (1,000,000 customers) and PGlite (100,000); the other suites are files of their own in
// bench/ (service.ts, analytics.ts, wfm-*.ts, …), run one after another with the remaining arguments.
//   npm run bench                      everything
//   npm run bench -- --target postgres --customers 1000000 --only search,list
//   npm run bench -- --only service    one suite at the sizes (alone, with its own flags: npx tsx bench/service.ts --seconds 10)
// Data is seeded once with `kefu demo` and reused on later runs (bench/.data and database kefu_bench).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { openDatabase, rows } from '../src/db/open.ts';
import { sql } from 'drizzle-orm';
import { runLoad, type LoadResult } from './lib/load.ts';
import { startBenchServer } from './lib/server.ts';
import { COPY_COLUMNS, writeImportCsv } from './lib/import-file.ts';

const { values: args } = parseArgs({
  options: {
    target: { type: 'string', default: 'both' }, // postgres | pglite | both
    customers: { type: 'string' }, // overrides the per-target size
    only: { type: 'string', default: 'search,list,export,import,suites' },
    seconds: { type: 'string', default: '30' },
    concurrency: { type: 'string', default: '32' },
    // HTTP worker processes on PostgreSQL (KEFU_WORKERS); the embedded database always runs one.
    workers: { type: 'string', default: String(Math.min(2, os.cpus().length)) },
    warmup: { type: 'string', default: '5' },
    'pg-url': { type: 'string', default: process.env.KEFU_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kefu_bench' },
  },
});

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dataRoot = path.join(root, 'bench', '.data');
fs.mkdirSync(dataRoot, { recursive: true });
const sections = new Set(args.only.split(','));
const seconds = Number(args.seconds);
const concurrency = Number(args.concurrency);
const warmupSeconds = Number(args.warmup);
const ORG = 'Bench';
const ADMIN = { email: 'bench@kefu.local', password: 'bench-password-1' };

type Target = { kind: 'postgres'; url: string; n: number } | { kind: 'pglite'; dataDir: string; n: number };

function log(line: string) {
  process.stdout.write(`${line}\n`);
}

function kefu(target: Target, argv: string[], extraEnv: Record<string, string> = {}) {
  const env = { ...process.env, ...envFor(target), KEFU_LOG_LEVEL: 'warn', ...extraEnv };
  const r = spawnSync(process.execPath, [path.join(root, 'bin/kefu.js'), ...argv], { env, encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`kefu ${argv.join(' ')} failed:\n${r.stdout}`);
  return r.stdout;
}

function envFor(target: Target): Record<string, string> {
  return target.kind === 'postgres' ? { DATABASE_URL: target.url } : { KEFU_DATA_DIR: target.dataDir, DATABASE_URL: '' };
}

function dbTarget(target: Target) {
  return target.kind === 'postgres' ? ({ kind: 'postgres', url: target.url } as const) : ({ kind: 'pglite', dataDir: path.join(target.dataDir, 'pglite') } as const);
}

async function ensurePgDatabase(url: string, recreate = false) {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  u.pathname = '/postgres';
  const c = new pg.Client({ connectionString: u.toString() });
  await c.connect();
  if (recreate) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (!exists.rowCount) await c.query(`CREATE DATABASE ${name}`);
  await c.end();
}

async function customerCount(target: Target): Promise<number> {
  if (target.kind === 'postgres') await ensurePgDatabase(target.url);
  const database = await openDatabase(dbTarget(target));
  try {
    const r = await rows<{ n: number }>(
      database.db,
      sql`SELECT count(*)::int AS n FROM customers c JOIN organizations o ON o.id = c.org_id WHERE o.name = ${ORG}`,
    );
    return r[0].n;
  } finally {
    await database.close();
  }
}

async function seed(target: Target) {
  const have = await customerCount(target);
  if (have >= target.n) {
    log(`  data: ${have.toLocaleString()} customers already seeded`);
    return;
  }
  log(`  seeding ${target.n.toLocaleString()} customers with \`kefu demo\` (once; reused by later runs) …`);
  if (target.kind === 'postgres') await ensurePgDatabase(target.url, true);
  else fs.rmSync(target.dataDir, { recursive: true, force: true });
  kefu(target, ['org', 'create', '--name', ORG, '--admin-email', ADMIN.email, '--admin-password', ADMIN.password]);
  const t0 = performance.now();
  kefu(target, ['demo', '--customers', String(target.n), '--seed', '42', '--org', ORG]);
  const s = (performance.now() - t0) / 1000;
  log(`  seeded in ${s.toFixed(1)} s (${Math.round(target.n / s).toLocaleString()} customers/s incl. contact logs)`);
  if (target.kind === 'postgres') {
    const c = new pg.Client({ connectionString: target.url });
    await c.connect();
    await c.query('VACUUM ANALYZE');
    await c.end();
  }
}

interface Samples {
  names: string[];
  initials: string[];
  digits: string[];
  provinces: string[];
  tags: string[];
}

async function sampleQueries(target: Target): Promise<Samples> {
  const database = await openDatabase(dbTarget(target));
  try {
    const r = await rows<{ name: string; initials: string; phone: string | null; province: string | null }>(
      database.db,
      sql`SELECT name, name_initials AS initials, phones[1] AS phone, province_code AS province
          FROM customers WHERE kind = 'person' ORDER BY md5(id::text) LIMIT 400`,
    );
    const tags = await rows<{ tag: string }>(database.db, sql`SELECT DISTINCT unnest(tags) AS tag FROM (SELECT tags FROM customers LIMIT 5000) t`);
    let k = 0;
    const pick = (s: string, len: number) => {
      const chars = [...s];
      if (chars.length <= len) return s;
      const start = k++ % (chars.length - len + 1);
      return chars.slice(start, start + len).join('');
    };
    return {
      names: r.map((x) => pick(x.name, 2)),
      initials: r.map((x) => x.initials).filter((s) => s.length >= 2),
      digits: r.filter((x) => x.phone).map((x, i) => pick(x.phone!, 4 + (i % 4))),
      provinces: [...new Set(r.map((x) => x.province).filter((p): p is string => !!p))],
      tags: tags.map((t) => t.tag),
    };
  } finally {
    await database.close();
  }
}

async function startServer(target: Target, port: number) {
  const workers = target.kind === 'postgres' ? args.workers : '1';
  const server = await startBenchServer({ root, env: envFor(target), port, workers, login: ADMIN });
  log(`  server: ${workers} process${workers === '1' ? '' : 'es'} (KEFU_WORKERS)`);
  return server;
}

/** A load run after an unmeasured warm-up of the same requests (caches and prepared statements filled). */
async function load(opts: Parameters<typeof runLoad>[0]): Promise<LoadResult> {
  if (warmupSeconds > 0) await runLoad({ ...opts, seconds: warmupSeconds });
  return runLoad(opts);
}

function fmtLoad(label: string, r: LoadResult, target = 50) {
  const ok = r.p99 <= target && r.errors === 0;
  return `  ${label.padEnd(34)} ${r.requests.toLocaleString().padStart(8)} req  ${r.rps.toFixed(0).padStart(5)} req/s  p50 ${r.p50.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  errors ${r.errors}  ${ok ? 'PASS' : 'FAIL'} (p99 ≤ ${target} ms, 0 errors)`;
}

/** PostgreSQL: read the customers table and its indexes into shared_buffers, so the figures are steady state, not a cold cache. */
async function prewarm(target: Target) {
  if (target.kind !== 'postgres') return;
  const c = new pg.Client({ connectionString: target.url });
  await c.connect();
  try {
    await c.query('CREATE EXTENSION IF NOT EXISTS pg_prewarm');
    const r = await c.query(
      `SELECT sum(pg_prewarm(oid))::bigint AS blocks FROM pg_class
        WHERE oid = 'customers'::regclass OR oid IN (SELECT indexrelid FROM pg_index WHERE indrelid IN ('customers'::regclass, 'users'::regclass))
           OR oid = 'users'::regclass`,
    );
    log(`  prewarmed ${Number(r.rows[0].blocks).toLocaleString()} blocks of customers, users and their indexes (pg_prewarm)`);
  } finally {
    await c.end();
  }
}

async function loadSections(target: Target) {
  await prewarm(target);
  const samples = await sampleQueries(target);
  const server = await startServer(target, 3900 + (target.kind === 'postgres' ? 0 : 1));
  try {
    if (sections.has('search')) {
      const kinds = [
        ['name fragment', samples.names],
        ['pinyin initials', samples.initials],
        ['phone digits', samples.digits],
      ] as const;
      const mixed = kinds.flatMap(([, list]) => list);
      const r = await load({
        baseUrl: server.base,
        token: server.token,
        concurrency,
        seconds,
        nextPath: (i) => `/api/customers?limit=20&q=${encodeURIComponent(mixed[(i * 7919) % mixed.length])}`,
      });
      log(fmtLoad(`search (mixed, ${concurrency} clients, ${seconds}s)`, r));
      for (const [label, list] of kinds) {
        const rk = await load({
          baseUrl: server.base,
          token: server.token,
          concurrency,
          seconds: Math.max(5, Math.round(seconds / 3)),
          nextPath: (i) => `/api/customers?limit=20&q=${encodeURIComponent(list[i % list.length])}`,
        });
        log(fmtLoad(`  search: ${label}`, rk));
      }
    }
    if (sections.has('list')) {
      const filters = samples.provinces.flatMap((p) => [
        `region=${p}&sort=-created`,
        `region=${p}&tags=${encodeURIComponent(samples.tags[p.length % Math.max(1, samples.tags.length)] ?? '')}&sort=-created`,
        `region=${p}&sort=name`,
      ]);
      filters.push(...samples.tags.map((t) => `tags=${encodeURIComponent(t)}&sort=-updated`));
      const r = await load({
        baseUrl: server.base,
        token: server.token,
        concurrency,
        seconds,
        nextPath: (i) => `/api/customers?limit=50&${filters[i % filters.length]}`,
      });
      log(fmtLoad(`list with filters (${concurrency} clients)`, r));
    }
    if (sections.has('export')) {
      const before = server.rss();
      const t0 = performance.now();
      const res = await fetch(`${server.base}/api/customers/export?format=csv`, { headers: { authorization: `Bearer ${server.token}` } });
      let bytes = 0;
      let lines = 0;
      let peak = before.rssMb;
      const timer = setInterval(() => (peak = Math.max(peak, server.rss().rssMb)), 200);
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.length;
        for (const b of chunk) if (b === 10) lines++;
      }
      clearInterval(timer);
      const s = (performance.now() - t0) / 1000;
      const after = server.rss();
      log(
        `  export CSV: ${(lines - 1).toLocaleString()} customers, ${(bytes / 1e6).toFixed(0)} MB in ${s.toFixed(1)} s (${Math.round((lines - 1) / s).toLocaleString()} rows/s); ` +
          `server RSS ${before.rssMb.toFixed(0)} MB before, peak ${Math.max(peak, after.rssMb).toFixed(0)} MB during  ${s <= 30 ? 'PASS' : 'FAIL'} (≤ 30 s)`,
      );
    }
  } finally {
    await server.stop();
  }
}

async function importSection(target: Target) {
  const file = path.join(dataRoot, `import-${target.n}.csv`);
  const copyFile = path.join(dataRoot, `import-${target.n}.copy`);
  const copyOrg = '00000000-0000-7000-8000-000000000001';
  if (!fs.existsSync(file) || !fs.existsSync(copyFile)) await writeImportCsv(file, target.n, 7, { path: copyFile, orgId: copyOrg });
  const sizeMb = fs.statSync(file).size / 1e6;
  // A fresh database for the import, so runs do not accumulate rows.
  const importTarget: Target =
    target.kind === 'postgres'
      ? { kind: 'postgres', url: target.url.replace(/\/[^/]*$/, '/kefu_bench_import'), n: target.n }
      : { kind: 'pglite', dataDir: path.join(dataRoot, `pglite-import-${target.n}`), n: target.n };
  if (importTarget.kind === 'postgres') await ensurePgDatabase(importTarget.url, true);
  else fs.rmSync(importTarget.dataDir, { recursive: true, force: true });

  // Baseline: plain COPY of the same rows into a table shaped and indexed exactly like customers
  // (the rows prepared beforehand in the table's own format, search keys included, so COPY does only
  // the database's part: no parsing, validation, pinyin or duplicate checks).
  const database = await openDatabase(dbTarget(importTarget));
  let copySeconds: number;
  try {
    await database.db.execute(sql.raw('CREATE TABLE bench_copy (LIKE customers INCLUDING ALL)'));
    const t0 = performance.now();
    if (database.pool) {
      const client = await database.pool.connect();
      try {
        await pipeline(fs.createReadStream(copyFile), client.query(copyFrom(`COPY bench_copy (${COPY_COLUMNS}) FROM STDIN`)));
      } finally {
        client.release();
      }
    } else {
      const blob = new Blob([fs.readFileSync(copyFile)]);
      await database.pglite!.query(`COPY bench_copy (${COPY_COLUMNS}) FROM '/dev/blob'`, [], { blob });
    }
    copySeconds = (performance.now() - t0) / 1000;
    await database.db.execute(sql.raw('DROP TABLE bench_copy'));
  } finally {
    await database.close();
  }
  kefu(importTarget, ['org', 'create', '--name', ORG, '--admin-email', 'import@kefu.local', '--admin-password', ADMIN.password]);
  const t1 = performance.now();
  const out = kefu(importTarget, ['import', 'customers', file, '--json', '--org', ORG, '--mode', 'skip-invalid']);
  const importSeconds = (performance.now() - t1) / 1000;
  const counts = JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>;
  const copyRate = target.n / copySeconds;
  const importRate = target.n / importSeconds;
  const ratio = importRate / copyRate;
  log(`  import CSV (${target.n.toLocaleString()} rows, ${sizeMb.toFixed(0)} MB): ${importSeconds.toFixed(1)} s, ${Math.round(importRate).toLocaleString()} rows/s  (created ${counts.created}, rejected ${counts.rejected})`);
  log(`  plain COPY of the same rows (same table shape and indexes): ${copySeconds.toFixed(1)} s, ${Math.round(copyRate).toLocaleString()} rows/s`);
  log(`  ratio import/COPY: ${(ratio * 100).toFixed(1)}%  ${ratio >= 0.25 ? 'PASS' : 'FAIL'} (≥ 25%)`);
}

async function main() {
  const targets: Target[] = [];
  const want = args.target;
  if (want === 'postgres' || want === 'both') targets.push({ kind: 'postgres', url: args['pg-url'], n: Number(args.customers ?? 1_000_000) });
  if (want === 'pglite' || want === 'both') {
    const n = Number(args.customers ?? 100_000);
    targets.push({ kind: 'pglite', dataDir: path.join(dataRoot, `pglite-${n}`), n });
  }
  for (const target of targets) {
    log(`\n== ${target.kind} · ${target.n.toLocaleString()} customers · ${new Date().toISOString()}`);
    if (target.kind === 'postgres') {
      await ensurePgDatabase(target.url);
      const c = new pg.Client({ connectionString: target.url });
      await c.connect();
      const v = await c.query("SELECT current_setting('server_version') AS v, current_setting('shared_buffers') AS sb");
      await c.end();
      log(`  PostgreSQL ${v.rows[0].v}, shared_buffers ${v.rows[0].sb}; load from ${concurrency} clients on this machine (${os.cpus().length} cores)`);
    }
    if (sections.has('seed') || sections.has('search') || sections.has('list') || sections.has('export')) await seed(target);
    if (sections.has('search') || sections.has('list') || sections.has('export')) await loadSections(target);
    if (sections.has('import')) await importSection(target);
  }
}

/** Suites in files of their own: bench/<name>.ts, each printing its figures beside its targets. */
const customerSections = new Set(['seed', 'search', 'list', 'export', 'import']);
function suites(): string[] {
  const all = fs
    .readdirSync(path.join(root, 'bench'))
    .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
    .map((f) => f.slice(0, -3))
    .sort();
  return sections.has('suites') ? all : all.filter((s) => sections.has(s));
}

function runSuite(name: string) {
  log(`\n== ${name} · ${new Date().toISOString()}`);
  // Each suite runs at the sizes its issue names; its own flags are for running it alone (npx tsx bench/<name>.ts --help).
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench', `${name}.ts`)], { stdio: 'inherit' });
  if (r.status !== 0) log(`  ${name}: exited with ${r.status}`);
}

if ([...sections].some((s) => customerSections.has(s))) await main();
for (const name of suites()) runSuite(name);
