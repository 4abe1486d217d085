// Ledger benchmark: consume throughput and latency (p50/p99) with 32 concurrent clients, on 10 hot
// customers (heavy row-lock contention) and on 10,000 cold ones, beside a baseline measured in the
// same run on the same database: a plain two-statement transaction through `pg` (insert a row +
// update a counter). Segments run baseline, ledger, ledger, baseline (ABBA) so drift on a shared
// machine hits both sides alike. Then an overdraft check: 32 clients drain a 1,000-credit balance
// one credit at a time; exactly 1,000 must succeed and the balance must end at 0.
//
//   npm run bench -- ledger [--seconds 5] [--clients 32]
//
// Needs real PostgreSQL: TEST_DATABASE_URL or DATABASE_URL (a scratch database is created there
// and dropped at the end).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createPrisma, type Db } from '../server/db/client.ts';
import { applyMigrations, PROJECT_ROOT } from '../server/db/migrator.ts';
import type { Actor } from '../server/lib/actor.ts';
import { AppError } from '../server/lib/app-error.ts';
import { consumeCredits } from '../server/modules/ledger/consume-credits.ts';
import { recordUsage } from '../server/modules/ledger/record-usage.ts';
import { verifyLedger } from '../server/modules/ledger/verify-ledger.ts';
import { importCatalog } from '../server/modules/catalog/import-catalog.ts';
import {
  segment,
  summarizeSegments,
  type Segment,
  updateReadmeTable,
  withPgPool,
  withScratchDatabase,
  writeResults,
  runInfo,
} from './lib/common.ts';

const HOT = 10;
const COLD = 10_000;
const ACTOR: Actor = { type: 'service', id: 'bench' };

