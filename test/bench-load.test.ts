// The benchmarks' load generator frames HTTP/1.1 responses itself: every request it counts must be one
// the server answered, with the status the server sent, whatever the framing.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { responseEnd, runLoad } from '../bench/lib/load.ts';

let server: http.Server;
let base = '';
let served = 0;
const bodies: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    served++;
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (body) bodies.push(body);
      const n = Number(new URL(req.url!, 'http://x').searchParams.get('n'));
      if (req.headers.authorization !== 'Bearer t0k') return res.writeHead(401).end('{}');
      if (n % 3 === 0) return res.writeHead(200, { 'content-length': 5 }).end('hello');
      if (n % 3 === 1) {
        // Chunked, in several writes, with a body that contains the terminator's bytes.
        res.writeHead(201);
        res.write('0\r\n\r\n');
        setTimeout(() => res.end('x'.repeat(70_000)), 1);
        return;
      }
      res.writeHead(404, { connection: 'close', 'content-length': 2 }).end('no');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('bench load generator', () => {
  it('counts each answered request once, with its status, across framings and closed connections', async () => {
    served = 0;
    const r = await runLoad({ baseUrl: base, token: 't0k', concurrency: 4, seconds: 0.5, nextPath: (i) => `/x?n=${i}`, okStatus: [200, 201] });
    expect(r.requests).toBeGreaterThan(30);
    expect(r.requests).toBe(served);
    // Every third request answers 404 (and closes its connection): those, and only those, are errors.
    expect(r.errors).toBeGreaterThanOrEqual(Math.floor(r.requests / 3) - 4);
    expect(r.errors).toBeLessThanOrEqual(Math.ceil(r.requests / 3) + 4);
    expect(r.p50).toBeGreaterThan(0);
  });

  it('sends the body and the bearer token', async () => {
    bodies.length = 0;
    const r = await runLoad({ baseUrl: base, token: 'bad', concurrency: 1, seconds: 0.1, nextPath: () => '/x?n=0' });
    expect(r.errors).toBe(r.requests);
    const ok = await runLoad({ baseUrl: base, token: 't0k', concurrency: 2, seconds: 0.2, method: 'POST', nextPath: () => '/x?n=0', body: (i) => JSON.stringify({ i, name: '王小明' }) });
    expect(ok.errors).toBe(0);
    expect(bodies.length).toBe(ok.requests);
    expect(JSON.parse(bodies[0]).name).toBe('王小明');
  });

  it('waits for the whole response', () => {
    const head = 'HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n';
    expect(responseEnd(Buffer.from(`${head}ab`))).toBeUndefined();
    expect(responseEnd(Buffer.from(`${head}abcdHTTP/1.1`))).toEqual({ end: head.length + 4, status: 200, close: false });
    const chunked = 'HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n';
    expect(responseEnd(Buffer.from(chunked.slice(0, -2)))).toBeUndefined();
    expect(responseEnd(Buffer.from(chunked))).toEqual({ end: chunked.length, status: 201, close: false });
  });
});
