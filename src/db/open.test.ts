// A PostgreSQL server that ends idle connections (a restart, a failover, an administrator) must not stop
// Kefu: the pool reports it and replaces the connection on next use.
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../config.ts';
import { genericPlanDb, rows, setLocal } from './open.ts';
import { describeDb, openTestDatabase } from './test-harness.ts';

describe.skipIf(!testDatabaseUrl())('PostgreSQL pool', () => {
  it('survives the server terminating its idle connections and answers the next query', async () => {
    const { handle, drop } = await openTestDatabase('postgres');
    try {
      const [{ name }] = await rows<{ name: string }>(handle.db, sql`SELECT current_database() AS name`);
      const admin = new pg.Client({ connectionString: testDatabaseUrl()! });
      await admin.connect();
      const killed = await admin.query('SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      await admin.end();
      expect(killed.rows[0].n).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 200)); // the idle clients receive the termination now
      const [{ one }] = await rows<{ one: number }>(handle.db, sql`SELECT 1 AS one`);
      expect(one).toBe(1);
    } finally {
      await drop();
    }
  });

  it('stops a statement whose client has gone instead of letting it run on alone', async () => {
    const { handle, drop } = await openTestDatabase('postgres');
    try {
      // Every pooled connection checks for a vanished client (a Kefu process killed mid-job) every 5 s.
      const [{ v }] = await rows<{ v: string }>(handle.db, sql`SELECT current_setting('client_connection_check_interval') AS v`);
      expect(v).toBe('5s');
    } finally {
      await drop();
    }
  });
});

describeDb('setLocal', (get) => {
  it('sets each setting for the rest of the transaction only', async () => {
    const db = get().db;
    const show = async (d: typeof db) => (await rows<{ h: string; w: string }>(d, sql`SELECT current_setting('enable_hashagg') AS h, current_setting('work_mem') AS w`))[0]!;
    const before = await show(db);
    const inside = await db.transaction(async (tx) => {
      await setLocal(tx, { enable_hashagg: 'off', work_mem: '256MB' });
      return show(tx);
    });
    expect(inside).toEqual({ h: 'off', w: '256MB' });
    expect(before.h).toBe('on');
    expect(await show(db)).toEqual(before);
  });
});

describeDb('genericPlanDb', (get) => {
  it('reads through connections that keep generic plans on a server, and is the database itself when embedded', async () => {
    const { db, kind } = get();
    const mode = async (d: typeof db) => (await rows<{ m: string }>(d, sql`SELECT current_setting('plan_cache_mode') AS m`))[0]!.m;
    const generic = genericPlanDb(db);
    expect(await mode(db)).toBe('auto');
    if (kind === 'pglite') expect(generic).toBe(db);
    else expect(await mode(generic)).toBe('force_generic_plan');
    // The same data either way.
    expect(await rows(generic, sql`SELECT count(*)::int AS n FROM organizations`)).toEqual(await rows(db, sql`SELECT count(*)::int AS n FROM organizations`));
  });
});
