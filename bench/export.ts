// Export benchmark: 1,000,000 ledger entries (bulk-inserted with generate_series into a scratch
// database) exported as CSV through the real route, GET /api/staff/exports/ledger.csv, over HTTP
// with a finance session cookie, the body read as a stream the way the browser does. Reports wall
// time, rows/s, bytes, and the process's RSS (peak during the export, sampled every 20 ms, and the
// peak since start). Targets: < 15 s and < 256 MB.
//
//   npm run bench -- export [--rows 1000000]
//
// Needs real PostgreSQL: TEST_DATABASE_URL or DATABASE_URL (a scratch database is created there
// and dropped at the end).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import pino from 'pino';
import { buildApp } from '../server/app.ts';
import { createAuth } from '../server/auth.ts';
import { createPrisma } from '../server/db/client.ts';
import { applyMigrations, PROJECT_ROOT } from '../server/db/migrator.ts';
import { parseEnv } from '../server/env.ts';
import { createStaff } from '../server/modules/staff/create-staff.ts';

const TARGET_SECONDS = 15;
const TARGET_MB = 256;

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { rows: { type: 'string', default: '1000000' } } });
  const rows = Number(values.rows);
  const base = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!base) throw new Error('Set TEST_DATABASE_URL or DATABASE_URL to a PostgreSQL server');
  const name = `creditdesk_bench_export_${Date.now()}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = withDatabase(base, name);
  try {
    await applyMigrations(url);
    const setup = new pg.Client({ connectionString: url });
    await setup.connect();
    const t0 = performance.now();
    await setup.query(`
      INSERT INTO customer (id, external_id, email, updated_at)
      SELECT gen_random_uuid(), 'bench_' || g, 'bench_' || g || '@example.com', now() AT TIME ZONE 'UTC'
        FROM generate_series(1, 1000) g`);
    // Bench data only: written straight into the table, not through ledger_post_entry (balances
    // and lots are not what an export reads). Spread over a year, newest now.
    await setup.query(
      `INSERT INTO ledger_entry (customer_id, type, credits, actor_type, actor_id, reason, idempotency_key,
                                 balance_after, reference_type, reference, created_at)
       SELECT ids[1 + g % 1000],
              (CASE WHEN g % 10 = 0 THEN 'purchase' ELSE 'usage' END)::"LedgerEntryType",
              CASE WHEN g % 10 = 0 THEN 1000 ELSE -(1 + g % 100) END,
              (CASE WHEN g % 10 = 0 THEN 'stripe' ELSE 'service' END)::"ActorType",
              CASE WHEN g % 10 = 0 THEN 'evt_bench_' || g ELSE 'product-backend' END,
              CASE WHEN g % 10 = 0 THEN 'Credit pack purchased (Checkout cs_bench_' || g || ')' ELSE 'chat, model "gpt-4o-mini"' END,
              'bench:' || g,
              g % 5000,
              CASE WHEN g % 10 = 0 THEN 'checkout_session' ELSE 'usage' END,
              CASE WHEN g % 10 = 0 THEN 'cs_bench_' || g ELSE md5(g::text) END,
              (now() AT TIME ZONE 'UTC') - (($1::int - g) * interval '30 seconds')
         FROM generate_series(1, $1::int) g, (SELECT array_agg(id ORDER BY id) AS ids FROM customer) c`,
      [rows],
    );
    await setup.query('ANALYZE ledger_entry');
    const pgVersion = (await setup.query<{ v: string }>(`SELECT split_part(version(), ' on ', 1) AS v`)).rows[0]!.v;
    await setup.end();
    console.log(
      `inserted ${rows.toLocaleString('en-US')} ledger entries in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const env = parseEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: url });
    const prisma = createPrisma(url);
    const auth = createAuth({ prisma, secret: env.AUTH_SECRET, baseURL: env.PUBLIC_URL });
    const deps = { env, prisma, auth, log: pino({ level: 'silent' }), stripe: null, databaseUrl: url };
    const app = await buildApp(deps, { logger: false });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    await createStaff(
      prisma,
      auth,
      { type: 'system', id: 'bench' },
      {
        email: 'finance@bench.test',
        password: 'finance-bench-password',
        name: 'Bench Finance',
        role: 'finance',
      },
    );
    const signIn = await fetch(`${address}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: env.PUBLIC_URL },
      body: JSON.stringify({ email: 'finance@bench.test', password: 'finance-bench-password' }),
    });
    if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.status} ${await signIn.text()}`);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;

    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 400 * 86_400_000).toISOString().slice(0, 10);
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const started = performance.now();
    const res = await fetch(`${address}/api/staff/exports/ledger.csv?from=${from}&to=${to}`, { headers: { cookie } });
    if (!res.ok || !res.body) throw new Error(`export failed: ${res.status} ${await res.text()}`);
    const announced = Number(res.headers.get('x-total-rows'));
    let bytes = 0;
    let lines = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.byteLength;
      for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines += 1;
    }
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const maxRss = process.resourceUsage().maxRSS * 1024;
    await app.close();
    await prisma.$disconnect();

    const exported = lines - 1;
    if (exported !== rows || announced !== rows) {
      throw new Error(`expected ${rows} rows, got ${exported} (announced ${announced})`);
    }
    const report = {
      bench: 'export',
      at: new Date().toISOString(),
      postgres: pgVersion,
      node: process.version,
      cpus: os.cpus().length,
      rows: exported,
      bytes,
      seconds: Math.round(seconds * 100) / 100,
      rowsPerSecond: Math.round(exported / seconds),
      rssBeforeMb: mb(rssBefore),
      peakRssDuringExportMb: mb(peak),
      peakRssSinceStartMb: mb(maxRss),
      targets: { seconds: TARGET_SECONDS, mb: TARGET_MB },
      pass: seconds < TARGET_SECONDS && Math.max(peak, maxRss) < TARGET_MB * 1024 * 1024,
    };
    console.log(JSON.stringify(report, null, 2));
    const dir = path.join(PROJECT_ROOT, 'bench/results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, `export-${report.at.replace(/[:.]/g, '-')}.json`),
      JSON.stringify(report, null, 2) + '\n',
    );
    updateReadme(report);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

