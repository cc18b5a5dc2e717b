// A small closed-loop HTTP load generator: C concurrent clients, each sending its next request as soon as
// the previous one answers, for a fixed duration. Keep-alive sockets; latencies kept exactly (no sampling).
import http from 'node:http';

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

export async function runLoad(opts: {
  baseUrl: string;
  token: string;
  concurrency: number;
  seconds: number;
  nextPath: (i: number) => string;
  /** POST and friends: the method, a JSON body per request and the statuses that count as success. */
  method?: string;
  body?: (i: number) => string;
  headers?: (i: number) => Record<string, string>;
  okStatus?: number[];
}): Promise<LoadResult> {
  const url = new URL(opts.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const latencies: number[] = [];
  let errors = 0;
  let counter = 0;
  const started = performance.now();
  const deadline = started + opts.seconds * 1000;

  const okStatus = opts.okStatus ?? [200];
  const once = (path: string, i: number) =>
    new Promise<number>((resolve) => {
      const body = opts.body?.(i);
      const headers: Record<string, string> = { authorization: `Bearer ${opts.token}`, accept: 'application/json', ...opts.headers?.(i) };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const req = http.request(
        { host: url.hostname, port: url.port, path, agent, method: opts.method ?? 'GET', headers },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', () => resolve(0));
      req.end(body);
    });

  const worker = async () => {
    while (performance.now() < deadline) {
      const i = counter++;
      const path = opts.nextPath(i);
      const t0 = performance.now();
      const status = await once(path, i);
      latencies.push(performance.now() - t0);
      if (!okStatus.includes(status)) errors++;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  agent.destroy();
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
  };
}
