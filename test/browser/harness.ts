// What the browser tests share: a real `kefu serve` on a fresh embedded database, and Debian's Chromium.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { chromium, type Browser } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '../..');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface BrowserTestServer {
  base: string;
  stop(): Promise<void>;
}

/** Builds the web UI if needed, starts `kefu serve` on a fresh data directory and waits until it answers. */
/**
 * A port for this test file's server: `base` plus a spread by process id, so that parallel runs do not
 * collide, skipping the ports that fetch refuses to connect to (the Fetch standard's "bad ports": a
 * server on 3659 answered the browser but every fetch from the test failed with "bad port").
 */
export function testPort(base: number, spread = 200): number {
  let port = base + (process.pid % spread);
  while (FETCH_BAD_PORTS.has(port)) port++;
  return port;
}
const FETCH_BAD_PORTS = new Set([3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080]);

export async function startServer(opts: { port: number; admin: { email: string; password: string }; demo: boolean; name: string }): Promise<BrowserTestServer> {
  const build = spawnSync(process.execPath, [path.join(root, 'scripts/ensure-web.mjs')], { stdio: 'inherit' });
  expect(build.status).toBe(0);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `kefu-browser-${opts.name}-`));
  const base = `http://127.0.0.1:${opts.port}`;
  const server: ChildProcess = spawn(process.execPath, [path.join(root, 'bin/kefu.js'), 'serve', ...(opts.demo ? [] : ['--no-demo'])], {
    env: {
      ...process.env,
      DATABASE_URL: '',
      KEFU_DATA_DIR: dataDir,
      PORT: String(opts.port),
      HOST: '127.0.0.1',
      KEFU_ADMIN_EMAIL: opts.admin.email,
      KEFU_ADMIN_PASSWORD: opts.admin.password,
      KEFU_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 240; i++) {
    if (server.exitCode !== null) throw new Error(`kefu serve exited with code ${server.exitCode}`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    base,
    async stop() {
      if (server.exitCode === null) {
        const exited = new Promise((r) => server.once('exit', r));
        server.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--lang=zh-CN', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

/** A bearer token for `login` on the test server (throws with the server's answer when refused). */
export async function apiLogin(base: string, login: { email: string; password: string }): Promise<string> {
  const r = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(login) });
  if (!r.ok) throw new Error(`login ${login.email}: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { token: string }).token;
}

/** One JSON API call with a bearer token; a non-2xx answer throws with its status and body. */
export async function apiRequest<T>(base: string, token: string, method: string, url: string, body?: unknown): Promise<T> {
  const r = await fetch(base + url, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${method} ${url}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}
