// Load: the service API of the real server in its production shape (the built dist/server/index.js
// as a child process, NODE_ENV=production, on a scratch database and a spare port) under
// --clients concurrent clients for --seconds on a few hot
// customers: usage (POST /api/v1/usage, a fresh idempotency key each, 1-5 credits) and access
// checks (POST /api/v1/access/check). Balances are small enough to run dry, so refusals (402) are
// part of the load. Reports throughput and p50/p99 per operation, and fails unless it stayed
// correct: no balance ever seen below zero (sampled during the run and in every answer), the
// credits of the successful charges equal each balance's drop and the usage rows, and the ledger
// invariants (verify-ledger.ts) hold. Also measures the server process's resident memory (VmRSS
// from /proc/<pid>/status): idle after boot, during the load (sampled every 250 ms) and after it.
//
//   npm run bench -- load [--seconds 60] [--clients 64] [--customers 4] [--credits 5000]
//                         [--idle-seconds 15]
//
// Needs real PostgreSQL on 127.0.0.1: TEST_DATABASE_URL or DATABASE_URL.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createPrisma } from '../server/db/client.ts';
import { applyMigrations, PROJECT_ROOT } from '../server/db/migrator.ts';
import { SYSTEM_ACTOR } from '../server/lib/actor.ts';
import { importCatalog } from '../server/modules/catalog/import-catalog.ts';
import { grantCredits } from '../server/modules/ledger/grant-credits.ts';
import { verifyLedger } from '../server/modules/ledger/verify-ledger.ts';
import {
  percentile,
  sleep,
  sparePort,
  updateReadmeTable,
  withScratchDatabase,
  writeResults,
  runInfo,
} from './lib/common.ts';
import {
  cpuSeconds,
  procStatusMb,
  productionArgv,
  residentMb,
  startServer,
  type ServerProcess,
} from './lib/server-process.ts';

/** Issue 20's goal for an idle production server (external PostgreSQL). */
const IDLE_GOAL_MB = 150;

const API_KEY = 'cdk_bench_load_service_key_0123456789';
const METRICS_TOKEN = 'bench-load-metrics-token-0123456789';

/**
 * Where an idle server's resident memory is, in MB: anonymous and file-backed pages (/proc, the
 * latter mostly the node binary's own code) and V8's heap by space, as prom-client's default
 * metrics report it on GET /metrics (read after VmRSS, so the scrape is not in that figure).
 */
