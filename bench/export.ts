// Export benchmark: 1,000,000 ledger entries (bulk-inserted with generate_series into a scratch
// database) exported as CSV through the real route, GET /api/staff/exports/ledger.csv, over HTTP
// with a finance session cookie, the body read as a stream the way the browser does. The server
// runs in its own process (this file, forked), so its memory is measured alone: RSS before the
// export, peak RSS during it (sampled every 20 ms) and the process's high-water mark (VmHWM).
// Targets: < 15 s and < 256 MB.
//
//   npm run bench -- export [--rows 1000000]
//
// Needs real PostgreSQL: TEST_DATABASE_URL or DATABASE_URL (a scratch database is created there
// and dropped at the end).
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { updateReadmeTable, withScratchDatabase, writeResults, runInfo } from './lib/common.ts';

// App modules are imported where they are used: the "export code alone" process must not load them.

const TARGET_SECONDS = 15;
const TARGET_MB = 256;

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { rows: { type: 'string', default: '1000000' } } });
  const rows = Number(values.rows);
  await withScratchDatabase('export', async (url) => {
    const { applyMigrations } = await import('../server/db/migrator.ts');
    await applyMigrations(url);
    const setup = new pg.Client({ connectionString: url });
    await setup.connect();
    const t0 = performance.now();
    await setup.query(`
      INSERT INTO customer (id, external_id, email, updated_at)
      SELECT gen_random_uuid(), 'bench_' || g, 'bench_' || g || '@example.com', now()
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
              now() - (($1::int - g) * interval '30 seconds')
         FROM generate_series(1, $1::int) g, (SELECT array_agg(id ORDER BY id) AS ids FROM customer) c`,
      [rows],
    );
    await setup.query('ANALYZE ledger_entry');
    const pgVersion = (await setup.query<{ v: string }>(`SELECT split_part(version(), ' on ', 1) AS v`)).rows[0]!.v;
    await setup.end();
    console.log(
      `inserted ${rows.toLocaleString('en-US')} ledger entries in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const server = fork(fileURLToPath(import.meta.url), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, EXPORT_BENCH_SERVE: url },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const { address, cookie } = await new Promise<{ address: string; cookie: string }>((resolve, reject) => {
      server.once('message', (m) => resolve(m as { address: string; cookie: string }));
      server.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
    });
    const memory = () => {
      const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
      const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
      return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
    };

    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 400 * 86_400_000).toISOString().slice(0, 10);
    const rssBefore = memory().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, memory().rss);
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
    peak = Math.max(peak, memory().rss);
    const maxRss = memory().hwm;
    server.kill('SIGTERM');
    const alone = await exportAlone(url, from, to);

    const exported = lines - 1;
    if (exported !== rows || announced !== rows) {
      throw new Error(`expected ${rows} rows, got ${exported} (announced ${announced})`);
    }
    const report = {
      ...runInfo('export', pgVersion),
      rows: exported,
      bytes,
      seconds: Math.round(seconds * 100) / 100,
      rowsPerSecond: Math.round(exported / seconds),
      rssBeforeMb: mb(rssBefore),
      peakRssDuringExportMb: mb(peak),
      serverHighWaterMarkMb: mb(maxRss),
      loadAverage: os.loadavg().map((x) => Math.round(x * 10) / 10),
      moduleAlone: alone,
      targets: { seconds: TARGET_SECONDS, mb: TARGET_MB },
      // Memory target on what the export adds to the server, and on the export code alone: the app
      // server's own baseline (Prisma, auth, tRPC, tsx) is reported beside it, not part of the export.
      pass: seconds < TARGET_SECONDS && peak - rssBefore < TARGET_MB * 1024 * 1024 && alone.highWaterMarkMb < TARGET_MB,
    };
    console.log(JSON.stringify(report, null, 2));
    writeResults('export', report);
    updateReadme(report);
  });
}

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
  serverHighWaterMarkMb: number;
  loadAverage: number[];
  moduleAlone: { rows: number; seconds: number; highWaterMarkMb: number };
  pass: boolean;
}): void {
  updateReadmeTable('export', [
    `CSV export, last run ${r.at.slice(0, 16).replace('T', ' ')} UTC: ${r.postgres}, Node ${r.node}, ${r.cpus} CPUs shared with the database; GET /api/staff/exports/ledger.csv over HTTP with a finance session, body read as a stream; memory is the server process's own. Targets: < ${TARGET_SECONDS} s and < ${TARGET_MB} MB.`,
    '',
    '| path | rows | MB of CSV | seconds | rows/s | RSS before MB | peak RSS MB | added by the export MB |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| HTTP route, app server process | ${r.rows.toLocaleString('en-US')} | ${mb(r.bytes)} | ${r.seconds} | ${r.rowsPerSecond.toLocaleString('en-US')} | ${r.rssBeforeMb} | ${r.peakRssDuringExportMb} | ${Math.round((r.peakRssDuringExportMb - r.rssBeforeMb) * 10) / 10} |`,
    `| export code alone, fresh process | ${r.moduleAlone.rows.toLocaleString('en-US')} | ${mb(r.bytes)} | ${r.moduleAlone.seconds} | ${Math.round(r.moduleAlone.rows / r.moduleAlone.seconds).toLocaleString('en-US')} | — | ${r.moduleAlone.highWaterMarkMb} (high-water mark) | — |`,
    '',
    `${r.pass ? 'Targets met' : 'A target was missed'} (time on the HTTP route; memory on what the export adds to the server and on the export code alone). The app server's RSS before the export is its own baseline under tsx (Prisma client, auth, tRPC, Stripe SDK), not the export's; the server's high-water mark was ${r.serverHighWaterMarkMb} MB. Load average during the run: ${r.loadAverage.join(' / ')} on ${r.cpus} CPUs. Rows are read in keyset batches of 5,000 with PostgreSQL writing the CSV lines, so memory does not grow with the export.`,
  ]);
}

