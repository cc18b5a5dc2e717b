import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import * as schema from './schema.ts';
import type { DatabaseTarget } from '../config.ts';

export type Schema = typeof schema;
/** The one database type every use case sees, whether PGlite or node-postgres underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** node-postgres pool (postgres only): for COPY and other driver-level work. */
  pool?: pg.Pool;
  /** PGlite instance (pglite only). */
  pglite?: PGlite;
  close(): Promise<void>;
}

export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

export class DatabaseLockedError extends Error {
  constructor(readonly dataDir: string, readonly pid: number) {
    super(
      `The embedded database in ${dataDir} is in use by another Kefu process (pid ${pid}). ` +
        `Stop that process first, or run this command against a PostgreSQL server with DATABASE_URL.\n` +
        `内置数据库 ${dataDir} 正被另一个 Kefu 进程（pid ${pid}）使用。请先停止该进程，或设置 DATABASE_URL 连接 PostgreSQL 服务器。`,
    );
    this.name = 'DatabaseLockedError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** PGlite is single-process: take an exclusive lock file beside the data directory or fail clearly. */
function acquirePgliteLock(dataDir: string): () => void {
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const lockPath = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(lockPath, 'utf8') === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(fs.readFileSync(lockPath, 'utf8').trim());
      if (pid && pid !== process.pid && isAlive(pid)) throw new DatabaseLockedError(dataDir, pid);
      fs.unlinkSync(lockPath); // stale lock from a process that died
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}

/** Connections per process to a PostgreSQL server unless KEFU_DB_POOL says otherwise. */
export const DEFAULT_POOL_SIZE = 20;

export async function openDatabase(
  target: DatabaseTarget,
  opts: { migrate?: boolean; /** PGlite only: start from a dumped data directory (tests). */ loadDataDir?: Blob } = {},
): Promise<Database> {
  const doMigrate = opts.migrate ?? true;
  if (target.kind === 'pglite') {
    const release = target.dataDir ? acquirePgliteLock(target.dataDir) : () => {};
    try {
      const client = new PGlite({ dataDir: target.dataDir ?? undefined, extensions: { pg_trgm }, loadDataDir: opts.loadDataDir });
      await client.waitReady;
      const db = drizzlePglite(client, { schema }) as unknown as Db;
      if (doMigrate) await migratePglite(drizzlePglite(client), { migrationsFolder });
      return {
        kind: 'pglite',
        db,
        pglite: client,
        async close() {
          await client.close();
          release();
        },
      };
    } catch (err) {
      release();
      throw err;
    }
  }
  const pool = newPool(target.url, target.poolSize ?? DEFAULT_POOL_SIZE);
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  if (doMigrate) {
    // Several Kefu processes may start together: one migrates, the others wait on the advisory lock.
    const client = await pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock(727001)');
      await migratePg(drizzlePg(client), { migrationsFolder });
    } finally {
      await client.query('SELECT pg_advisory_unlock(727001)').catch(() => {});
      client.release();
    }
  }
  // A second, small pool whose connections always use the generic plan of a named statement: the
  // customer search's (see genericPlanDb). Opened on first use.
  let generic: { pool: pg.Pool; db: Db } | undefined;
  genericPlanDbs.set(db, () => {
    if (!generic) {
      const genericPool = newPool(target.url, Math.max(2, Math.ceil((target.poolSize ?? DEFAULT_POOL_SIZE) / 2)), ['SET plan_cache_mode = force_generic_plan']);
      generic = { pool: genericPool, db: drizzlePg(genericPool, { schema }) as unknown as Db };
    }
    return generic.db;
  });
  return { kind: 'postgres', db, pool, close: async () => { await Promise.all([pool.end(), generic?.pool.end()]); } };
}

/**
 * A node-postgres pool of Kefu's connections, each set up with `settings` (SET statements) as well.
 * client_connection_check_interval: a statement whose client is gone (a server killed mid-job) stops
 * within seconds instead of running on alone; a benchmark found six orphaned runs of the
 * replenishment job's statement still busy 25 minutes after their servers had exited.
 * Set per connection, not as a startup option, which PgBouncer refuses by default; a server too old
 * to know the setting just answers with an error that is ignored.
 * The pool's onConnect hook is awaited before the connection is handed out, so the first query never
 * queues behind the SET (which node-postgres deprecates and pg@9 will refuse).
 */
function newPool(url: string, max: number, settings: string[] = []): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    onConnect: async (client) => {
      await client.query('SET client_connection_check_interval = 5000').catch(() => undefined);
      for (const setting of settings) await client.query(setting);
    },
  });
  // An idle connection the server ends (a restart, a failover, an administrator) is reported on the pool;
  // without a listener that is an uncaught exception that stops the process. The pool replaces the
  // connection on next use, so the event is only worth a line on stderr.
  pool.on('error', (err) => {
    process.stderr.write(`PostgreSQL: an idle connection was closed by the server (${(err as { code?: string }).code ?? err.message}); it will be replaced\n`);
  });
  return pool;
}

