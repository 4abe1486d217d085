// Load over real sockets: `clients` loops, each with its own keep-alive connection (node:http
// with an agent of exactly `clients` sockets), sending requests until `seconds` have passed. Used
// by bench/http.ts for the baseline and for every path of the real server alike, so both sides
// pay the same client cost. Returns a Segment (see common.ts) that summarizeSegments understands.
import http from 'node:http';
import type { Segment } from './common.ts';

export interface HttpRequestSpec {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

export interface HttpAnswer {
  status: number;
  body: string;
}

/** `accept` decides whether an answer counts as a success (anything else is an error). */
export async function httpSegment(
  base: string,
  clients: number,
  seconds: number,
  request: (i: number) => HttpRequestSpec,
  accept: (answer: HttpAnswer, i: number) => boolean = (a) => a.status === 200,
): Promise<Segment> {
  const url = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients, maxFreeSockets: clients });
  let i = 0;
  let errors = 0;
  const latencies: number[] = [];
  const started = performance.now();
  const until = started + seconds * 1000;
  try {
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (performance.now() < until) {
          const n = i++;
          const spec = request(n);
          const t0 = performance.now();
          try {
            const answer = await send(url, agent, spec);
            if (accept(answer, n)) latencies.push(performance.now() - t0);
            else {
              errors += 1;
              if (errors === 1) console.error(`  first error: HTTP ${answer.status} ${answer.body.slice(0, 300)}`);
            }
          } catch (err) {
            errors += 1;
            if (errors === 1) console.error('  first error:', err instanceof Error ? err.message : err);
          }
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  return { ops: latencies.length, errors, ms: performance.now() - started, latencies };
}

export function send(url: URL, agent: http.Agent, spec: HttpRequestSpec): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...spec.headers };
    if (spec.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      headers['content-length'] = Buffer.byteLength(spec.body);
    }
    const req = http.request(
      { host: url.hostname, port: url.port, method: spec.method, path: spec.path, agent, headers, timeout: 30_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out after 30 s')));
    req.on('error', reject);
    if (spec.body !== undefined) req.write(spec.body);
    req.end();
  });
}

export interface BatchResult {
  ms: number;
  errors: number;
  /** Latency of each request by its index; null for an error. */
  latencies: Array<number | null>;
}

/** Sends exactly `count` requests (built when sent, in index order) over `clients` connections. */
export async function httpBatch(
  base: string,
  clients: number,
  count: number,
  request: (i: number) => HttpRequestSpec,
  accept: (answer: HttpAnswer, i: number) => boolean = (a) => a.status === 200,
): Promise<BatchResult> {
  const url = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients, maxFreeSockets: clients });
  let next = 0;
  let errors = 0;
  const latencies: Array<number | null> = new Array<number | null>(count).fill(null);
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: Math.min(clients, count) }, async () => {
        while (next < count) {
          const n = next++;
          const spec = request(n);
          const t0 = performance.now();
          try {
            const answer = await send(url, agent, spec);
            if (accept(answer, n)) latencies[n] = performance.now() - t0;
            else {
              errors += 1;
              if (errors === 1) console.error(`  first error: HTTP ${answer.status} ${answer.body.slice(0, 300)}`);
            }
          } catch (err) {
            errors += 1;
            if (errors === 1) console.error('  first error:', err instanceof Error ? err.message : err);
          }
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  return { ms: performance.now() - started, errors, latencies };
}
