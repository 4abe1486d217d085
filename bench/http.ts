// HTTP: the hot paths of the real server over real sockets, beside an HTTP baseline measured in
// the same run on the same PostgreSQL. Both are separate processes on loopback; one load
// generator (bench/lib/http-load.ts: --clients keep-alive connections) drives both alike.
//
//   baseline      a plain Fastify route: BEGIN; INSERT; UPDATE; COMMIT on a pg pool (bench/lib/http-baseline.ts)
//   usage, cold   POST /api/v1/usage, 1 credit, a different customer each request (of --customers)
//   usage, hot    POST /api/v1/usage, 1 credit, 4 customers shared by every client
//   access check  POST /api/v1/access/check, 1 credit, cold customers
//   balance       GET /api/v1/customers/{id}/balance, cold customers
//
// Segments run A B C D E E D C B A (each after a 1 s warm-up that is not counted), so drift on a
// shared machine hits every path alike. Afterwards: no balance below zero, every 200 of /usage is
// one usage row and one ledger entry, and the ledger invariants (verify-ledger.ts) hold.
//
//   npm run bench -- http [--seconds 5] [--clients 32] [--customers 2000]
//
// PostgreSQL: TEST_DATABASE_URL, DATABASE_URL or the local default (see bench/lib/common.ts); a
// scratch database is created there and dropped at the end.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { applyMigrations, PROJECT_ROOT } from '../server/db/migrator.ts';
import { createPrisma } from '../server/db/client.ts';
import { SYSTEM_ACTOR } from '../server/lib/actor.ts';
import { importCatalog } from '../server/modules/catalog/import-catalog.ts';
import { verifyLedger } from '../server/modules/ledger/verify-ledger.ts';
import {
  sparePort,
  summarizeSegments,
  type Segment,
  updateReadmeTable,
  withScratchDatabase,
  writeResults,
} from './lib/common.ts';
import { BASELINE_TABLES } from './lib/http-baseline.ts';
import { httpSegment, type HttpRequestSpec } from './lib/http-load.ts';
import { startServer, type ServerProcess } from './lib/server-process.ts';

const API_KEY = 'cdk_bench_http_service_key_0123456789';
const HOT = 4;
const FUNDS = 10_000_000;
/** The server's pool (createPrisma's default); the baseline gets the same. */
const POOL = 10;

interface PathSpec {
  name: string;
  /** The target from issue 15, as a share of the baseline's req/s. */
  target: number | null;
  server: 'baseline' | 'app';
  request: (i: number) => HttpRequestSpec;
  accept?: (answer: { status: number; body: string }) => boolean;
}

export interface PathResult {
  path: string;
  ops: number;
  errors: number;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  ratio: number;
  target: number | null;
}

