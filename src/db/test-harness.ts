// One harness for database tests: each `describeDb` block runs on a fresh PGlite, and also on a
// fresh PostgreSQL database when TEST_DATABASE_URL is set, so runs never collide.
import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { testDatabaseUrl } from '../config.ts';
import { openDatabase, type Database, type Db } from './open.ts';

export type TestTarget = 'pglite' | 'postgres';

export const testTargets: TestTarget[] = testDatabaseUrl() ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDb {
  kind: TestTarget;
  database: Database;
  db: Db;
}

function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

let pgliteTemplate: Promise<Blob> | undefined;

/** Opens a fresh, migrated database of the given kind; `drop` removes it. */
export async function openTestDatabase(kind: TestTarget): Promise<{ handle: TestDb; drop: () => Promise<void> }> {
  if (kind === 'pglite') {
    // Migrating a new PGlite takes ~2 s; loading a dump of an already migrated one takes ~0.5 s.
    pgliteTemplate ??= (async () => {
      const template = await openDatabase({ kind: 'pglite', dataDir: null });
      const dump = await template.pglite!.dumpDataDir('none');
      await template.close();
      return dump;
    })();
    const database = await openDatabase({ kind: 'pglite', dataDir: null }, { loadDataDir: await pgliteTemplate });
    return { handle: { kind, database, db: database.db }, drop: () => database.close() };
  }
  const adminUrl = testDatabaseUrl();
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `kefu_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const database = await openDatabase({ kind: 'postgres', url: withDatabaseName(adminUrl, name) });
  return {
    handle: { kind, database, db: database.db },
    drop: async () => {
      await database.close();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A describe block per database target; `get()` returns the open database inside tests. */
export function describeDb(name: string, fn: (get: () => TestDb) => void): void {
  for (const kind of testTargets) {
    describe(`${name} [${kind}]`, () => {
      let handle: TestDb | undefined;
      let drop: (() => Promise<void>) | undefined;
      beforeAll(async () => {
        ({ handle, drop } = await openTestDatabase(kind));
      }, 120_000);
      afterAll(async () => {
        await drop?.();
      });
      fn(() => {
        if (!handle) throw new Error('test database not open');
        return handle;
      });
    });
  }
}
