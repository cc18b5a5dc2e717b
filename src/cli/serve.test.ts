// `kefu serve` as a user runs it: a real process, with KEFU_WORKERS worker processes on PostgreSQL.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../config.ts';

const bin = fileURLToPath(new URL('../../bin/kefu.js', import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-serve-test-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function startServe(env: Record<string, string>) {
  const port = 20_000 + crypto.randomInt(20_000);
  const childEnv: NodeJS.ProcessEnv = { ...process.env, KEFU_LOG_LEVEL: 'warn', PORT: String(port), HOST: '127.0.0.1', ...env };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  const child = spawn(process.execPath, [bin, 'serve', '--no-demo'], { cwd: dir, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const running = new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (stdout.includes('running at')) {
        clearInterval(timer);
        resolve();
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`serve exited with ${code}: ${stderr}`));
    });
  });
  return { child, port, running, out: () => ({ stdout, stderr }) };
}

/** Child processes that are Kefu itself (not tsx's esbuild service). */
function kefuChildren(pid: number): number[] {
  return fs
    .readdirSync(`/proc/${pid}/task`)
    .flatMap((t) => fs.readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number))
    .filter((child) => fs.readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('kefu.js'));
}

function stopped(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('kefu serve', () => {
  it('on the embedded database runs one process even when KEFU_WORKERS asks for more, and says why', async () => {
    const s = startServe({ KEFU_DATA_DIR: path.join(dir, 'data'), KEFU_WORKERS: '2', KEFU_ADMIN_PASSWORD: 'password-123' });
    await s.running;
    expect(s.out().stderr).toContain('KEFU_WORKERS > 1 needs a PostgreSQL server');
    const health = await fetch(`http://127.0.0.1:${s.port}/api/health`);
    expect(await health.json()).toEqual({ status: 'ok', database: 'pglite' });
    expect(kefuChildren(s.child.pid!)).toEqual([]);
    expect(await stopped(s.child)).toBe(0);
  }, 120_000);

  it.runIf(testDatabaseUrl())('on PostgreSQL with KEFU_WORKERS=2 serves from two worker processes, bootstraps once, and stops cleanly', async () => {
    const adminUrl = testDatabaseUrl()!;
    const name = `kefu_serve_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    try {
      const s = startServe({ DATABASE_URL: url.toString(), KEFU_WORKERS: '2', KEFU_ADMIN_EMAIL: 'admin@serve.test', KEFU_ADMIN_PASSWORD: 'password-123' });
      await s.running;
      expect(s.out().stdout).toContain('2 worker processes');
      expect(kefuChildren(s.child.pid!)).toHaveLength(2);
      const base = `http://127.0.0.1:${s.port}`;
      // Sessions live in the database: a token from one worker is good on the other.
      const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@serve.test', password: 'password-123' }) });
      expect(login.status).toBe(200);
      const { token } = (await login.json()) as { token: string };
      const statuses = await Promise.all(
        Array.from({ length: 20 }, () => fetch(`${base}/api/customers?limit=1`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status)),
      );
      expect(statuses.every((st) => st === 200)).toBe(true);
      const db = new pg.Client({ connectionString: url.toString() });
      await db.connect();
      const orgs = await db.query('SELECT count(*)::int AS n FROM organizations');
      await db.end();
      expect(orgs.rows[0].n).toBe(1);
      expect(await stopped(s.child)).toBe(0);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }, 120_000);
});
