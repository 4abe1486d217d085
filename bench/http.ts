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
//   npm run bench -- http [--seconds 5] [--clients 32] [--customers 2000] [--only all|api|webhooks]
//                         [--month-scale 1] [--no-peer] [--cpu-prof] [--no-triggers]
//
// --no-triggers is an experiment, not a configuration: every session the servers open (ours, the
// baseline's, whose tables have neither, and the peer's) runs with session_replication_role =
// replica, so no foreign-key check and no trigger fires (the ledger's guard included). It sizes what the ledger's integrity checks cost over HTTP (README, issue 15);
// its figures go to the results file only, never to the README tables. Needs a superuser.
//
// PostgreSQL: TEST_DATABASE_URL, DATABASE_URL or the local default (see bench/lib/common.ts); a
// scratch database is created there and dropped at the end.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { applyMigrations, PROJECT_ROOT } from '../server/db/migrator.ts';
import { createPrisma } from '../server/db/client.ts';
import { SYSTEM_ACTOR } from '../server/lib/actor.ts';
import { importCatalog } from '../server/modules/catalog/import-catalog.ts';
import { verifyLedger } from '../server/modules/ledger/verify-ledger.ts';
import {
  analyzeSeeded,
  type CpuSplit,
  sparePort,
  summarizeSegments,
  type Segment,
  updateReadmeTable,
  withScratchDatabase,
  writeResults,
  runInfo,
} from './lib/common.ts';
import { fundedCustomers } from './lib/funded-customers.ts';
import { BASELINE_TABLES } from './lib/http-baseline.ts';
import { httpSegment, type HttpRequestSpec } from './lib/http-load.ts';
import { installPeer } from './lib/peer.ts';
import { startServer, withCpu, type ServerProcess } from './lib/server-process.ts';
import { runWebhookMix } from './lib/webhook-mix.ts';

const API_KEY = 'cdk_bench_http_service_key_0123456789';
const WEBHOOK_SECRET = 'whsec_bench_http_mix';
const PEER_SKIPS = 'it calls Stripe’s API for these (line items), which it has no key for here | — | —';
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
  cpuMsPerRequest: CpuSplit | null;
}

const cpuCell = (c: CpuSplit | null) =>
  c ? `${c.server.toFixed(2)} / ${c.postgres.toFixed(2)} / ${c.client.toFixed(2)}` : 'n/a';