/** The forked server: the app on the scratch database, a finance user signed in. */
async function serve(url: string): Promise<void> {
  const [{ default: pino }, { buildApp }, { createAuth }, { createPrisma }, { parseEnv }, { createStaff }] =
    await Promise.all([
      import('pino'),
      import('../server/app.ts'),
      import('../server/auth.ts'),
      import('../server/db/client.ts'),
      import('../server/env.ts'),
      import('../server/modules/staff/create-staff.ts'),
    ]);
  const env = parseEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: url });
  const prisma = createPrisma(url);
  const auth = createAuth({ prisma, secret: env.AUTH_SECRET, baseURL: env.PUBLIC_URL });
  const deps = { env, prisma, auth, log: pino({ level: 'silent' }), stripe: null, databaseUrl: url };
  const app = await buildApp(deps, { logger: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const finance = { email: 'finance@bench.test', password: 'finance-bench-password', name: 'Bench Finance' };
  await createStaff(prisma, auth, { type: 'system', id: 'bench' }, { ...finance, role: 'finance' });
  const signIn = await fetch(`${address}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: env.PUBLIC_URL },
    body: JSON.stringify({ email: finance.email, password: finance.password }),
  });
  if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.status} ${await signIn.text()}`);
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
  process.send?.({ address, cookie });
  process.on('SIGTERM', () => {
    void app
      .close()
      .then(() => prisma.$disconnect())
      .finally(() => process.exit(0));
  });
}

/** The export code alone in a fresh process: pg pool -> streamExport -> a byte counter. */
async function exportAlone(url: string, from: string, to: string) {
  const child = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, EXPORT_BENCH_MODULE: JSON.stringify({ url, from, to }) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise<{ rows: number; seconds: number; highWaterMarkMb: number }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { rows: number; seconds: number; highWaterMarkMb: number }));
    child.once('exit', (code) => reject(new Error(`export-alone process exited (${code})`)));
  });
}

async function runAlone(spec: { url: string; from: string; to: string }): Promise<void> {
  const { pgRowSource } = await import('../server/modules/reports/row-source.ts');
  const { streamExport } = await import('../server/modules/reports/stream-export.ts');
  const pool = new pg.Pool({ connectionString: spec.url, max: 2 });
  const started = performance.now();
  let lines = 0;
  for await (const chunk of streamExport(pgRowSource(pool), 'ledger', { from: spec.from, to: spec.to })) {
    for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', i + 1)) lines += 1;
  }
  const seconds = (performance.now() - started) / 1000;
  await pool.end();
  const status = readFileSync('/proc/self/status', 'utf8');
  const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  process.send?.({ rows: lines - 1, seconds: Math.round(seconds * 100) / 100, highWaterMarkMb: mb(hwm) }, () =>
    process.exit(0),
  );
}

if (process.env.EXPORT_BENCH_SERVE) await serve(process.env.EXPORT_BENCH_SERVE);
if (process.env.EXPORT_BENCH_MODULE) await runAlone(JSON.parse(process.env.EXPORT_BENCH_MODULE));
