// Webhook benchmark: ingest throughput and latency (p50/p99) of POST /api/stripe/webhook with 32
// concurrent senders, each request verified (signature), stored (event + delivery) and applied
// (a credit pack grant through the ledger) before its 2xx, beside a baseline measured in the same
// run on the same database: a plain two-statement transaction through `pg` (insert the event JSON
// + insert a delivery row). Segments run baseline, webhook, webhook, baseline (ABBA) so drift on a
// shared machine hits both sides alike. A duplicate-delivery segment (verify + record the arrival,
// nothing to apply) is measured too. Afterwards every event must be processed, every customer's
// balance must equal its grants, and the ledger invariants must hold.
//
//   npm run bench -- webhooks [--seconds 5] [--clients 32]
//
// Requests go through Fastify's in-process injection (no sockets), so the comparison is the
// pipeline against the database work it cannot avoid. Both sides get the same connections: a `pg`
// pool of `--clients` connections to the same URL (the app's is the pool under its Prisma client,
// which the webhook pipeline uses). Needs real PostgreSQL: TEST_DATABASE_URL or
// DATABASE_URL (a scratch database is created there and dropped at the end).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import Stripe from 'stripe';
import { buildApp } from '../server/app.ts';
import { createAuth } from '../server/auth.ts';
import { createPrisma, type Db } from '../server/db/client.ts';
import { applyMigrations, PROJECT_ROOT } from '../server/db/migrator.ts';
import { parseEnv } from '../server/env.ts';
import { SYSTEM_ACTOR } from '../server/lib/actor.ts';
import { importCatalog } from '../server/modules/catalog/import-catalog.ts';
import { verifyLedger } from '../server/modules/ledger/verify-ledger.ts';
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

const SECRET = 'whsec_bench_secret';
const CUSTOMERS = 1000;
const PACK = { key: 'pack_1000', credits: 1000, amount: 1000 };
const stripe = new Stripe('sk_test_bench', { apiVersion: '2026-10-28.endive' });
const sessionFixture: Record<string, unknown> = JSON.parse(
  readFileSync(path.join(PROJECT_ROOT, 'test/fixtures/stripe/checkout.session.json'), 'utf8'),
);

interface Result {
  path: string;
  ops: number;
  errors: number;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

function summarize(pathName: string, segments: Segment[]): Result {
  return { path: pathName, ...summarizeSegments(segments) };
}

let seq = 0;
/** A signed checkout.session.completed for a credit pack: the payload Stripe would POST. */
function packPurchase(): { id: string; payload: string; header: string; userId: string } {
  seq += 1;
  const userId = `bench-user-${seq % CUSTOMERS}`;
  const id = `evt_bench_${process.pid}_${seq}`;
  const session = {
    ...sessionFixture,
    id: `cs_test_bench_${process.pid}_${seq}`,
    mode: 'payment',
    status: 'complete',
    payment_status: 'paid',
    amount_total: PACK.amount,
    amount_subtotal: PACK.amount,
    currency: 'eur',
    payment_intent: `pi_bench_${process.pid}_${seq}`,
    customer_details: { ...(sessionFixture.customer_details as object), email: `${userId}@example.com` },
    metadata: { user_id: userId, kind: 'pack', key: PACK.key, credits: String(PACK.credits) },
  };
  const payload = JSON.stringify({
    id,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: 'checkout.session.completed',
    data: { object: session },
  });
  return { id, payload, header: stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }), userId };
}