const START = '<!-- bench:export:start -->';
const END = '<!-- bench:export:end -->';

function updateReadme(r: {
  at: string;
  postgres: string;
  node: string;
  cpus: number;
  rows: number;
  bytes: number;
  seconds: number;
  rowsPerSecond: number;
  rssBeforeMb: number;
  peakRssDuringExportMb: number;
  peakRssSinceStartMb: number;
  pass: boolean;
}): void {
  const file = path.join(PROJECT_ROOT, 'README.md');
  let readme = readFileSync(file, 'utf8');
  const block = [
    START,
    `CSV export, last run ${r.at.slice(0, 16).replace('T', ' ')} UTC: PostgreSQL ${r.postgres}, Node ${r.node}, ${r.cpus} CPUs shared with the database; GET /api/staff/exports/ledger.csv over HTTP with a finance session, body read as a stream, server and reader in one process. Targets: < ${TARGET_SECONDS} s and < ${TARGET_MB} MB.`,
    '',
    '| rows | MB of CSV | seconds | rows/s | RSS before MB | peak RSS during export MB | peak RSS since start MB |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${r.rows.toLocaleString('en-US')} | ${mb(r.bytes)} | ${r.seconds} | ${r.rowsPerSecond.toLocaleString('en-US')} | ${r.rssBeforeMb} | ${r.peakRssDuringExportMb} | ${r.peakRssSinceStartMb} |`,
    '',
    `${r.pass ? 'Both targets met.' : 'A target was missed.'} Rows are read in keyset batches of 5,000 (no transaction or cursor held between batches), so memory does not grow with the export.`,
    END,
  ].join('\n');
  if (readme.includes(START) && readme.includes(END)) {
    readme = readme.slice(0, readme.indexOf(START)) + block + readme.slice(readme.indexOf(END) + END.length);
  } else {
    const marker = '_Filled in by `npm run bench`._';
    readme = readme.includes(marker)
      ? readme.replace(marker, `${block}\n\n${marker}`)
      : `${readme.trimEnd()}\n\n${block}\n`;
  }
  writeFileSync(file, readme);
}
