// Support desk benchmark: server time of the customer timeline's first page (and a deep page),
// the verdict, and the search box, for one heavy customer — 100,000 ledger entries (90,000 of
// them usage, with their usage rows) and 10,000 Stripe events with a delivery and a processing
// attempt each — among a million ordinary customers (the search box must stay fast there).
// Data is written in bulk with SQL into a scratch database, which is dropped at the end. Calls go
// straight to the module functions the tRPC procedures call, so the figures are server time
// without HTTP. Target: timeline page p95 < 50 ms.
//
//   npm run bench -- support [--iterations 200] [--customers 1000000]
//
// Needs real PostgreSQL: TEST_DATABASE_URL or DATABASE_URL.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createPrisma, type Db } from '../server/db/client.ts';
import { applyMigrations, PROJECT_ROOT } from '../server/db/migrator.ts';
import { importCatalog } from '../server/modules/catalog/import-catalog.ts';
import { getCustomerOverview } from '../server/modules/support/get-customer-overview.ts';
import { getTimeline } from '../server/modules/support/get-timeline.ts';
import { searchCustomers } from '../server/modules/support/search-customers.ts';
import { getVerdict } from '../server/modules/support/verdict/get-verdict.ts';
import { percentile, updateReadmeTable, withScratchDatabase, writeResults, runInfo } from './lib/common.ts';

const ENTRIES = 100_000;
const USAGE = 90_000;
const EVENTS = 10_000;
const NOISY = 2_000;
export const HEAVY = '00000000-0000-4000-8000-000000000001';
const TARGET_P95_MS = 50;

