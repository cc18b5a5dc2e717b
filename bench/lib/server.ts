// Starts `kefu serve` for a benchmark, waits until it answers, logs in and reports the memory of the
// server's process tree (KEFU_WORKERS > 1 forks children).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface BenchServer {
  base: string;
  token: string;
  rss: () => { rssMb: number; peakMb: number };
  stop: () => Promise<void>;
}

export async function startBenchServer(opts: {
  root: string;
  env: Record<string, string>;
  port: number;
  workers: string;
  login: { email: string; password: string };
  /**
   * Run background jobs in the server (default: no). A day's replenishment run over a million
   * customers would otherwise start with the server and share the two cores with the load measured.
   */
  jobs?: boolean;
}): Promise<BenchServer> {
  const child = spawn(process.execPath, [path.join(opts.root, 'bin/kefu.js'), 'serve', '--no-demo', ...(opts.jobs ? [] : ['--no-jobs'])], {
    env: { ...process.env, ...opts.env, PORT: String(opts.port), HOST: '127.0.0.1', KEFU_LOG_LEVEL: 'warn', KEFU_LOGIN_RATE_PER_MINUTE: '1000', KEFU_WORKERS: opts.workers },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${opts.port}`;
  for (let i = 0; i < 240; i++) {
    try {
      const r = await fetch(`${base}/api/health`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const token = await loginToken(base, opts.login);
  const tree = (pid: number): number[] => {
    const kids = fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((t) => fs.readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
    return [pid, ...kids.flatMap(tree)];
  };
  const rss = () => {
    let rssMb = 0;
    let peakMb = 0;
    for (const pid of tree(child.pid!)) {
      try {
        const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
        const kb = (key: string) => Number(/\d+/.exec(status.split('\n').find((l) => l.startsWith(key)) ?? '0')?.[0] ?? 0);
        rssMb += kb('VmRSS:') / 1024;
        peakMb += kb('VmHWM:') / 1024;
      } catch {
        /* exited meanwhile */
      }
    }
    return { rssMb, peakMb };
  };
  return {
    base,
    token,
    rss,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A bearer token for another user of the same server. */
export async function loginToken(base: string, login: { email: string; password: string }): Promise<string> {
  const r = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(login) });
  if (!r.ok) throw new Error(`login ${login.email} failed: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { token: string }).token;
}
