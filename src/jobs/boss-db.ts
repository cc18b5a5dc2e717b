// The database pg-boss talks to: one `executeSql(text, values)` object over Kefu's own connections,
// so jobs live in the same database as the data they act on and need no second pool or service.
//
// What pg-boss 10 sends through it (read from node_modules/pg-boss/src):
// - single statements with positional parameters ($1..$n), some reused ($5 three times in insertJob);
// - parameterless scripts of several statements: schema creation, migrations and maintenance, wrapped
//   by pg-boss in `BEGIN; SET LOCAL …; SELECT pg_advisory_xact_lock(…); …; COMMIT;`.
// The wrapped scripts run here as a real transaction on one connection (BEGIN/COMMIT stripped, our own
// transaction around the rest) so a failure rolls back instead of leaving a connection — or, on PGlite,
// the only connection — inside an aborted transaction.
//
// PGlite is one connection: its query/exec/transaction calls already queue behind each other (an
// internal mutex), which serializes pg-boss's pollers with the application's transactions. The one rule
// that follows: inside an application transaction, enqueue through that transaction (`send(…, { tx })`)
// — a call on the bare database would wait for the transaction that is waiting for it.
import type { PGlite, Transaction } from '@electric-sql/pglite';
import type pg from 'pg';
import type { Database, Db } from '../db/open.ts';

/** The object pg-boss accepts as `db` (constructor option and per-call option). */
export interface BossDb {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

const LOCKED_SCRIPT = /^\s*BEGIN\s*;([\s\S]*);\s*COMMIT\s*;\s*$/i;

/** The body of a pg-boss `BEGIN; …; COMMIT;` script, or null for anything else. */
export function lockedScriptBody(text: string): string | null {
  const m = LOCKED_SCRIPT.exec(text);
  return m ? m[1] : null;
}

function hasValues(values: unknown[] | undefined): values is unknown[] {
  return Array.isArray(values) && values.length > 0;
}

type PgliteRunner = Pick<PGlite | Transaction, 'query' | 'exec'>;

async function runOnPglite(runner: PgliteRunner, text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }> {
  if (hasValues(values)) {
    const r = await runner.query<Record<string, unknown>>(text, values);
    return { rows: r.rows };
  }
  // Parameterless text may hold several statements: exec runs them all; the last result is the answer.
  const results = await runner.exec(text);
  const last = results[results.length - 1];
  return { rows: (last?.rows ?? []) as Record<string, unknown>[] };
}

export function pgliteBossDb(client: PGlite): BossDb {
  return {
    async executeSql(text, values) {
      const body = lockedScriptBody(text);
      if (body !== null && !hasValues(values)) {
        return client.transaction(async (tx) => runOnPglite(tx, body));
      }
      return runOnPglite(client, text, values);
    },
  };
}

export function postgresBossDb(pool: pg.Pool): BossDb {
  return {
    async executeSql(text, values) {
      const body = lockedScriptBody(text);
      if (body !== null && !hasValues(values)) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const r = await client.query(body);
          await client.query('COMMIT');
          // A multi-statement query answers with an array of results.
          const last = Array.isArray(r) ? (r[r.length - 1] as pg.QueryResult) : r;
          return { rows: (last?.rows ?? []) as Record<string, unknown>[] };
        } catch (err) {
          await client.query('ROLLBACK').catch(() => {});
          throw err;
        } finally {
          client.release();
        }
      }
      const r = await pool.query(text, values as unknown[] | undefined);
      const last = Array.isArray(r) ? (r[r.length - 1] as pg.QueryResult) : r;
      return { rows: (last?.rows ?? []) as Record<string, unknown>[] };
    },
  };
}

export function bossDbFor(database: Database): BossDb {
  if (database.kind === 'pglite') {
    if (!database.pglite) throw new Error('PGlite database without its client');
    return pgliteBossDb(database.pglite);
  }
  if (!database.pool) throw new Error('PostgreSQL database without its pool');
  return postgresBossDb(database.pool);
}

interface RawClient {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * pg-boss's per-call `db` for a Drizzle transaction: the statement runs on the transaction's own
 * connection, so the job exists only if the transaction commits. Drizzle keeps that connection as
 * `session.client` (a pg PoolClient, or PGlite's Transaction) on both drivers; it is not public API,
 * hence the check here and the rollback tests in jobs.test.ts that pin it on both databases.
 */
export function bossDbInTransaction(tx: Db): BossDb {
  const client = (tx as unknown as { session?: { client?: unknown } }).session?.client as Partial<RawClient> | undefined;
  if (!client || typeof client.query !== 'function') {
    throw new Error('Cannot reach the connection of this transaction to enqueue a job inside it');
  }
  const query = client.query.bind(client) as RawClient['query'];
  return {
    async executeSql(text, values) {
      const r = await query(text, values);
      return { rows: r.rows as Record<string, unknown>[] };
    },
  };
}