interface Result {
  workload: 'hot' | 'cold';
  path: string;
  ops: number;
  errors: number;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

function summarize(workload: Result['workload'], pathName: string, segments: Segment[]): Result {
  return { workload, path: pathName, ...summarizeSegments(segments) };
}

/** Each segment gets its own pool, opened during a warm-up, so idle pools never hold connections. */
async function withPrisma<T>(url: string, clients: number, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = createPrisma(url, { max: clients });
  try {
    return await fn(db);
  } finally {
    await db.$disconnect();
  }
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { seconds: { type: 'string', default: '5' }, clients: { type: 'string', default: '32' } },
  });
  const seconds = Number(values.seconds);
  const clients = Number(values.clients);
  await withScratchDatabase('ledger', async (url, version) => {
    console.log(`ledger bench: PostgreSQL ${version}, ${clients} clients, ${seconds}s segments (ABBA)`);
    await applyMigrations(url);
    const { hot, cold } = await setup(url);
    const results: Result[] = [];

    for (const [workload, ids, tableIds] of [
      ['hot', hot, { from: 1, count: HOT }],
      ['cold', cold, { from: HOT + 1, count: COLD }],
    ] as const) {
      const pick = () => ids[Math.floor(Math.random() * ids.length)]!;
      const counter = () => tableIds.from + Math.floor(Math.random() * tableIds.count);
      const baseline = () =>
        withPgPool(url, clients, async (pool) => {
          const op = async () => {
            const client = await pool.connect();
            try {
              const id = counter();
              await client.query('BEGIN');
              await client.query('INSERT INTO bench_log (counter_id, amount) VALUES ($1, 1)', [id]);
              await client.query('UPDATE bench_counter SET n = n - 1 WHERE id = $1', [id]);
              await client.query('COMMIT');
            } finally {
              client.release();
            }
          };
          await segment(clients, 1, op);
          return segment(clients, seconds, op);
        });
      let seq = 0;
      const ledger = () =>
        withPrisma(url, clients, async (db) => {
          const op = async () => {
            await consumeCredits(db, {
              customerId: pick(),
              credits: 1,
              idempotencyKey: `bench:${workload}:${process.pid}:${seq++}`,
              reason: 'bench',
              actor: ACTOR,
            });
          };
          await segment(clients, 1, op);
          return segment(clients, seconds, op);
        });
      const usage = () =>
        withPrisma(url, clients, async (db) => {
          const externalIds = new Map<string, string>();
          for (const c of await db.customer.findMany({
            where: { id: { in: ids } },
            select: { id: true, externalId: true },
          })) {
            externalIds.set(c.id, c.externalId);
          }
          const op = async () => {
            await recordUsage(db, {
              externalId: externalIds.get(pick())!,
              feature: 'chat',
              idempotencyKey: `bench-usage:${workload}:${process.pid}:${seq++}`,
              actor: ACTOR,
            });
          };
          await segment(clients, 1, op);
          return segment(clients, seconds, op);
        });

      console.log(`\n${workload}: ${ids.length.toLocaleString('en')} customers`);
      const b1 = await baseline();
      const l1 = await ledger();
      const l2 = await ledger();
      const b2 = await baseline();
      const u1 = await usage();
      const b = summarize(workload, 'baseline: pg insert + update', [b1, b2]);
      const l = summarize(workload, 'ledger: consumeCredits', [l1, l2]);
      const u = summarize(workload, 'service path: recordUsage', [u1]);
      for (const r of [b, l, u]) {
        console.log(
          `  ${r.path.padEnd(30)} ${String(r.opsPerSecond).padStart(6)} ops/s  p50 ${r.p50Ms.toFixed(2)} ms  p99 ${r.p99Ms.toFixed(2)} ms  errors ${r.errors}`,
        );
      }
      console.log(`  ratio ledger/baseline: ${(l.opsPerSecond / b.opsPerSecond).toFixed(2)}`);
      results.push(b, l, u);
    }

    const overdraft = await overdraftCheck(url, clients);
    const problems = await withPrisma(url, 2, (db) => verifyLedger(db));
    const minBalance = await withPrisma(
      url,
      2,
      async (db) => (await db.customer.aggregate({ _min: { balance: true } }))._min.balance,
    );
    console.log(
      `\noverdraft check: ${overdraft.succeeded} of ${overdraft.attempts} one-credit draws succeeded on a 1,000-credit balance, final balance ${overdraft.finalBalance}`,
    );
    console.log(
      `ledger invariants after the run: ${problems.length === 0 ? 'all hold' : `${problems.length} problems`}; lowest balance ${minBalance}`,
    );
    if (overdraft.succeeded !== 1000 || overdraft.finalBalance !== 0 || problems.length > 0 || (minBalance ?? 0) < 0) {
      throw new Error('Overdraft or invariant violation detected');
    }

    const ratio = (w: 'hot' | 'cold') =>
      results.find((r) => r.workload === w && r.path.startsWith('ledger'))!.opsPerSecond /
      results.find((r) => r.workload === w && r.path.startsWith('baseline'))!.opsPerSecond;
    const report = {
      ...runInfo('ledger', version),
      clients,
      secondsPerSegment: seconds,
      results,
      ratios: { hot: Number(ratio('hot').toFixed(2)), cold: Number(ratio('cold').toFixed(2)) },
      overdraft,
      invariantProblems: problems.length,
    };
    const file = writeResults('ledger', report);
    updateReadme(report);
    console.log(`\nwrote ${file} and the table in README.md`);
  });
}

