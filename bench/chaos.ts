// Webhook chaos at scale: a generated Stripe history (test/stripe/history.ts: pack purchases,
// delayed payments, subscriptions with renewals, failed renewals that recover, upgrades, dashboard
// refunds, disputes won and lost), topped up with extra pack purchases to --events events for
// --customers customers, is delivered shuffled: every event 1-3 times, some copies at the same
// moment (concurrent duplicates), and 10% of events fail their first processing attempt (half
// before the handler ran, half after it wrote, so the transaction rolls back), as
// server/stripe/webhook-chaos.test.ts does. The retry sweep then settles what was deferred. The
// final ledger must equal the model computed from the history alone: lost = 0, doubled = 0, or the
// run fails.
//
//   npm run bench -- chaos [--events 10000] [--customers 500] [--senders 16] [--max-seconds 900]
//
// Requests go through Fastify's in-process injection on a scratch database (TEST_DATABASE_URL or
// DATABASE_URL). The run stops by itself after --max-seconds (and then fails).
import os from 'node:os';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { buildApp } from '../server/app.ts';
import { createAuth } from '../server/auth.ts';
import { createPrisma } from '../server/db/client.ts';
import { applyMigrations } from '../server/db/migrator.ts';
import { parseEnv } from '../server/env.ts';
import type { EventHandler, HandlerMap } from '../server/modules/stripe-events/event-handler.ts';
import { processDueEvents } from '../server/modules/stripe-events/process-due-events.ts';
import { verifyLedger } from '../server/modules/ledger/verify-ledger.ts';
import { stripeHandlers } from '../server/stripe/handlers/index.ts';
import { pipelineContext } from '../server/stripe/pipeline.ts';
import { charge, checkoutSession, event, signedHeader, uid, unix } from '../test/stripe/builders.ts';
import { CATALOG, seedTestCatalog, WEBHOOK_SECRET } from '../test/stripe/harness.ts';
import { compareEntries, generateHistory, rng, type History } from '../test/stripe/history.ts';
import { updateReadmeTable, withScratchDatabase, writeResults } from './lib/common.ts';

const SEED = Number(process.env.CHAOS_SEED ?? 20261121);
const FAIL_RATE = 0.1;

/** Fails the first attempt of chosen events: half before the handler runs, half after it wrote. */
function flakyHandlers(failOnce: Map<string, 'before' | 'after'>): HandlerMap {
  const wrapped: Record<string, EventHandler<unknown, unknown>> = {};
  for (const [type, handler] of Object.entries(stripeHandlers) as Array<[string, EventHandler<unknown, unknown>]>) {
    wrapped[type] = {
      ...handler,
      async apply(tx, input) {
        const id = input.event.id;
        if (failOnce.get(id) === 'before' && failOnce.delete(id))
          throw new Error('injected failure before the handler');
        const outcome = await handler.apply(tx, input);
        if (failOnce.get(id) === 'after' && failOnce.delete(id)) {
          throw new Error('injected failure after the handler wrote (rolled back)');
        }
        return outcome;
      },
    };
  }
  return wrapped as HandlerMap;
}