let seq = 0;
const auth = { authorization: `Bearer ${API_KEY}` };

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      seconds: { type: 'string', default: '5' },
      clients: { type: 'string', default: '32' },
      customers: { type: 'string', default: '2000' },
    },
  });
  const seconds = Number(values.seconds);
  const clients = Number(values.clients);
  const cold = Number(values.customers);

  await withScratchDatabase('http', async (url, version) => {
    console.log(
      `http bench: PostgreSQL ${version}, ${clients} clients over loopback, ${seconds} s segments, ${cold} cold + ${HOT} hot customers`,
    );
    await applyMigrations(url);
    await setup(url, cold);
    let app: ServerProcess | null = null;
    let baseline: ServerProcess | null = null;
    try {
      [app, baseline] = await Promise.all([
        startServer({ databaseUrl: url, port: await sparePort(), env: { SERVICE_API_KEY: API_KEY } }),
        startServer({
          databaseUrl: url,
          port: await sparePort(),
          entry: 'bench/lib/http-baseline.ts',
          env: { POOL_MAX: String(POOL) },
        }),
      ]);
      const bases = { app: app.base, baseline: baseline.base };
      let usageOk = 0;
      const usageAccepted = (a: { status: number }) => {
        if (a.status !== 200) return false;
        usageOk += 1;
        return true;
      };
      const paths: PathSpec[] = [
        {
          name: 'baseline: Fastify + pg BEGIN; INSERT; UPDATE; COMMIT',
          target: null,
          server: 'baseline',
          request: () => {
            const n = seq++;
            return { method: 'POST', path: '/baseline', body: JSON.stringify({ account: n % cold, key: `b${n}` }) };
          },
        },
        {
          name: 'POST /api/v1/usage, cold customers',
          target: 0.6,
          server: 'app',
          request: () => usageRequest(`cold-${seq % cold}`),
          accept: usageAccepted,
        },
        {
          name: `POST /api/v1/usage, ${HOT} hot customers`,
          target: 0.6,
          server: 'app',
          request: () => usageRequest(`hot-${seq % HOT}`),
          accept: usageAccepted,
        },
        {
          name: 'POST /api/v1/access/check',
          target: 1,
          server: 'app',
          request: () => {
            const n = seq++;
            const body = { customerId: `cold-${n % cold}`, feature: 'chat', credits: 1 };
            return { method: 'POST', path: '/api/v1/access/check', headers: auth, body: JSON.stringify(body) };
          },
          accept: (a) => a.status === 200 && (JSON.parse(a.body) as { allowed: boolean }).allowed,
        },
        {
          name: 'GET /api/v1/customers/{id}/balance',
          target: 1,
          server: 'app',
          request: () => ({ method: 'GET', path: `/api/v1/customers/cold-${seq++ % cold}/balance`, headers: auth }),
        },
      ];

      const segments = new Map<string, Segment[]>(paths.map((p) => [p.name, []]));
      for (const p of [...paths, ...[...paths].reverse()]) {
        const base = bases[p.server];
        await httpSegment(base, clients, 1, p.request, p.accept);
        const s = await httpSegment(base, clients, seconds, p.request, p.accept);
        segments.get(p.name)!.push(s);
        console.log(
          `  ${p.name.padEnd(52)} ${String(Math.round((s.ops / s.ms) * 1000)).padStart(6)} req/s  errors ${s.errors}`,
        );
      }

      const base = summarizeSegments(segments.get(paths[0]!.name)!);
      const results: PathResult[] = paths.map((p) => {
        const s = summarizeSegments(segments.get(p.name)!);
        return { path: p.name, ...s, ratio: Number((s.opsPerSecond / base.opsPerSecond).toFixed(2)), target: p.target };
      });
      console.log('');
      for (const r of results) {
        console.log(
          `  ${r.path.padEnd(52)} ${String(r.opsPerSecond).padStart(6)} req/s  p50 ${r.p50Ms.toFixed(2)} ms  p99 ${r.p99Ms.toFixed(2)} ms  x${r.ratio.toFixed(2)}${r.target ? ` (target ${r.target})` : ''}  errors ${r.errors}`,
        );
      }

      const check = await checkOutcome(url, usageOk);
      console.log(
        `\nafter the run: ${check.usageRows} usage rows for ${usageOk} answers 200, ${check.usageEntries} usage entries, lowest balance ${check.minBalance}, ledger ${check.problems === 0 ? 'invariants all hold' : `${check.problems} problems`}`,
      );
      const report = {
        bench: 'http',
        at: new Date().toISOString(),
        postgres: version,
        node: process.version,
        cpus: os.cpus().length,
        load: os.loadavg().map((l) => Number(l.toFixed(2))),
        clients,
        secondsPerSegment: seconds,
        coldCustomers: cold,
        hotCustomers: HOT,
        results,
        check,
      };
      const file = writeResults('http', report);
      updateReadme(report);
      console.log(`\nwrote ${file} and the table in README.md`);
      if (!check.ok) throw new Error('HTTP bench: overdraft, usage rows off the answers, or ledger problems');
    } catch (err) {
      if (app) console.error(`server output (tail):\n${app.output()}`);
      throw err;
    } finally {
      await Promise.all([app?.stop(), baseline?.stop()]);
    }
  });
}

function usageRequest(customerId: string): HttpRequestSpec {
  const n = seq++;
  const body = { customerId, feature: 'chat', idempotencyKey: `bench-${process.pid}-${n}`, credits: 1 };
  return { method: 'POST', path: '/api/v1/usage', headers: auth, body: JSON.stringify(body) };
}