/** 10 hot and 10,000 cold customers, each with three lots granted through the ledger's write path. */
async function setup(url: string): Promise<{ hot: string[]; cold: string[] }> {
  return withPrisma(url, 4, async (db) => {
    const started = performance.now();
    const catalog: unknown = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'prisma/catalog.default.json'), 'utf8'));
    await importCatalog(db, catalog, { type: 'system', id: 'bench' });
    await db.$executeRaw`
      INSERT INTO customer (id, external_id, email, updated_at)
      SELECT gen_random_uuid(), 'bench-' || g, 'bench' || g || '@example.com', now() FROM generate_series(1, ${HOT + COLD}) g`;
    // Grants through ledger_post_entry itself, one statement per lot kind (not the TS wrapper, to
    // keep setup short): an expiring paid lot, a free promo, and a lot that never expires.
    for (const [kind, source, basis, expires] of [
      ['period', 'subscription_period', 'paid', "to_char(now() + interval '30 days', 'YYYY-MM-DD\"T\"HH24:MI:SS')"],
      ['promo', 'promo', 'free', 'NULL'],
      ['pack', 'pack_purchase', 'paid', 'NULL'],
    ] as const) {
      await db.$executeRawUnsafe(`
        SELECT ledger_post_entry(jsonb_build_object(
          'mode', 'grant', 'customerId', id, 'credits', 1000000, 'type', 'grant',
          'idempotencyKey', 'bench-${kind}-' || id, 'reason', 'bench', 'actorType', 'system', 'actorId', 'bench',
          'lot', jsonb_build_object('source', '${source}', 'costBasis', '${basis}', 'amountPaid', 100, 'currency', 'eur',
                                    'expiresAt', ${expires})))
        FROM customer`);
    }
    await db.$executeRaw`CREATE TABLE bench_counter (id int PRIMARY KEY, n bigint NOT NULL)`;
    await db.$executeRaw`CREATE TABLE bench_log (id bigserial PRIMARY KEY, counter_id int NOT NULL, amount int NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`;
    await db.$executeRaw`INSERT INTO bench_counter SELECT g, 3000000 FROM generate_series(1, ${HOT + COLD}) g`;
    await db.$executeRaw`ANALYZE`;
    const ids = (await db.customer.findMany({ orderBy: { externalId: 'asc' }, select: { id: true, externalId: true } }))
      .sort((a, b) => Number(a.externalId.slice(6)) - Number(b.externalId.slice(6)))
      .map((c) => c.id);
    console.log(
      `setup: ${(HOT + COLD).toLocaleString('en')} customers, 3 lots each, in ${((performance.now() - started) / 1000).toFixed(1)}s`,
    );
    return { hot: ids.slice(0, HOT), cold: ids.slice(HOT) };
  });
}

async function overdraftCheck(url: string, clients: number) {
  return withPrisma(url, clients, async (db) => {
    const customer = await db.customer.create({ data: { externalId: 'bench-drain', email: 'drain@example.com' } });
    await db.$queryRaw`SELECT ledger_post_entry(jsonb_build_object(
      'mode', 'grant', 'customerId', ${customer.id}::text, 'credits', 1000, 'type', 'grant', 'idempotencyKey', 'bench-drain',
      'reason', 'bench', 'actorType', 'system', 'actorId', 'bench',
      'lot', jsonb_build_object('source', 'promo', 'costBasis', 'free')))::text`;
    const attempts = 2000;
    let next = 0;
    let succeeded = 0;
    let refused = 0;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < attempts) {
          const i = next++;
          try {
            await consumeCredits(db, {
              customerId: customer.id,
              credits: 1,
              idempotencyKey: `drain-${i}`,
              reason: 'drain',
              actor: ACTOR,
            });
            succeeded += 1;
          } catch (err) {
            if (err instanceof AppError && err.code === 'INSUFFICIENT_CREDITS') refused += 1;
            else throw err;
          }
        }
      }),
    );
    const finalBalance = (await db.customer.findUniqueOrThrow({ where: { id: customer.id } })).balance;
    return { attempts, succeeded, refused, finalBalance };
  });
}

function updateReadme(report: {
  at: string;
  postgres: string;
  node: string;
  cpus: number;
  clients: number;
  secondsPerSegment: number;
  results: Result[];
  ratios: { hot: number; cold: number };
  overdraft: { attempts: number; succeeded: number; finalBalance: number };
}): void {
  const rows = report.results.map((r) => {
    const baseline = report.results.find((x) => x.workload === r.workload && x.path.startsWith('baseline'))!;
    const ratio = r === baseline ? '1.00' : (r.opsPerSecond / baseline.opsPerSecond).toFixed(2);
    return `| ${r.workload} | ${r.path} | ${r.opsPerSecond.toLocaleString('en')} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${ratio} | ${r.errors} |`;
  });
  updateReadmeTable('ledger', [
    `Last run ${report.at.slice(0, 16).replace('T', ' ')} UTC: PostgreSQL ${report.postgres}, Node ${report.node}, ${report.cpus} CPUs shared with the database, ${report.clients} concurrent clients, ${report.secondsPerSegment} s segments.`,
    '',
    '| customers | path | ops/s | p50 ms | p99 ms | vs baseline | errors |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `Overdraft check: ${report.overdraft.succeeded} of ${report.overdraft.attempts} concurrent one-credit draws succeeded on a 1,000-credit balance; final balance ${report.overdraft.finalBalance}. Target: ledger >= 0.4 x baseline (hot ${report.ratios.hot}, cold ${report.ratios.cold}).`,
  ]);
}