/**
 * Whether `db` is a PostgreSQL server's pool itself, whose statements each commit on their own (not
 * PGlite, not a transaction).
 */
export function isServerPool(db: Db): boolean {
  return genericPlanDbs.has(db);
}

/** Each server database's generic-plan view, opened on first use (see genericPlanDb). */
const genericPlanDbs = new WeakMap<Db, () => Db>();

/**
 * The database as seen through connections that always run a named statement's generic plan
 * (plan_cache_mode = force_generic_plan), for statements written so that one plan serves every value:
 * the customer search. Left to choose, PostgreSQL planned each search afresh (2–3 ms) because the
 * generic plan's estimate looked costlier, and the fresh plan for the initials "wxm" walked 43,000
 * customers in creation order (50 ms) where the generic one reads 491 initials index-only (0.3 ms).
 * The filtered list keeps the default: its best plan depends on how common a tag is.
 * Anything else (PGlite, a transaction) is returned as it is.
 */
export function genericPlanDb(db: Db): Db {
  return genericPlanDbs.get(db)?.() ?? db;
}

/** Rows of a raw SQL query, identical on both drivers. */
export async function rows<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * Settings for the rest of the current transaction only (as SET LOCAL), all in one round trip: the
 * planner or executor choices a statement was measured to need (no JIT, no hash aggregation, …).
 */
export async function setLocal(db: Db, settings: Record<string, string>): Promise<void> {
  await db.execute(sql`SELECT ${sql.join(Object.entries(settings).map(([name, value]) => sql`set_config(${name}, ${value}, true)`), sql`, `)}`);
}

/**
 * Named prepared statements per database and query shape, for lists whose SQL depends only on which
 * filters are present: built and named on the first request of a shape, only bound afterwards.
 */
export class PreparedByShape<Row> {
  private readonly byDb = new WeakMap<Db, Map<string, { execute(values: Record<string, unknown>): Promise<Row[]> }>>();
  constructor(private readonly prefix: string) {}

  get(db: Db, shape: string, build: () => { prepare(name: string): unknown; toSQL(): { sql: string } }): { execute(values: Record<string, unknown>): Promise<Row[]> } {
    let byShape = this.byDb.get(db);
    if (!byShape) this.byDb.set(db, (byShape = new Map()));
    let prepared = byShape.get(shape);
    if (!prepared) {
      const query = build();
      prepared = query.prepare(statementName(this.prefix, query.toSQL().sql)) as { execute(values: Record<string, unknown>): Promise<Row[]> };
      if (byShape.size >= 1000) byShape.clear(); // shapes are few (filters × sorts); this only bounds memory
      byShape.set(shape, prepared);
    }
    return prepared;
  }
}

/** A stable prepared-statement name for a query text (node-postgres caches it per connection). */
export function statementName(prefix: string, text: string): string {
  return `${prefix}_${crypto.createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
}