interface Measure {
  name: string;
  iterations: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

async function measure(name: string, iterations: number, fn: () => Promise<unknown>): Promise<Measure> {
  for (let i = 0; i < Math.min(10, iterations); i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const m = {
    name,
    iterations,
    p50Ms: Number(percentile(times, 50).toFixed(2)),
    p95Ms: Number(percentile(times, 95).toFixed(2)),
    maxMs: Number(times.at(-1)!.toFixed(2)),
  };
  console.log(
    `  ${name.padEnd(44)} p50 ${m.p50Ms.toFixed(2).padStart(7)} ms   p95 ${m.p95Ms.toFixed(2).padStart(7)} ms`,
  );
  return m;
}

/** Everything in set-based SQL: minutes of ORM inserts become seconds. */
export async function load(url: string, others: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const q = (sql: string) => client.query(sql);
  try {
    await q(`
      INSERT INTO customer (id, external_id, email, name, stripe_customer_id, plan_key, balance, created_at, updated_at)
      VALUES ('${HEAVY}', 'heavy_user', 'heavy@example.com', 'Heavy User', 'cus_heavy', 'pro', 0,
              now() - interval '400 days', now());
      INSERT INTO customer (id, external_id, email, name, created_at, updated_at)
      SELECT gen_random_uuid(), 'user_' || g, 'user' || g || '@example.com', 'User ' || g,
             now() - (g || ' minutes')::interval, now()
      FROM generate_series(1, ${others}) g;`);
    // One paid lot per 100 non-usage entries, one big lot usage draws from.
    await q(`
      INSERT INTO credit_lot (id, customer_id, source, granted, remaining, cost_basis, amount_paid, currency,
                              stripe_reference, created_at)
      SELECT ('00000000-0000-4000-9000-' || lpad(g::text, 12, '0'))::uuid, '${HEAVY}', 'pack_purchase', 500,
             CASE WHEN g % 10 = 0 THEN 500 ELSE 0 END, 'paid', 600, 'eur', 'cs_heavy_' || g,
             now() - ((365 - g * 3) || ' days')::interval
      FROM generate_series(1, 100) g;
      INSERT INTO credit_lot (id, customer_id, source, granted, remaining, cost_basis, created_at)
      VALUES ('00000000-0000-4000-9000-999999999999', '${HEAVY}', 'promo', 10000000, 9000000, 'free',
              now() - interval '366 days');`);
    // 100,000 entries over a year: 90% usage, the rest purchases, grants, expirations, clawbacks...
    await q(`
      INSERT INTO ledger_entry (customer_id, type, credits, lot_id, reference_type, reference, actor_type, actor_id,
                                reason, idempotency_key, balance_after, created_at)
      SELECT '${HEAVY}',
             t.type::"LedgerEntryType",
             CASE WHEN t.type IN ('usage', 'expiration', 'refund_clawback', 'dispute_clawback') THEN -((g % 7) + 1)
                  WHEN t.type IN ('dispute_freeze', 'dispute_release') THEN 0 ELSE 500 END,
             '00000000-0000-4000-9000-999999999999',
             CASE WHEN t.type = 'usage' THEN 'usage' ELSE 'checkout_session' END,
             CASE WHEN t.type = 'usage' THEN 'u_' || g ELSE 'cs_heavy_' || (g % 100 + 1) END,
             CASE WHEN t.type = 'usage' THEN 'service' ELSE 'stripe' END::"ActorType", 'bench',
             t.type || ' ' || g, 'bench:' || g, 9000000,
             now() - interval '365 days' + (g * interval '315 seconds')
      FROM generate_series(1, ${ENTRIES}) g
      CROSS JOIN LATERAL (SELECT CASE WHEN g % 10 <> 0 THEN 'usage'
        ELSE (ARRAY['purchase','subscription_grant','grant','expiration','refund_clawback','manual_adjustment',
                    'dispute_freeze','dispute_release','reversal','refund_restore'])[(g / 10) % 10 + 1] END AS type) t;`);
    await q(`
      INSERT INTO usage (id, customer_id, feature, credits, idempotency_key, request_hash, status, created_at)
      SELECT gen_random_uuid(), '${HEAVY}', (ARRAY['chat','chat','chat','image_generation','video_generation'])[g % 5 + 1],
             (g % 7) + 1, 'bench-usage-' || g, 'h', 'consumed',
             now() - interval '365 days' + (g * interval '350 seconds')
      FROM generate_series(1, ${USAGE}) g;`);
    // A bulk load writes the projection itself: it says so (ledger_guard_projection), in one transaction.
    await q(`BEGIN; SELECT set_config('creditdesk.ledger_write', 'on', true);
             UPDATE customer SET balance = (SELECT sum(remaining) FROM credit_lot WHERE customer_id = '${HEAVY}')
             WHERE id = '${HEAVY}'; COMMIT;`);
    // 10,000 Stripe events with a delivery and a processing attempt each; 1% failed.
    await q(`
      INSERT INTO stripe_event (id, type, created, livemode, payload, object_id, customer_id, status, attempts,
                                last_error, processed_at, received_at, updated_at)
      SELECT 'evt_heavy_' || g, t.type, now() - interval '365 days' + (g * interval '3150 seconds'), false,
             jsonb_build_object('id', 'evt_heavy_' || g, 'object', 'event', 'type', t.type,
               'data', jsonb_build_object('object', jsonb_build_object('id', t.obj, 'object', 'checkout.session',
                 'customer', 'cus_heavy', 'payment_intent', 'pi_heavy_' || g, 'amount_total', 600, 'currency', 'eur',
                 'metadata', jsonb_build_object('user_id', 'heavy_user', 'kind', 'pack', 'key', 'starter')))),
             t.obj, '${HEAVY}',
             CASE WHEN g % 100 = 0 THEN 'failed' ELSE 'processed' END::"EventStatus", 1,
             CASE WHEN g % 100 = 0 THEN 'unknown price price_bench_' || g END,
             now() - interval '365 days' + (g * interval '3150 seconds'), now(), now()
      FROM generate_series(1, ${EVENTS}) g
      CROSS JOIN LATERAL (SELECT (ARRAY['checkout.session.completed','charge.succeeded','payment_intent.succeeded',
                                        'invoice.paid','customer.subscription.updated'])[g % 5 + 1] AS type,
                                 'cs_heavy_' || g AS obj) t;
      INSERT INTO webhook_delivery (event_id, received_at, duplicate, source, outcome, duration_ms)
      SELECT 'evt_heavy_' || g, now() - interval '365 days' + (g * interval '3150 seconds'), false, 'webhook', 'stored', 8
      FROM generate_series(1, ${EVENTS}) g;
      INSERT INTO event_processing_attempt (event_id, started_at, outcome, error, summary, duration_ms)
      SELECT 'evt_heavy_' || g, now() - interval '365 days' + (g * interval '3150 seconds'),
             CASE WHEN g % 100 = 0 THEN 'failed' ELSE 'processed' END,
             CASE WHEN g % 100 = 0 THEN 'unknown price price_bench_' || g END,
             CASE WHEN g % 100 <> 0 THEN 'granted 500 credits' END, 12
      FROM generate_series(1, ${EVENTS}) g;`);
    await q(`
      INSERT INTO payment (id, customer_id, kind, catalog_key, checkout_session_id, payment_intent_id, charge_id,
                           amount, currency, status, credits_granted, paid_at, created_at, updated_at)
      SELECT gen_random_uuid(), '${HEAVY}', 'pack', 'starter', 'cs_heavy_' || g, 'pi_heavy_' || g, 'ch_heavy_' || g,
             600, 'eur', 'paid', 500, now() - interval '365 days' + (g * interval '3150 seconds'),
             now() - interval '365 days' + (g * interval '3150 seconds'), now()
      FROM generate_series(1, 1000) g;
      INSERT INTO audit_log (actor_id, actor_email, actor_role, action, target_type, target_id, customer_id, reason, created_at)
      SELECT 'staff-1', 'sam@example.com', 'support', 'customer.note_add', 'customer_note', 'n' || g, '${HEAVY}', 'bench',
             now() - interval '365 days' + (g * interval '1 day')
      FROM generate_series(1, 300) g;
      INSERT INTO customer_note (id, customer_id, author_id, body, created_at)
      SELECT gen_random_uuid(), '${HEAVY}', 'staff-1', 'Note ' || g, now() - interval '365 days' + (g * interval '1 day')
      FROM generate_series(1, 300) g;`);
    // Some other customers: a little of everything, so the tables are not one customer's alone.
    await q(`
      INSERT INTO ledger_entry (customer_id, type, credits, actor_type, reason, idempotency_key, balance_after, created_at)
      SELECT c.id, 'grant', 10, 'system', 'welcome', 'bench-o:' || c.id || ':' || g, 10 * g, now() - (g || ' hours')::interval
      FROM (SELECT id FROM customer WHERE id <> '${HEAVY}' LIMIT ${NOISY}) c CROSS JOIN generate_series(1, 10) g;
      INSERT INTO stripe_event (id, type, created, livemode, payload, object_id, customer_id, status, attempts, received_at, updated_at)
      SELECT 'evt_o_' || c.external_id || '_' || g, 'invoice.paid', now() - (g || ' days')::interval, false, '{}'::jsonb,
             'in_o_' || c.external_id || '_' || g, c.id, 'processed', 1, now(), now()
      FROM (SELECT id, external_id FROM customer WHERE id <> '${HEAVY}' LIMIT ${NOISY}) c CROSS JOIN generate_series(1, 5) g;`);
    await q('ANALYZE');
  } finally {
    await client.end();
  }
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { iterations: { type: 'string', default: '200' }, customers: { type: 'string', default: '1000000' } },
  });
  const iterations = Number(values.iterations);
  const others = Number(values.customers);
  let db: Db | null = null;
  await withScratchDatabase('support', async (url, version) => {
    try {
      console.log(
        `support bench: PostgreSQL ${version}; one customer with ${ENTRIES.toLocaleString('en')} ledger entries and ${EVENTS.toLocaleString('en')} events, among ${others.toLocaleString('en')} customers`,
      );
      await applyMigrations(url);
      db = createPrisma(url, { max: 10 });
      const catalog: unknown = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'prisma/catalog.default.json'), 'utf8'));
      await importCatalog(db, catalog, { type: 'system', id: 'bench' });
      const t0 = performance.now();
      await load(url, others);
      console.log(`  loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

      const prisma = db;
      const first = await getTimeline(prisma, { customerId: HEAVY, limit: 50 });
      let deep = first.nextCursor;
      for (let i = 0; i < 20 && deep; i++)
        deep = (await getTimeline(prisma, { customerId: HEAVY, limit: 50, cursor: deep })).nextCursor;
      const results: Measure[] = [
        await measure('timeline, first page (50 items, every kind)', iterations, () =>
          getTimeline(prisma, { customerId: HEAVY, limit: 50 }),
        ),
        await measure('timeline, page 21 (by cursor)', iterations, () =>
          getTimeline(prisma, { customerId: HEAVY, limit: 50, cursor: deep }),
        ),
        await measure('timeline, first page, Stripe events only', iterations, () =>
          getTimeline(prisma, { customerId: HEAVY, limit: 50, kinds: ['event'] }),
        ),
        await measure('timeline, first page, usage per day', iterations, () =>
          getTimeline(prisma, { customerId: HEAVY, limit: 50, kinds: ['usage'], usageBucket: 'day' }),
        ),
        await measure('verdict (Stripe not called)', iterations, () =>
          getVerdict(prisma, { customerId: HEAVY, stripe: null }),
        ),
        await measure('customer overview', iterations, () => getCustomerOverview(prisma, HEAVY)),
        await measure('search by email', iterations, () => searchCustomers(prisma, { q: 'heavy@example.com' })),
        await measure('search by email prefix', iterations, () => searchCustomers(prisma, { q: 'user12' })),
        await measure('search by name prefix', iterations, () => searchCustomers(prisma, { q: 'User 4242' })),
        await measure('search by charge id', iterations, () => searchCustomers(prisma, { q: 'ch_heavy_500' })),
        await measure('customer list, newest first', iterations, () => searchCustomers(prisma, { q: '' })),
      ];
      const timeline = results[0]!;
      const report = {
        ...runInfo('support', version),
        data: { ledgerEntries: ENTRIES, usageRows: USAGE, events: EVENTS, customers: others + 1 },
        results,
        target: { timelineP95Ms: TARGET_P95_MS, met: timeline.p95Ms < TARGET_P95_MS },
      };
      console.log(
        `\n  timeline first page p95 ${timeline.p95Ms} ms: target < ${TARGET_P95_MS} ms ${report.target.met ? 'met' : 'NOT met'}`,
      );
      const file = writeResults('support', report);
      updateReadme(report);
      console.log(`\nwrote ${file} and the table in README.md`);
    } finally {
      await db?.$disconnect();
    }
  });
}

function updateReadme(report: {
  at: string;
  postgres: string;
  node: string;
  cpus: number;
  results: Measure[];
  data: { customers: number };
}): void {
  updateReadmeTable('support', [
    `Support desk, last run ${report.at.slice(0, 16).replace('T', ' ')} UTC: PostgreSQL ${report.postgres}, Node ${report.node}, ${report.cpus} CPUs shared with the database; one customer with ${ENTRIES.toLocaleString('en')} ledger entries (${USAGE.toLocaleString('en')} usage) and ${EVENTS.toLocaleString('en')} Stripe events among ${report.data.customers.toLocaleString('en')} customers, server time without HTTP. Target: timeline page p95 < ${TARGET_P95_MS} ms.`,
    '',
    '| operation | p50 ms | p95 ms |',
    '| --- | ---: | ---: |',
    ...report.results.map((r) => `| ${r.name} | ${r.p50Ms.toFixed(2)} | ${r.p95Ms.toFixed(2)} |`),
  ]);
}