let seq = 0;
const auth = { authorization: `Bearer ${API_KEY}` };

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    allowNegative: true,
    options: {
      seconds: { type: 'string', default: '5' },
      clients: { type: 'string', default: '32' },
      customers: { type: 'string', default: '2000' },
      only: { type: 'string', default: 'all' },
      'month-scale': { type: 'string', default: '1' },
      peer: { type: 'boolean', default: true },
      'cpu-prof': { type: 'boolean', default: false },
      triggers: { type: 'boolean', default: true },
    },
  });
  const noTriggers = !values.triggers;
  const only = values.only as 'all' | 'api' | 'webhooks';
  if (!['all', 'api', 'webhooks'].includes(only)) throw new Error('--only takes all, api or webhooks');
  const seconds = Number(values.seconds);
  const clients = Number(values.clients);
  const cold = Number(values.customers);

  await withScratchDatabase('http', async (url, version) => {
    console.log(
      `http bench: PostgreSQL ${version}, ${clients} clients over loopback, ${seconds} s segments, ${cold} cold + ${HOT} hot customers`,
    );
    await applyMigrations(url);
    await setup(url, cold);
    if (noTriggers) await withoutTriggers(url);
    let app: ServerProcess | null = null;
    let baseline: ServerProcess | null = null;
    let peer: ServerProcess | null = null;
    // The peer of the webhook mix: installed with npm into bench/.peer on first use.
    const peerInstall = only !== 'api' && values.peer ? await installPeer() : { error: 'not run (--no-peer)' };
    const peerNote = 'error' in peerInstall ? peerInstall.error : null;
    try {
      [app, baseline, peer] = await Promise.all([
        startServer({
          databaseUrl: url,
          port: await sparePort(),
          env: {
            SERVICE_API_KEY: API_KEY,
            STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
            // --cpu-prof: the server's CPU profile, written when it stops (open it in Chrome DevTools).
            ...(values['cpu-prof']
              ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${PROJECT_ROOT}/bench/results/cpu-prof` }
              : {}),
          },
        }),
        startServer({
          databaseUrl: url,
          port: await sparePort(),
          entry: 'bench/lib/http-baseline.ts',
          env: { POOL_MAX: String(POOL) },
        }),
        'dir' in peerInstall
          ? startServer({
              databaseUrl: url,
              port: await sparePort(),
              entry: 'bench/lib/peer-server.ts',
              env: { POOL_MAX: String(POOL), PEER_DIR: peerInstall.dir, WEBHOOK_SECRET },
            })
          : Promise.resolve(null),
      ]);
      const bases = { app: app.base, baseline: baseline.base };
      const servers = { app, baseline };
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

      if (only === 'webhooks') paths.splice(1);
      const segments = new Map<string, Segment[]>(paths.map((p) => [p.name, []]));
      for (const p of [...paths, ...[...paths].reverse()]) {
        const base = bases[p.server];
        await httpSegment(base, clients, 1, p.request, p.accept);
        const s = await measuredSegment(servers[p.server].child.pid, () =>
          httpSegment(base, clients, seconds, p.request, p.accept),
        );
        segments.get(p.name)!.push(s);
        console.log(
          `  ${p.name.padEnd(52)} ${String(Math.round((s.ops / s.ms) * 1000)).padStart(6)} req/s  errors ${s.errors}`,
        );
      }

      const mix =
        only === 'api'
          ? null
          : await runWebhookMix({
              url,
              app: app.base,
              peer: peer?.base ?? null,
              appPid: app.child.pid,
              peerPid: peer?.child.pid,
              clients,
              scale: Number(values['month-scale']),
              secret: WEBHOOK_SECRET,
            });
      if (mix) {
        // The baseline once more after the mix, so it brackets the webhook figures too.
        const s = await measuredSegment(servers.baseline.child.pid, () =>
          httpSegment(servers.baseline.base, clients, seconds, paths[0]!.request),
        );
        segments.get(paths[0]!.name)!.push(s);
      }

      const base = summarizeSegments(segments.get(paths[0]!.name)!);
      const results: PathResult[] = paths.map((p) => {
        const s = summarizeSegments(segments.get(p.name)!);
        return { path: p.name, ...s, ratio: Number((s.opsPerSecond / base.opsPerSecond).toFixed(2)), target: p.target };
      });
      console.log('');
      for (const r of results) {
        console.log(
          `  ${r.path.padEnd(52)} ${String(r.opsPerSecond).padStart(6)} req/s  p50 ${r.p50Ms.toFixed(2)} ms  p99 ${r.p99Ms.toFixed(2)} ms  x${r.ratio.toFixed(2)}${r.target ? ` (target ${r.target})` : ''}  errors ${r.errors}  cpu ms/req server / postgres / client ${cpuCell(r.cpuMsPerRequest)}`,
        );
      }

      const webhooks = mix ? webhookRows(mix, base.opsPerSecond, peerNote) : null;
      if (webhooks) printWebhooks(webhooks);

      const check = await checkOutcome(url, usageOk);
      console.log(
        `\nafter the run: ${check.usageRows} usage rows for ${usageOk} answers 200, ${check.usageEntries} usage entries, lowest balance ${check.minBalance}, ledger ${check.problems === 0 ? 'invariants all hold' : `${check.problems} problems`}`,
      );
      const report = {
        ...runInfo('http', version),
        clients,
        secondsPerSegment: seconds,
        coldCustomers: cold,
        hotCustomers: HOT,
        triggers: noTriggers ? 'off: session_replication_role = replica (--no-triggers)' : 'on',
        results,
        check,
        webhooks,
      };
      const file = writeResults('http', report);
      if (noTriggers) {
        console.log(`\nwrote ${file}; README tables left as they are (--no-triggers is an experiment)`);
      } else {
        if (only !== 'webhooks') updateReadme(report);
        if (webhooks) updateWebhookReadme(webhooks, report.at, base.opsPerSecond, only === 'all', base.cpuMsPerRequest);
        console.log(`\nwrote ${file} and the table in README.md`);
      }
      if (!check.ok) throw new Error('HTTP bench: overdraft, usage rows off the answers, or ledger problems');
      if (webhooks && !webhooks.check.ok) throw new Error('HTTP bench: the webhook mix did not settle as expected');
    } catch (err) {
      if (app) console.error(`server output (tail):\n${app.output()}`);
      throw err;
    } finally {
      await Promise.all([app?.stop(), baseline?.stop(), peer?.stop()]);
    }
  });
}

/** Runs one segment and records the CPU it took: the server's process, PostgreSQL's, this one's. */
async function measuredSegment(serverPid: number | undefined, run: () => Promise<Segment>): Promise<Segment> {
  const [s, cpu] = await withCpu(serverPid, run);
  return cpu ? { ...s, cpu } : s;
}

function usageRequest(customerId: string): HttpRequestSpec {
  const n = seq++;
  const body = { customerId, feature: 'chat', idempotencyKey: `bench-${process.pid}-${n}`, credits: 1 };
  return { method: 'POST', path: '/api/v1/usage', headers: auth, body: JSON.stringify(body) };
}

/**
 * --no-triggers: every session opened from now on (the servers start after this) fires no
 * triggers, foreign-key checks included. The setup above ran with them, so the data is the same.
 */
async function withoutTriggers(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`ALTER DATABASE "${new URL(url).pathname.slice(1)}" SET session_replication_role = replica`);
  } catch (err) {
    throw new Error(`--no-triggers needs a superuser to set session_replication_role: ${(err as Error).message}`, {
      cause: err,
    });
  } finally {
    await client.end();
  }
  console.log("  --no-triggers: no foreign-key checks and no triggers in the servers' sessions (an experiment)");
}

/** The default catalog, cold and hot customers funded through the ledger, and the baseline's tables. */
async function setup(url: string, cold: number): Promise<void> {
  const db = createPrisma(url, { max: 2 });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const catalog: unknown = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'prisma/catalog.default.json'), 'utf8'));
    await importCatalog(db, catalog, SYSTEM_ACTOR);
    await fundedCustomers(
      client,
      [
        { prefix: 'cold', count: cold },
        { prefix: 'hot', count: HOT },
      ],
      FUNDS,
    );
    await client.query(BASELINE_TABLES);
    await client.query(
      'INSERT INTO bench_account (id, balance) SELECT g, $2::bigint FROM generate_series(0, $1::int - 1) g',
      [cold, FUNDS],
    );
    await analyzeSeeded(client);
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
    `Over real HTTP (loopback sockets, separate server processes), last run ${report.at.slice(0, 16).replace('T', ' ')} UTC: PostgreSQL ${report.postgres}, Node ${report.node}, ${report.cpus} CPUs shared by the server, the baseline, the load generator and the database (load average at the end ${report.load.join(' / ')}); ${report.clients} concurrent keep-alive clients, ${report.secondsPerSegment} s segments, each path measured twice (A…E E…A). CPU per request is the CPU time each side used during the path's segments (/proc), divided by its successful requests: the server under test (ours, or the baseline's process), every PostgreSQL process, and the load generator.`,
    '',
    '| path | req/s | p50 ms | p99 ms | vs baseline | target | errors | CPU ms per request: server / PostgreSQL / load generator |',
    '| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |',
    ...report.results.map(
      (r) =>
        `| ${r.path} | ${r.opsPerSecond.toLocaleString('en')} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${r.ratio.toFixed(2)} | ${verdict(r)} | ${r.errors} | ${cpuCell(r.cpuMsPerRequest)} |`,
    ),
    '',
    `Cold = one of ${report.coldCustomers.toLocaleString('en')} customers per request; hot = 4 customers shared by every client (their row locks queue). Afterwards: ${report.check.usageRows.toLocaleString('en')} usage rows, one per 200, lowest balance ${report.check.minBalance}, ${report.check.problems} ledger problems.`,
  ]);
}

type Mix = Awaited<ReturnType<typeof runWebhookMix>>;
export type WebhookReport = ReturnType<typeof webhookRows>;

function webhookRows(mix: Mix, baseline: number, peerNote: string | null) {
  const ratio = (x: number) => Number((x / baseline).toFixed(2));
  return {
    ...mix,
    peerNote,
    mixRatio: ratio(mix.mix.opsPerSecond),
    rows: mix.results.map((r) => ({
      ...r,
      ratio: ratio(r.opsPerSecond),
      vsPeer:
        r.peer && r.peer.errors === 0 && r.peer.opsPerSecond > 0
          ? Number((r.opsPerSecond / r.peer.opsPerSecond).toFixed(2))
          : null,
    })),
  };
}

function printWebhooks(w: WebhookReport): void {
  console.log(`\nwebhook mix (${w.month.map((m) => `${m.customers} x ${m.story}`).join('; ')}):`);
  for (const r of w.rows) {
    const peer = r.peer
      ? `  peer ${String(r.peer.opsPerSecond).padStart(5)} req/s p50 ${r.peer.p50Ms.toFixed(2)} p99 ${r.peer.p99Ms.toFixed(2)} errors ${r.peer.errors} cpu ${eventCpu(r.peer.cpuMsPerEvent)}${r.vsPeer ? `  ours/peer x${r.vsPeer.toFixed(2)}` : ''}`
      : '';
    console.log(
      `  ${r.type.padEnd(40)} ${String(r.events).padStart(5)} ev ${String(r.opsPerSecond).padStart(6)} req/s  p50 ${r.p50Ms.toFixed(2)} ms  p99 ${r.p99Ms.toFixed(2)} ms  x${r.ratio.toFixed(2)}  errors ${r.errors}  cpu ms/event server / postgres ${eventCpu(r.cpuMsPerEvent)}${peer}`,
    );
  }
  console.log(`  whole mix: ${w.mix.events} events, ${w.mix.opsPerSecond} req/s, x${w.mixRatio}`);
  if (w.peerNote) console.log(`  peer: ${w.peerNote}`);
  const c = w.check;
  console.log(
    `  after the mix: ${JSON.stringify(c.byStatus)}, ${c.pending} pending, ${c.wrongStatus} with the wrong status, ${c.duplicateDeliveries} of ${c.duplicatesSent} repeats recorded as duplicates, credits granted ${c.granted} (expected ${c.expectedGranted})`,
  );
  for (const s of c.stories)
    console.log(`    ${s.story}: ${s.customers} customers, ${s.off} off the reference (${s.expected})`);
}

/** `withApi`: the service API table above comes from the same run (not so with --only webhooks). */
function updateWebhookReadme(
  w: WebhookReport,
  at: string,
  baseline: number,
  withApi: boolean,
  baselineCpu: CpuSplit | null,
): void {
  const verdict = (r: WebhookReport['rows'][number]) =>
    r.kind === 'duplicate' ? '' : `${r.ratio >= 0.5 && r.p99Ms < 50 ? 'met' : 'NOT met'}`;
  const peerCell = (r: WebhookReport['rows'][number]) => {
    if (!r.peer) return r.type.startsWith('checkout.session.') && !w.peerNote ? `not run: ${PEER_SKIPS}` : '— | — | —';
    if (r.peer.errors > 0) return `errors: ${r.peer.errors} of ${r.peer.events} (${noteOf(r.peer.note)}) | — | —`;
    return `${r.peer.opsPerSecond.toLocaleString('en')} | ${r.peer.p99Ms.toFixed(2)} | ${r.vsPeer?.toFixed(2) ?? '—'}${r.vsPeer !== null && r.kind === 'applied' ? (r.vsPeer >= 1.5 ? ' (met)' : ' (NOT met)') : ''}`;
  };
  const c = w.check;
  updateReadmeTable('http-webhooks', [
    `Webhook mix over real HTTP, ${withApi ? 'same run as the table above' : 'its own run (`--only webhooks`)'} (${at.slice(0, 16).replace('T', ' ')} UTC, HTTP baseline ${baseline.toLocaleString('en')} req/s in that run): a month of ${w.month.map((m) => `${m.customers} × ${m.story} (${m.events} events)`).join('; ')}, then 10% of it delivered again. ${w.peerNote ? `Peer: ${w.peerNote}.` : `Peer: @supabase/stripe-sync-engine 0.48.5 on the same events, same PostgreSQL (schema \`stripe\`), behind a minimal Fastify route.`}`,
    '',
    '| event type | ours | events | req/s | p50 ms | p99 ms | vs baseline | >= 0.5, p99 < 50 | peer req/s | peer p99 ms | ours / peer | errors | CPU ms per event, ours: server / PostgreSQL | peer: server / PostgreSQL |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...w.rows.map(
      (r) =>
        `| ${r.type} | ${r.kind} | ${r.events.toLocaleString('en')} | ${r.opsPerSecond.toLocaleString('en')} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${r.ratio.toFixed(2)} | ${verdict(r)} | ${peerCell(r)} | ${r.errors} | ${eventCpu(r.cpuMsPerEvent)} | ${eventCpu(r.peer?.cpuMsPerEvent ?? null)} |`,
    ),
    `| whole month (every wave) | | ${w.mix.events.toLocaleString('en')} | ${w.mix.opsPerSecond.toLocaleString('en')} | ${w.mix.p50Ms.toFixed(2)} | ${w.mix.p99Ms.toFixed(2)} | ${w.mixRatio.toFixed(2)} | | | | | ${w.mix.errors} | ${eventCpu(w.mix.cpuMsPerEvent)} | |`,
    '',
    `CPU per event: the CPU time the receiving process and every PostgreSQL process used while a type's waves ran (/proc), divided by its events. The HTTP baseline in this run: ${baselineCpu ? `${baselineCpu.server.toFixed(2)} / ${baselineCpu.postgres.toFixed(2)}` : 'not measured'} per request.`,
    '',
    `Afterwards: ${Object.entries(c.byStatus)
      .map(([k, v]) => `${v.toLocaleString('en')} ${k}`)
      .join(
        ', ',
      )}, ${c.pending} still pending, ${c.wrongStatus} with a wrong status; ${c.duplicateDeliveries} of ${c.duplicatesSent} repeats recorded as duplicates; credits granted ${c.granted.toLocaleString('en')} (expected ${c.expectedGranted.toLocaleString('en')}); every customer's ledger equal to its story's reference copy: ${c.stories.map((s) => `${s.story} ${s.off === 0 ? 'yes' : `${s.off} off`} (${s.expected})`).join('; ')}.`,
  ]);
}

const eventCpu = (c: { server: number; postgres: number } | null) =>
  c ? `${c.server.toFixed(2)} / ${c.postgres.toFixed(2)}` : '—';

function noteOf(note: string | undefined): string {
  if (!note) return 'no answer';
  try {
    return String((JSON.parse(note) as { error?: string }).error ?? note).slice(0, 80);
  } catch {
    return note.slice(0, 80);
  }
}