async function deliver(app: FastifyInstance, e: { payload: string; header: string }): Promise<void> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/stripe/webhook',
    headers: { 'content-type': 'application/json', 'stripe-signature': e.header },
    payload: e.payload,
  });
  if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${res.body.slice(0, 200)}`);
}

async function withApp<T>(url: string, clients: number, fn: (app: FastifyInstance, db: Db) => Promise<T>): Promise<T> {
  const db = createPrisma(url, { max: clients });
  const env = parseEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', STRIPE_WEBHOOK_SECRET: SECRET });
  const auth = createAuth({ prisma: db, secret: env.AUTH_SECRET, baseURL: env.PUBLIC_URL });
  const app = await buildApp(
    { env, prisma: db, auth, log: pino({ level: 'silent' }), stripe: null },
    { logger: false },
  );
  try {
    return await fn(app, db);
  } finally {
    await app.close();
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
  await withScratchDatabase('webhooks', async (url, version) => {
    console.log(`webhooks bench: PostgreSQL ${version}, ${clients} senders, ${seconds}s segments (ABBA)`);
    await applyMigrations(url);
    await setup(url);

    const baseline = () =>
      withPgPool(url, clients, async (pool) => {
        const op = async () => {
          const e = packPurchase();
          const client = await pool.connect();
          try {
            await client.query('BEGIN');
            await client.query('INSERT INTO bench_event (id, payload) VALUES ($1, $2::jsonb)', [e.id, e.payload]);
            await client.query('INSERT INTO bench_delivery (event_id) VALUES ($1)', [e.id]);
            await client.query('COMMIT');
          } finally {
            client.release();
          }
        };
        await segment(clients, 1, op);
        return segment(clients, seconds, op);
      });
    const sent: string[] = [];
    const webhook = () =>
      withApp(url, clients, async (app) => {
        const op = async () => {
          const e = packPurchase();
          await deliver(app, e);
          sent.push(e.id);
        };
        await segment(clients, 1, op);
        return segment(clients, seconds, op);
      });
    const duplicates = () =>
      withApp(url, clients, async (app) => {
        const stored = sent.slice(0, 2000).map((id) => id);
        const events = await withPgPool(url, 2, async (pool) => {
          const rows = await pool.query<{ id: string; payload: unknown }>(
            'SELECT id, payload::text AS payload FROM stripe_event WHERE id = ANY($1)',
            [stored],
          );
          return rows.rows.map((r) => {
            const payload = String(r.payload);
            return { payload, header: stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }) };
          });
        });
        let i = 0;
        const op = () => deliver(app, events[i++ % events.length]!);
        await segment(clients, 1, op);
        return segment(clients, seconds, op);
      });

    const b1 = await baseline();
    const w1 = await webhook();
    const w2 = await webhook();
    const b2 = await baseline();
    const d1 = await duplicates();
    const b = summarize('baseline: pg insert event + insert delivery', [b1, b2]);
    const w = summarize('webhook: verify + store + apply (pack grant)', [w1, w2]);
    const d = summarize('webhook: duplicate delivery (verify + record)', [d1]);
    for (const r of [b, w, d]) {
      console.log(
        `  ${r.path.padEnd(46)} ${String(r.opsPerSecond).padStart(6)} ops/s  p50 ${r.p50Ms.toFixed(2)} ms  p99 ${r.p99Ms.toFixed(2)} ms  errors ${r.errors}`,
      );
    }
    const ratio = w.opsPerSecond / b.opsPerSecond;
    console.log(`  ratio webhook/baseline: ${ratio.toFixed(2)} (target >= 0.4)`);

    const check = await checkOutcome(url, sent);
    console.log(
      `\nafter the run: ${check.processed} of ${check.events} events processed, ${check.grantedCredits.toLocaleString('en')} credits granted (expected ${check.expectedCredits.toLocaleString('en')}), ledger invariants ${check.problems === 0 ? 'all hold' : `${check.problems} problems`}`,
    );
    if (check.processed !== check.events || check.grantedCredits !== check.expectedCredits || check.problems > 0) {
      throw new Error('Webhook bench ended with unprocessed events, wrong grants or ledger problems');
    }

    const report = {
      ...runInfo('webhooks', version),
      clients,
      secondsPerSegment: seconds,
      results: [b, w, d],
      ratio: Number(ratio.toFixed(2)),
      check,
    };
    const file = writeResults('webhooks', report);
    updateReadme(report);
    console.log(`\nwrote ${file} and the table in README.md`);
  });
}

async function setup(url: string): Promise<void> {
  const db = createPrisma(url, { max: 2 });
  try {
    const catalog: unknown = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'prisma/catalog.default.json'), 'utf8'));
    await importCatalog(db, catalog, SYSTEM_ACTOR);
    // Customers exist already (the product registered them), as in production.
    await db.$executeRaw`
      INSERT INTO customer (id, external_id, email, updated_at)
      SELECT gen_random_uuid(), 'bench-user-' || g, 'bench-user-' || g || '@example.com', now()
      FROM generate_series(0, ${CUSTOMERS - 1}) g`;
    await db.$executeRaw`CREATE TABLE bench_event (id text PRIMARY KEY, payload jsonb NOT NULL, received_at timestamptz NOT NULL DEFAULT now())`;
    await db.$executeRaw`CREATE TABLE bench_delivery (id bigserial PRIMARY KEY, event_id text NOT NULL REFERENCES bench_event(id), received_at timestamptz NOT NULL DEFAULT now())`;
    await db.$executeRaw`ANALYZE`;
  } finally {
    await db.$disconnect();
  }
}

async function checkOutcome(url: string, sent: string[]) {
  const db = createPrisma(url, { max: 2 });
  try {
    const events = await db.stripeEvent.count({ where: { id: { in: sent } } });
    const processed = await db.stripeEvent.count({ where: { id: { in: sent }, status: 'processed' } });
    const granted = await db.ledgerEntry.aggregate({ where: { type: 'purchase' }, _sum: { credits: true } });
    const problems = (await verifyLedger(db)).length;
    return {
      events,
      processed,
      grantedCredits: granted._sum.credits ?? 0,
      expectedCredits: sent.length * PACK.credits,
      problems,
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
  clients: number;
  secondsPerSegment: number;
  results: Result[];
  ratio: number;
  check: { events: number; processed: number };
}): void {
  const baseline = report.results[0]!;
  const rows = report.results.map(
    (r) =>
      `| ${r.path} | ${r.opsPerSecond.toLocaleString('en')} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${(r.opsPerSecond / baseline.opsPerSecond).toFixed(2)} | ${r.errors} |`,
  );
  updateReadmeTable('webhooks', [
    `Webhooks, last run ${report.at.slice(0, 16).replace('T', ' ')} UTC: PostgreSQL ${report.postgres}, Node ${report.node}, ${report.cpus} CPUs shared with the database, ${report.clients} concurrent senders, ${report.secondsPerSegment} s segments (ABBA).`,
    '',
    '| path | events/s | p50 ms | p99 ms | vs baseline | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `Each webhook request is verified, stored and applied (a pack grant through the ledger) before its 2xx; afterwards ${report.check.processed} of ${report.check.events} events were processed and the ledger invariants held. Target: webhook >= 0.4 x baseline (this run: ${report.ratio}).`,
  ]);
}