async function memoryBreakdown(base: string, pid: number | undefined): Promise<Record<string, number | null>> {
  const mb = (bytes: number | undefined) => (bytes === undefined ? null : Math.round(bytes / 104857.6) / 10);
  const text = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }).then((r) =>
    r.text(),
  );
  const metric = (name: string) => {
    const value = new RegExp(`^${name.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1];
    return value === undefined ? undefined : Number(value);
  };
  return {
    rssAnonMb: procStatusMb(pid, 'RssAnon'),
    rssFileMb: procStatusMb(pid, 'RssFile'),
    heapTotalMb: mb(metric('nodejs_heap_size_total_bytes')),
    heapUsedMb: mb(metric('nodejs_heap_size_used_bytes')),
    youngGenerationMb: mb(metric('nodejs_heap_space_size_total_bytes{space="new"}')),
    oldSpaceMb: mb(metric('nodejs_heap_space_size_total_bytes{space="old"}')),
    externalMb: mb(metric('nodejs_external_memory_bytes')),
  };
}

interface OpStats {
  op: 'usage' | 'access check';
  ok: number;
  refused: number;
  errors: number;
  latencies: number[];
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      seconds: { type: 'string', default: '60' },
      clients: { type: 'string', default: '64' },
      customers: { type: 'string', default: '4' },
      credits: { type: 'string', default: '5000' },
      'idle-seconds': { type: 'string', default: '15' },
    },
  });
  const idleSeconds = Number(values['idle-seconds']);
  const seconds = Math.min(Number(values.seconds), 600);
  const clients = Number(values.clients);
  const hot = Number(values.customers);
  const funds = Number(values.credits);

  await withScratchDatabase('load', async (url, version) => {
    console.log(
      `load bench: PostgreSQL ${version}, ${clients} clients for ${seconds} s on ${hot} hot customers with ${funds.toLocaleString('en')} credits each`,
    );
    await applyMigrations(url);
    const db = createPrisma(url, { max: 2 });
    let server: ServerProcess | null = null;
    try {
      await setup(db, hot, funds);
      // Read before the start: the flags the measured process runs with.
      const nodeFlags = productionArgv().slice(0, -1).join(' ') || 'none';
      server = await startServer({
        databaseUrl: url,
        port: await sparePort(),
        production: true,
        env: { SERVICE_API_KEY: API_KEY, METRICS_TOKEN },
      });
      const base = server.base;
      const pid = server.child.pid;
      // Idle: booted, answering /healthz, nothing else asked of it yet.
      await sleep(idleSeconds * 1000);
      const idleMb = residentMb(pid);
      const idleBreakdown = await memoryBreakdown(base, pid);
      console.log(
        `  idle resident memory (VmRSS, ${idleSeconds} s after boot): ${idleMb} MB; ${JSON.stringify(idleBreakdown)}`,
      );
      const loadMb: number[] = [];
      const users = Array.from({ length: hot }, (_, i) => `load-hot-${i}`);
      const usage: OpStats = { op: 'usage', ok: 0, refused: 0, errors: 0, latencies: [] };
      const access: OpStats = { op: 'access check', ok: 0, refused: 0, errors: 0, latencies: [] };
      const charged = new Map<string, number>(users.map((u) => [u, 0]));
      let minAnswered = Infinity;
      let minSampled = Infinity;
      let firstError = '';
      let seq = 0;

      const call = async (pathName: string, body: object) => {
        const res = await fetch(`${base}${pathName}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
        return { status: res.status, json: (await res.json()) as Record<string, unknown> };
      };
      const once = async () => {
        const i = seq++;
        const userId = users[i % hot]!;
        const credits = 1 + (i % 5);
        const isUsage = i % 10 < 7;
        const stats = isUsage ? usage : access;
        const t0 = performance.now();
        try {
          const res = isUsage
            ? await call('/api/v1/usage', {
                customerId: userId,
                feature: 'chat',
                idempotencyKey: `load-${process.pid}-${i}`,
                credits,
              })
            : await call('/api/v1/access/check', { customerId: userId, feature: 'chat', credits });
          stats.latencies.push(performance.now() - t0);
          // A denied access check answers 200 { allowed: false }: a refusal, like a 402 for usage.
          if (res.status === 200 && !isUsage && res.json.allowed === false) stats.refused += 1;
          else if (res.status === 200) {
            stats.ok += 1;
            if (isUsage) {
              charged.set(userId, charged.get(userId)! + credits);
              if (typeof res.json.balance === 'number') minAnswered = Math.min(minAnswered, res.json.balance);
            }
          } else if (res.status === 402) stats.refused += 1;
          else {
            stats.errors += 1;
            firstError ||= `HTTP ${res.status}: ${JSON.stringify(res.json).slice(0, 200)}`;
          }
        } catch (err) {
          stats.errors += 1;
          firstError ||= err instanceof Error ? err.message : String(err);
        }
      };

      // Warm-up (connections, JIT), not counted: a second of access checks only.
      const warmUntil = performance.now() + 1000;
      await Promise.all(
        Array.from({ length: Math.min(clients, 8) }, async () => {
          while (performance.now() < warmUntil) {
            await call('/api/v1/access/check', { customerId: users[0]!, feature: 'chat', credits: 1 }).catch(() => {});
          }
        }),
      );

      let running = true;
      const sampler = (async () => {
        while (running) {
          const row = await db.customer.aggregate({ where: { externalId: { in: users } }, _min: { balance: true } });
          minSampled = Math.min(minSampled, row._min.balance ?? Infinity);
          const rss = residentMb(pid);
          if (rss !== null) loadMb.push(rss);
          await sleep(250);
        }
      })();
      const loadBefore = os.loadavg().map((n) => n.toFixed(2));
      const cpuBefore = cpuSeconds(pid);
      const started = performance.now();
      const until = started + seconds * 1000;
      await Promise.all(
        Array.from({ length: clients }, async () => {
          while (performance.now() < until) await once();
        }),
      );
      const ms = performance.now() - started;
      const cpuAfter = cpuSeconds(pid);
      const loadAfter = os.loadavg().map((n) => n.toFixed(2));
      running = false;
      await sampler;
      const peakMb = loadMb.length ? Math.max(...loadMb) : null;
      const meanMb = loadMb.length ? Math.round((loadMb.reduce((s, n) => s + n, 0) / loadMb.length) * 10) / 10 : null;
      await sleep(idleSeconds * 1000);
      const afterMb = residentMb(pid);
      const memory = {
        idleMb,
        idleBreakdown,
        loadPeakMb: peakMb,
        loadMeanMb: meanMb,
        afterMb,
        idleGoalMb: IDLE_GOAL_MB,
      };
      console.log(
        `  resident memory: idle ${idleMb} MB (goal < ${IDLE_GOAL_MB}: ${idleMb !== null && idleMb < IDLE_GOAL_MB ? 'met' : 'NOT met'}), under load peak ${peakMb} MB / mean ${meanMb} MB, ${idleSeconds} s after the load ${afterMb} MB`,
      );

      const customers = await db.customer.findMany({
        where: { externalId: { in: users } },
        select: { id: true, externalId: true, balance: true },
      });
      const usageRows = await db.usage.groupBy({
        by: ['customerId'],
        where: { customerId: { in: customers.map((c) => c.id) } },
        _sum: { credits: true },
      });
      const rowSum = new Map(usageRows.map((u) => [u.customerId, u._sum.credits ?? 0]));
      let mismatches = 0;
      for (const c of customers) {
        const drop = funds - c.balance;
        if (drop !== charged.get(c.externalId) || drop !== (rowSum.get(c.id) ?? 0)) mismatches += 1;
      }
      const minBalance = Math.min(...customers.map((c) => c.balance), minAnswered, minSampled);
      const problems = (await verifyLedger(db)).length;
      const results = [usage, access].map((s) => {
        const sorted = [...s.latencies].sort((a, b) => a - b);
        return {
          op: s.op,
          ok: s.ok,
          refused: s.refused,
          errors: s.errors,
          opsPerSecond: Math.round((s.latencies.length / ms) * 1000),
          p50Ms: Number(percentile(sorted, 50).toFixed(2)),
          p99Ms: Number(percentile(sorted, 99).toFixed(2)),
        };
      });
      const all = [...usage.latencies, ...access.latencies].sort((a, b) => a - b);
      const totalOps = Math.round((all.length / ms) * 1000);
      // The server's own CPU time per answered request: moved less than req/s by what else the
      // machine runs, so node flags (e.g. the young generation's size) can be compared on it.
      const cpuMsPerRequest =
        cpuBefore !== null && cpuAfter !== null && all.length
          ? Number((((cpuAfter - cpuBefore) * 1000) / all.length).toFixed(3))
          : null;
      for (const r of results) {
        console.log(
          `  ${r.op.padEnd(13)} ${String(r.opsPerSecond).padStart(6)} req/s  p50 ${r.p50Ms.toFixed(2)} ms  p99 ${r.p99Ms.toFixed(2)} ms  ok ${r.ok}  refused ${r.refused}  errors ${r.errors}`,
        );
      }
      console.log(
        `  all           ${String(totalOps).padStart(6)} req/s  p50 ${percentile(all, 50).toFixed(2)} ms  p99 ${percentile(all, 99).toFixed(2)} ms`,
      );
      console.log(
        `  server CPU   ${cpuMsPerRequest} ms per request (node flags: ${nodeFlags}); load average ${loadBefore.join(' / ')} at the start, ${loadAfter.join(' / ')} at the end`,
      );
      if (firstError) console.log(`  first error: ${firstError}`);
      const chargedTotal = [...charged.values()].reduce((s, n) => s + n, 0);
      console.log(
        `\n  charged ${chargedTotal.toLocaleString('en')} of ${(funds * hot).toLocaleString('en')} credits; lowest balance seen ${minBalance}; balances off the charges ${mismatches}; ledger problems ${problems}`,
      );
      const ok = minBalance >= 0 && mismatches === 0 && problems === 0 && usage.errors + access.errors === 0;

      const report = {
        ...runInfo('load', version),
        clients,
        seconds,
        hotCustomers: hot,
        creditsEach: funds,
        results,
        totalOpsPerSecond: totalOps,
        p50Ms: Number(percentile(all, 50).toFixed(2)),
        p99Ms: Number(percentile(all, 99).toFixed(2)),
        cpuMsPerRequest,
        nodeFlags,
        load: { start: loadBefore, end: loadAfter },
        chargedCredits: chargedTotal,
        minBalance,
        mismatches,
        ledgerProblems: problems,
        memory,
        ok,
      };
      const file = writeResults('load', report);
      updateReadmeTable('load', [
        `Service API load, last run ${report.at.slice(0, 16).replace('T', ' ')} UTC: PostgreSQL ${version}, Node ${report.node}, ${report.cpus} CPUs shared by the server process, the clients and the database; the built server (\`node ${nodeFlags === 'none' ? '' : `${nodeFlags} `}dist/server/index.js\` as \`npm start\` runs it, NODE_ENV=production, a test-mode Stripe key, external PostgreSQL); ${clients} concurrent HTTP clients for ${seconds} s on ${hot} hot customers (${funds.toLocaleString('en')} credits each); load average ${loadBefore.join(' / ')} when the load started, ${loadAfter.join(' / ')} when it ended.`,
        '',
        '| operation | req/s | p50 ms | p99 ms | ok | refused (402 / not allowed) | errors |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
        ...results.map(
          (r) =>
            `| ${r.op} | ${r.opsPerSecond.toLocaleString('en')} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${r.ok} | ${r.refused} | ${r.errors} |`,
        ),
        '',
        `Server CPU time per answered request: ${cpuMsPerRequest} ms (user + system, /proc: the server's own cost, which other work on the machine moves less than req/s, though contention still raises it).`,
        '',
        `Correctness: lowest balance seen ${minBalance} (sampled every 250 ms and in every answer), ${mismatches} balances off the sum of their successful charges, ${problems} ledger problems.`,
        '',
        '| server resident memory (VmRSS) | idle, ' +
          idleSeconds +
          ' s after boot | under load: peak | under load: mean | ' +
          idleSeconds +
          ' s after the load | idle goal |',
        '| --- | ---: | ---: | ---: | ---: | --- |',
        `| MB | ${idleMb} | ${peakMb} | ${meanMb} | ${afterMb} | < ${IDLE_GOAL_MB}: ${idleMb !== null && idleMb < IDLE_GOAL_MB ? 'met' : 'NOT met'} |`,
        '',
        `Idle, in MB: ${idleBreakdown.rssAnonMb} anonymous (V8 heap ${idleBreakdown.heapTotalMb} of which young generation ${idleBreakdown.youngGenerationMb}, old space ${idleBreakdown.oldSpaceMb}, ${idleBreakdown.heapUsedMb} in use; ${idleBreakdown.externalMb} external to the heap) and ${idleBreakdown.rssFileMb} file-backed (mostly the node binary's code), from /proc/<pid>/status and prom-client's default metrics on GET /metrics.`,
      ]);
      console.log(`\nwrote ${file} and the table in README.md`);
      if (!ok) throw new Error('Load bench: overdraft, mismatched charges, errors or ledger problems (see above)');
    } catch (err) {
      if (server) console.error(`server output (tail):\n${server.output()}`);
      throw err;
    } finally {
      await server?.stop();
      await db.$disconnect();
    }
  });
}

async function setup(db: ReturnType<typeof createPrisma>, hot: number, funds: number): Promise<void> {
  const catalog: unknown = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'prisma/catalog.default.json'), 'utf8'));
  await importCatalog(db, catalog, SYSTEM_ACTOR);
  await db.$executeRaw`
    INSERT INTO customer (id, external_id, email, updated_at)
    SELECT gen_random_uuid(), 'load-hot-' || g, 'load-hot-' || g || '@example.com', now()
    FROM generate_series(0, ${hot - 1}) g`;
  for (const c of await db.customer.findMany({ where: { externalId: { startsWith: 'load-hot-' } } })) {
    await grantCredits(db, {
      customerId: c.id,
      credits: funds,
      type: 'grant',
      source: 'promo',
      costBasis: 'free',
      idempotencyKey: `load-fund-${c.externalId}`,
      reason: 'load bench funds',
      actor: SYSTEM_ACTOR,
    });
  }
}