/** The default catalog, cold and hot customers funded through the ledger, and the baseline's tables. */
async function setup(url: string, cold: number): Promise<void> {
  const db = createPrisma(url, { max: 2 });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const catalog: unknown = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'prisma/catalog.default.json'), 'utf8'));
    await importCatalog(db, catalog, SYSTEM_ACTOR);
    await client.query(
      `INSERT INTO customer (id, external_id, email, updated_at)
       SELECT gen_random_uuid(), name, name || '@example.com', now()
         FROM (SELECT 'cold-' || g AS name FROM generate_series(0, $1::int - 1) g
               UNION ALL SELECT 'hot-' || g FROM generate_series(0, $2::int - 1) g) n`,
      [cold, HOT],
    );
    // Funds through the ledger's one write path (the database function every grant uses).
    await client.query(
      `SELECT ledger_post_entry(jsonb_build_object(
         'mode', 'grant', 'customerId', id, 'credits', $1::int, 'type', 'grant',
         'idempotencyKey', 'bench-fund-' || external_id, 'reason', 'bench funds',
         'actorType', 'system', 'actorId', 'system', 'requireActive', false,
         'lot', jsonb_build_object('source', 'promo', 'costBasis', 'free')))
         FROM customer`,
      [FUNDS],
    );
    await client.query(BASELINE_TABLES);
    await client.query(
      'INSERT INTO bench_account (id, balance) SELECT g, $2::bigint FROM generate_series(0, $1::int - 1) g',
      [cold, FUNDS],
    );
    await client.query('ANALYZE');
  } finally {
    await client.end();
    await db.$disconnect();
  }
}

async function checkOutcome(url: string, usageOk: number) {
  const db = createPrisma(url, { max: 2 });
  try {
    const usageRows = await db.usage.count();
    const usageEntries = await db.ledgerEntry.count({ where: { type: 'usage' } });
    const min = await db.customer.aggregate({ _min: { balance: true } });
    const problems = (await verifyLedger(db)).length;
    const minBalance = min._min.balance ?? 0;
    return {
      usageRows,
      usageEntries,
      minBalance,
      problems,
      ok: usageRows === usageOk && usageEntries === usageOk && minBalance >= 0 && problems === 0,
    };
  } finally {
    await db.$disconnect();
  }
}

function updateReadme(report: {
  at: string;
  postgres: string;
  node: string;
  cpus: number;
  load: number[];
  clients: number;
  secondsPerSegment: number;
  coldCustomers: number;
  results: PathResult[];
  check: { usageRows: number; minBalance: number; problems: number };
}): void {
  const verdict = (r: PathResult) => {
    if (r.target === null) return 'reference';
    const met = r.ratio >= r.target && r.p99Ms < 50;
    return `>= ${r.target.toFixed(1)}, p99 < 50: ${met ? 'met' : 'NOT met'}`;
  };
  updateReadmeTable('http', [
    `Over real HTTP (loopback sockets, separate server processes), last run ${report.at.slice(0, 16).replace('T', ' ')} UTC: PostgreSQL ${report.postgres}, Node ${report.node}, ${report.cpus} CPUs shared by the server, the baseline, the load generator and the database (load average at the end ${report.load.join(' / ')}); ${report.clients} concurrent keep-alive clients, ${report.secondsPerSegment} s segments, each path measured twice (A…E E…A).`,
    '',
    '| path | req/s | p50 ms | p99 ms | vs baseline | target | errors |',
    '| --- | ---: | ---: | ---: | ---: | --- | ---: |',
    ...report.results.map(
      (r) =>
        `| ${r.path} | ${r.opsPerSecond.toLocaleString('en')} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${r.ratio.toFixed(2)} | ${verdict(r)} | ${r.errors} |`,
    ),
    '',
    `Cold = one of ${report.coldCustomers.toLocaleString('en')} customers per request; hot = 4 customers shared by every client (their row locks queue). Afterwards: ${report.check.usageRows.toLocaleString('en')} usage rows, one per 200, lowest balance ${report.check.minBalance}, ${report.check.problems} ledger problems.`,
  ]);
}
