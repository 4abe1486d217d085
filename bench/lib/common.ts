// Helpers shared by every suite: a scratch database on the PostgreSQL server in
// TEST_DATABASE_URL / DATABASE_URL, timed load segments and their percentiles, a pg pool, the
// results file and the suite's own README table. Lives under bench/lib so bench/run.ts does not
// take it for a suite.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from '../../server/db/migrator.ts';

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The PostgreSQL server to benchmark on: TEST_DATABASE_URL, DATABASE_URL, or the local default. */
export function benchDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (url) return url;
  console.log(`(no TEST_DATABASE_URL or DATABASE_URL: using the local server, ${DEFAULT_BENCH_DATABASE_URL})`);
  return DEFAULT_BENCH_DATABASE_URL;
}

export const DEFAULT_BENCH_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

/** Creates an empty database, hands its URL over, and drops it afterwards whatever happened. */
export async function withScratchDatabase<T>(
  suite: string,
  fn: (url: string, postgresVersion: string) => Promise<T>,
): Promise<T> {
  const base = benchDatabaseUrl();
  const host = new URL(base).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost') throw new Error(`Refusing a non-local database (${host})`);
  const name = `creditdesk_bench_${suite}_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
    const version = (await admin.query('SHOW server_version')).rows[0]?.server_version as string;
    return await fn(withDatabase(base, name), version);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
}

/** A TCP port nobody listens on right now (the kernel picks it). */
export async function sparePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export function writeResults(suite: string, report: { at: string }): string {
  const dir = path.join(PROJECT_ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${suite}-${report.at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  return path.relative(process.cwd(), file);
}

/** Replaces the suite's table between its markers (or adds it under "## Benchmarks"). */
export function updateReadmeTable(suite: string, lines: string[]): void {
  const start = `<!-- bench:${suite}:start -->`;
  const end = `<!-- bench:${suite}:end -->`;
  const file = path.join(PROJECT_ROOT, 'README.md');
  let readme = readFileSync(file, 'utf8');
  const table = [start, ...lines, end].join('\n');
  if (readme.includes(start) && readme.includes(end)) {
    readme = readme.slice(0, readme.indexOf(start)) + table + readme.slice(readme.indexOf(end) + end.length);
  } else if (readme.includes('\n## Benchmarks\n')) {
    const at = readme.indexOf('\n## Benchmarks\n') + '\n## Benchmarks\n'.length;
    readme = `${readme.slice(0, at)}\n${table}\n${readme.slice(at)}`;
  } else {
    readme = `${readme.trimEnd()}\n\n## Benchmarks\n\n${table}\n`;
  }
  writeFileSync(file, readme);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Segment {
  ops: number;
  errors: number;
  ms: number;
  latencies: number[];
  /** CPU seconds spent during the segment by the server under test, PostgreSQL and this process. */
  cpu?: CpuSplit;
}

export interface CpuSplit {
  server: number;
  postgres: number;
  client: number;
}

/** `clients` loops calling `op` until `seconds` have passed; op's argument counts calls. */
export async function segment(clients: number, seconds: number, op: (i: number) => Promise<void>): Promise<Segment> {
  let i = 0;
  let errors = 0;
  const latencies: number[] = [];
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        try {
          await op(i++);
          latencies.push(performance.now() - t0);
        } catch (err) {
          errors += 1;
          if (errors === 1) console.error('  first error:', err instanceof Error ? err.message : err);
        }
      }
    }),
  );
  return { ops: latencies.length, errors, ms: performance.now() - started, latencies };
}

/** Throughput and latency percentiles over several segments of the same path. */
export function summarizeSegments(segments: Segment[]) {
  const latencies = segments.flatMap((s) => s.latencies).sort((a, b) => a - b);
  const ops = segments.reduce((s, x) => s + x.ops, 0);
  const ms = segments.reduce((s, x) => s + x.ms, 0);
  const measured = segments.filter((s) => s.cpu);
  const measuredOps = measured.reduce((s, x) => s + x.ops, 0);
  const perRequest = (k: keyof CpuSplit) =>
    Number(((measured.reduce((s, x) => s + x.cpu![k], 0) / measuredOps) * 1000).toFixed(3));
  return {
    ops,
    errors: segments.reduce((s, x) => s + x.errors, 0),
    opsPerSecond: Math.round((ops / ms) * 1000),
    p50Ms: Number(percentile(latencies, 50).toFixed(2)),
    p99Ms: Number(percentile(latencies, 99).toFixed(2)),
    /** CPU milliseconds per successful request (server, PostgreSQL, load generator), when measured. */
    cpuMsPerRequest:
      measuredOps > 0
        ? { server: perRequest('server'), postgres: perRequest('postgres'), client: perRequest('client') }
        : null,
  };
}

/** A plain pg pool for the same-run baseline, closed afterwards. */
export async function withPgPool<T>(url: string, max: number, fn: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => {});
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}

/**
 * VACUUM ANALYZE what the setup filled: the first measured segments then do not pay for setting
 * hint bits and the visibility map on the freshly loaded rows, nor meet autovacuum doing it. Not
 * the tables that start empty and the load fills (usage, the baseline's entries). Analyzed while
 * empty, a table is planned as empty for good (PostgreSQL 14+ drops its ten-page guess once
 * reltuples is 0), so every pooled connection's cached plan for the idempotency check scans the
 * whole usage table as it grows, until autoanalyze comes round: a fresh-database artifact that a
 * live system, or a new one (never analyzed), does not have.
 */
export async function analyzeSeeded(client: pg.Client): Promise<void> {
  const tables = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r'`,
  );
  for (const { name } of tables.rows) {
    const filled = await client.query(`SELECT 1 FROM "${name}" LIMIT 1`);
    if (filled.rowCount) await client.query(`VACUUM ANALYZE "${name}"`);
  }
}

/** What every suite's results file starts with: the suite, when, and on what it ran. */
export function runInfo(bench: string, postgres: string) {
  return {
    bench,
    at: new Date().toISOString(),
    postgres,
    node: process.version,
    cpus: os.cpus().length,
    load: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
}