/** The generated history, plus extra pack purchases (paid at once) until it has `total` events. */
function buildHistory(customers: number, total: number): History {
  const start = unix(Date.now()) - 6 * 3600;
  const history = generateHistory({ customers, seed: SEED, start });
  const r = rng(SEED + 1);
  let clock = start + 10 * 86_400 * 365;
  const packKeys = Object.keys(CATALOG.packs) as Array<keyof typeof CATALOG.packs>;
  while (history.events.length + 2 <= total) {
    const model = r.pick(history.expected);
    const key = r.pick(packKeys);
    const amount = key === 'starter' ? 900 : 2900;
    const pi = uid('pi');
    const cus = uid('cus');
    const s = checkoutSession({
      userId: model.userId,
      email: `${model.userId}@example.com`,
      kind: 'pack',
      key,
      amount,
      paymentIntent: pi,
      customer: cus,
      paymentStatus: 'paid',
    });
    history.events.push(event('checkout.session.completed', s, { created: (clock += 2) }));
    history.events.push(
      event('charge.succeeded', charge({ id: uid('ch'), paymentIntent: pi, amount, customer: cus }), {
        created: (clock += 2),
      }),
    );
    model.entries.push(['purchase', CATALOG.packs[key].credits]);
    model.entries.sort(compareEntries);
    model.balance += CATALOG.packs[key].credits;
    model.payments.push({ ref: s.id as string, status: 'paid', amountRefunded: 0 });
  }
  return history;
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      events: { type: 'string', default: '10000' },
      customers: { type: 'string', default: '500' },
      senders: { type: 'string', default: '16' },
      'max-seconds': { type: 'string', default: '900' },
    },
  });
  const total = Number(values.events);
  const customers = Number(values.customers);
  const senders = Number(values.senders);
  const deadline = Date.now() + Number(values['max-seconds']) * 1000;
  const overTime = () => Date.now() > deadline;

  await withScratchDatabase('chaos', async (url, version) => {
    const history = buildHistory(customers, total);
    console.log(
      `chaos bench: PostgreSQL ${version}, ${history.events.length} events for ${customers} customers (seed ${SEED}), ${senders} senders`,
    );
    await applyMigrations(url);
    const db = createPrisma(url, { max: senders + 2 });
    const env = parseEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET });
    const auth = createAuth({ prisma: db, secret: env.AUTH_SECRET, baseURL: env.PUBLIC_URL });
    const deps = { env, prisma: db, auth, log: pino({ level: 'silent' }), stripe: null, databaseUrl: url };
    const failOnce = new Map<string, 'before' | 'after'>();
    const flaky = flakyHandlers(failOnce);
    const app = await buildApp(deps, { logger: false, stripeHandlers: flaky });
    try {
      await seedTestCatalog(db);
      const r = rng(SEED + 2);
      for (const e of history.events) {
        if (r.chance(FAIL_RATE)) failOnce.set(e.id as string, r.chance(0.5) ? 'before' : 'after');
      }
      const injected = failOnce.size;
      // Units of delivery: 1-3 copies of every event; a third of the multi-copy ones arrive together.
      const units: Array<{ event: Record<string, unknown>; copies: number }> = [];
      let deliveries = 0;
      let concurrentDuplicates = 0;
      for (const e of history.events) {
        const copies = r.int(1, 3);
        deliveries += copies;
        if (copies > 1 && r.chance(0.33)) {
          units.push({ event: e, copies });
          concurrentDuplicates += 1;
        } else for (let k = 0; k < copies; k++) units.push({ event: e, copies: 1 });
      }
      const queue = r.shuffle(units);
      const statuses = new Map<number, number>();
      let next = 0;
      let sent = 0;
      const started = performance.now();
      const deliver = (e: Record<string, unknown>) => {
        const payload = JSON.stringify(e);
        return app.inject({
          method: 'POST',
          url: '/api/stripe/webhook',
          headers: { 'content-type': 'application/json', 'stripe-signature': signedHeader(payload, WEBHOOK_SECRET) },
          payload,
        });
      };
      let lastReport = Date.now();
      await Promise.all(
        Array.from({ length: senders }, async () => {
          while (next < queue.length && !overTime()) {
            const unit = queue[next++]!;
            const responses = await Promise.all(Array.from({ length: unit.copies }, () => deliver(unit.event)));
            for (const res of responses) statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
            sent += unit.copies;
            if (Date.now() - lastReport > 10_000) {
              lastReport = Date.now();
              console.log(`  ${sent} of ${deliveries} deliveries sent`);
            }
          }
        }),
      );
      const deliverMs = performance.now() - started;
      if (sent < deliveries) throw new Error(`Out of time after ${sent} of ${deliveries} deliveries`);
      const fired = injected - failOnce.size;

      // The retry sweep (as the stripe-event-retry job would, minutes later), with the same flaky handlers.
      const sweepStarted = performance.now();
      const ctx = pipelineContext(deps, flaky);
      let sweepRounds = 0;
      for (; sweepRounds < 200 && !overTime(); sweepRounds++) {
        const results = await processDueEvents(ctx, { now: new Date(Date.now() + 365 * 86_400_000), limit: 1000 });
        if (!results.length) break;
      }
      const sweepMs = performance.now() - sweepStarted;
      const firedTotal = injected - failOnce.size;

      const check = await compare(db, history);
      const errorAttempts = await db.eventProcessingAttempt.count({ where: { outcome: 'error' } });
      const storedEvents = await db.stripeEvent.count();
      const recordedDeliveries = await db.webhookDelivery.count();
      const unsettled = await db.stripeEvent.count({ where: { status: { notIn: ['processed', 'ignored'] } } });
      const problems = (await verifyLedger(db)).length;
      const non2xx = [...statuses].filter(([s]) => s < 200 || s >= 300).reduce((n, [, c]) => n + c, 0);
      const eventsPerSecond = Math.round((history.events.length / deliverMs) * 1000);
      const deliveriesPerSecond = Math.round((sent / deliverMs) * 1000);

      console.log(
        `  deliveries: ${sent} (${concurrentDuplicates} concurrent duplicate bursts), non-2xx answers ${non2xx}`,
      );
      console.log(
        `  injected first-attempt failures: ${injected}, fired ${fired} during delivery and ${firedTotal - fired} in the sweep, error attempts recorded ${errorAttempts}`,
      );
      console.log(
        `  stored events ${storedEvents} of ${history.events.length}, deliveries recorded ${recordedDeliveries}, unsettled ${unsettled}`,
      );
      console.log(`  sweep: ${sweepRounds} rounds in ${(sweepMs / 1000).toFixed(1)} s`);
      console.log(
        `  throughput: ${deliveriesPerSecond} deliveries/s, ${eventsPerSecond} distinct events/s (${(deliverMs / 1000).toFixed(1)} s)`,
      );
      console.log(
        `\n  lost = ${check.lost}, doubled = ${check.doubled}, wrong balances ${check.wrongBalances}, wrong plans ${check.wrongPlans}, ledger problems ${problems}`,
      );

      const report = {
        bench: 'chaos',
        at: new Date().toISOString(),
        postgres: version,
        node: process.version,
        cpus: os.cpus().length,
        seed: SEED,
        customers,
        events: history.events.length,
        deliveries: sent,
        concurrentDuplicates,
        senders,
        injectedFailures: injected,
        firedFailures: firedTotal,
        firedDuringDelivery: fired,
        errorAttempts,
        non2xx,
        storedEvents,
        recordedDeliveries,
        unsettled,
        deliverSeconds: Number((deliverMs / 1000).toFixed(1)),
        deliveriesPerSecond,
        eventsPerSecond,
        sweepRounds,
        sweepSeconds: Number((sweepMs / 1000).toFixed(1)),
        ...check,
        ledgerProblems: problems,
      };
      const ok =
        check.lost === 0 &&
        check.doubled === 0 &&
        check.wrongBalances === 0 &&
        check.wrongPlans === 0 &&
        problems === 0 &&
        unsettled === 0 &&
        non2xx === 0 &&
        storedEvents === history.events.length &&
        errorAttempts === firedTotal;
      const file = writeResults('chaos', report);
      updateReadmeTable('chaos', [
        `Webhook chaos, last run ${report.at.slice(0, 16).replace('T', ' ')} UTC: PostgreSQL ${version}, Node ${report.node}, ${report.cpus} CPUs shared with the database, ${senders} concurrent senders (in-process injection), seed ${SEED}.`,
        '',
        '| events | customers | deliveries | concurrent duplicate bursts | first attempts failed | deliveries/s | events/s | lost | doubled | wrong balances | ledger problems |',
        '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
        `| ${report.events.toLocaleString('en')} | ${customers} | ${sent.toLocaleString('en')} | ${concurrentDuplicates} | ${firedTotal} | ${deliveriesPerSecond} | ${eventsPerSecond} | ${check.lost} | ${check.doubled} | ${check.wrongBalances} | ${problems} |`,
        '',
        'Every event is delivered 1-3 times, shuffled; 10% fail their first processing attempt (before or after the handler wrote); the retry sweep settles the rest. The final ledger of every customer is compared with the one computed from the history alone.',
      ]);
      console.log(`\nwrote ${file} and the table in README.md`);
      if (!ok) throw new Error('Chaos bench: the final ledger does not equal the model (see the figures above)');
    } finally {
      await app.close();
      await db.$disconnect();
    }
  });
}

