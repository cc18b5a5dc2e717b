// A small closed-loop HTTP load generator: C concurrent clients, each sending its next request as soon as
// the previous one answers, for a fixed duration. Latencies kept exactly (no sampling).
//
// Each client is one keep-alive TCP connection speaking plain HTTP/1.1 (request bytes written by hand,
// response framed by Content-Length or chunked encoding), in the manner of wrk: the load generator
// shares the machine's two cores with the server and PostgreSQL, and node:http's client cost about as
// much CPU per request as a third of the server's work, which the measured server then lacked. A
// latency is from the request's write to its response's last byte.
import net from 'node:net';

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

export interface LoadOptions {
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
}

const CRLF2 = Buffer.from('\r\n\r\n');

/** Where the response at the start of `buf` ends and its status, or undefined while it is incomplete. */
export function responseEnd(buf: Buffer): { end: number; status: number; close: boolean } | undefined {
  const headEnd = buf.indexOf(CRLF2);
  if (headEnd < 0) return undefined;
  const head = buf.toString('latin1', 0, headEnd);
  const status = Number(head.slice(9, 12));
  const close = /\r\nconnection:\s*close/i.test(head);
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  const bodyStart = headEnd + 4;
  if (length) {
    const end = bodyStart + Number(length[1]);
    return buf.length >= end ? { end, status, close } : undefined;
  }
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
    let at = bodyStart;
    for (;;) {
      const lineEnd = buf.indexOf('\r\n', at, 'latin1');
      if (lineEnd < 0) return undefined;
      const size = parseInt(buf.toString('latin1', at, lineEnd), 16);
      if (Number.isNaN(size)) throw new Error('bad chunk size');
      at = lineEnd + 2 + size + 2;
      if (size === 0) {
        // No trailers are sent by the server; the last chunk ends with an empty line.
        return buf.length >= at ? { end: at, status, close } : undefined;
      }
      if (buf.length < at) return undefined;
    }
  }
  // No body framing (204, 304): the head is the whole response.
  return { end: bodyStart, status, close };
}

/** One keep-alive connection that sends a request and resolves with the response's status (0 on a connection error). */
class Client {
  private socket: net.Socket | undefined;
  private buf: Buffer = Buffer.alloc(0);
  private waiting: ((status: number) => void) | undefined;

  constructor(private readonly host: string, private readonly port: number) {}

  private connect(): net.Socket {
    const s = net.connect({ host: this.host, port: this.port, noDelay: true });
    s.on('data', (chunk: Buffer) => {
      if (this.socket !== s) return;
      this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
      let done;
      try {
        done = responseEnd(this.buf);
      } catch {
        this.fail(s);
        return;
      }
      if (!done) return;
      this.buf = this.buf.subarray(done.end);
      if (done.close) this.drop(s);
      const w = this.waiting;
      this.waiting = undefined;
      w?.(done.status);
    });
    const lost = () => this.fail(s);
    s.on('error', lost);
    s.on('close', lost);
    return s;
  }

  private drop(s: net.Socket) {
    if (this.socket === s) this.socket = undefined;
    s.destroy();
  }

  private fail(s: net.Socket) {
    // A socket already let go of (closed after its last response) has no request waiting on it.
    if (this.socket !== s) return;
    this.drop(s);
    this.buf = Buffer.alloc(0);
    const w = this.waiting;
    this.waiting = undefined;
    w?.(0);
  }

  send(request: Buffer): Promise<number> {
    this.socket ??= this.connect();
    const s = this.socket;
    return new Promise((resolve) => {
      this.waiting = resolve;
      s.write(request);
    });
  }

  close() {
    this.socket?.destroy();
    this.socket = undefined;
  }
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const url = new URL(opts.baseUrl);
  const latencies: number[] = [];
  let errors = 0;
  let counter = 0;
  const started = performance.now();
  const deadline = started + opts.seconds * 1000;
  const okStatus = opts.okStatus ?? [200];
  const fixed = `Host: ${url.host}\r\nAuthorization: Bearer ${opts.token}\r\nAccept: application/json\r\n`;

  const request = (i: number): Buffer => {
    const body = opts.body?.(i);
    let head = `${opts.method ?? 'GET'} ${opts.nextPath(i)} HTTP/1.1\r\n${fixed}`;
    for (const [k, v] of Object.entries(opts.headers?.(i) ?? {})) head += `${k}: ${v}\r\n`;
    if (body === undefined) return Buffer.from(`${head}\r\n`, 'latin1');
    const bytes = Buffer.from(body, 'utf8');
    return Buffer.concat([Buffer.from(`${head}Content-Type: application/json\r\nContent-Length: ${bytes.length}\r\n\r\n`, 'latin1'), bytes]);
  };

  const clients: Client[] = [];
  const worker = async () => {
    const client = new Client(url.hostname, Number(url.port || 80));
    clients.push(client);
    while (performance.now() < deadline) {
      const req = request(counter++);
      const t0 = performance.now();
      const status = await client.send(req);
      latencies.push(performance.now() - t0);
      if (!okStatus.includes(status)) errors++;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  for (const c of clients) c.close();
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