/** Per customer, the ledger's non-zero movements against the model's, as multisets. */
async function compare(db: ReturnType<typeof createPrisma>, history: History) {
  const rows = await db.$queryRaw<Array<{ external_id: string; type: string; credits: number; n: bigint }>>`
    SELECT c.external_id, e.type::text AS type, e.credits, count(*) AS n
      FROM ledger_entry e JOIN customer c ON c.id = e.customer_id
     WHERE e.credits <> 0
     GROUP BY 1, 2, 3`;
  const customers = await db.customer.findMany({ select: { externalId: true, balance: true, planKey: true } });
  const actual = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const m = actual.get(r.external_id) ?? new Map<string, number>();
    m.set(`${r.type}:${r.credits}`, Number(r.n));
    actual.set(r.external_id, m);
  }
  const byId = new Map(customers.map((c) => [c.externalId, c]));
  let lost = 0;
  let doubled = 0;
  let wrongBalances = 0;
  let wrongPlans = 0;
  let expectedEntries = 0;
  for (const model of history.expected) {
    const want = new Map<string, number>();
    for (const [type, credits] of model.entries)
      want.set(`${type}:${credits}`, (want.get(`${type}:${credits}`) ?? 0) + 1);
    expectedEntries += model.entries.length;
    const got = actual.get(model.userId) ?? new Map<string, number>();
    for (const key of new Set([...want.keys(), ...got.keys()])) {
      const d = (got.get(key) ?? 0) - (want.get(key) ?? 0);
      if (d > 0) doubled += d;
      else lost -= d;
    }
    const c = byId.get(model.userId);
    if (!c || c.balance !== model.balance) wrongBalances += 1;
    if ((c?.planKey ?? 'free') !== model.plan) wrongPlans += 1;
  }
  return { expectedEntries, lost, doubled, wrongBalances, wrongPlans };
}
