// Webhook chaos at scale, on two real server processes: a generated Stripe history
// (test/stripe/history.ts: pack purchases, delayed payments, subscriptions with renewals, failed
// renewals that recover, upgrades, dashboard refunds, disputes won and lost), topped up with extra
// pack purchases to --events events for --customers customers, is delivered shuffled by a
// round-robin client to two server processes (server/index.ts) on one database: every event 1-3
// times, its copies split across both processes, some copies at the same moment (concurrent
// duplicates on both). One process is SIGKILLed after --kill-at of the deliveries and started again
// on the same database; every delivery without a 2xx is sent again (as Stripe retries), to the other
// process. The retry sweep then settles what was left stored but not applied. The final ledger must
// equal the model computed from the history alone: lost = 0, doubled = 0, or the run fails.
//
//   npm run bench -- chaos [--events 10000] [--customers 500] [--senders 16] [--kill-at 0.4]
//                          [--max-seconds 900]
//
// Needs real PostgreSQL on 127.0.0.1 (TEST_DATABASE_URL or DATABASE_URL). The run stops by itself
// after --max-seconds (and then fails).
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createPrisma } from '../server/db/client.ts';
import { applyMigrations } from '../server/db/migrator.ts';
import { processDueEvents } from '../server/modules/stripe-events/process-due-events.ts';
import { verifyLedger } from '../server/modules/ledger/verify-ledger.ts';
import { stripeHandlers } from '../server/stripe/handlers/index.ts';
import type { PipelineContext } from '../server/modules/stripe-events/process-event.ts';
import { charge, checkoutSession, event, signedHeader, uid, unix } from '../test/stripe/builders.ts';
import { CATALOG, seedTestCatalog, WEBHOOK_SECRET } from '../test/stripe/harness.ts';
import { compareEntries, generateHistory, rng, type History } from '../test/stripe/history.ts';
import { sparePort, updateReadmeTable, withScratchDatabase, writeResults, runInfo } from './lib/common.ts';
import { startServer, type ServerProcess } from './lib/server-process.ts';

const SEED = Number(process.env.CHAOS_SEED ?? 20261121);

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
      'kill-at': { type: 'string', default: '0.4' },
      'max-seconds': { type: 'string', default: '900' },
    },
  });
  const total = Number(values.events);
  const customers = Number(values.customers);
  const senders = Number(values.senders);
  const killAt = Number(values['kill-at']);
  const deadline = Date.now() + Number(values['max-seconds']) * 1000;
  const overTime = () => Date.now() > deadline;

  await withScratchDatabase('chaos', async (url, version) => {
    const history = buildHistory(customers, total);
    console.log(
      `chaos bench: PostgreSQL ${version}, two server processes, ${history.events.length} events for ${customers} customers (seed ${SEED}), ${senders} senders, SIGKILL of one after ${Math.round(killAt * 100)}% of the deliveries`,
    );
    await applyMigrations(url);
    const db = createPrisma(url, { max: 4 });
    await seedTestCatalog(db);
    const ports = [await sparePort(), await sparePort()];
    const env = { STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET };
    const servers: Array<ServerProcess | null> = await Promise.all(
      ports.map((port) => startServer({ databaseUrl: url, port, env })),
    );
    const bases = ports.map((port) => `http://127.0.0.1:${port}`);
    try {
      const r = rng(SEED + 2);
      // Units of delivery: 1-3 copies of every event; a third of the multi-copy ones arrive together.
      // Copy k of unit u goes to process (u + k) % 2, so the copies of one event split across both.
      const units: Array<{ event: Record<string, unknown>; copies: number; first: number }> = [];
      let deliveries = 0;
      let concurrentDuplicates = 0;
      for (const e of history.events) {
        const copies = r.int(1, 3);
        deliveries += copies;
        if (copies > 1 && r.chance(0.33)) {
          units.push({ event: e, copies, first: units.length % 2 });
          concurrentDuplicates += 1;
        } else for (let k = 0; k < copies; k++) units.push({ event: e, copies: 1, first: (units.length + k) % 2 });
      }
      const queue = r.shuffle(units);
      const statuses = new Map<number | 'refused', number>();
      /** Deliveries that got no 2xx: Stripe sends them again later. */
      const retries: Array<{ event: Record<string, unknown>; target: number }> = [];
      const deliver = async (e: Record<string, unknown>, target: number): Promise<boolean> => {
        const payload = JSON.stringify(e);
        let status: number | 'refused';
        try {
          const res = await fetch(`${bases[target]}/api/stripe/webhook`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'stripe-signature': signedHeader(payload, WEBHOOK_SECRET),
            },
            body: payload,
            signal: AbortSignal.timeout(30_000),
          });
          await res.arrayBuffer();
          status = res.status;
        } catch {
          status = 'refused';
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        return typeof status === 'number' && status >= 200 && status < 300;
      };

      let next = 0;
      let sent = 0;
      let killed = false;
      let inFlight = 0;
      let inFlightAtKill = 0;
      let lastReport = Date.now();
      const victim = servers[0]!;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: senders }, async () => {
          while (next < queue.length && !overTime()) {
            const unit = queue[next++]!;
            inFlight += unit.copies;
            const targets = Array.from({ length: unit.copies }, (_, k) => (unit.first + k) % 2);
            const oks = await Promise.all(targets.map((target) => deliver(unit.event, target)));
            inFlight -= unit.copies;
            oks.forEach((ok, k) => {
              if (!ok) retries.push({ event: unit.event, target: (targets[k]! + 1) % 2 });
            });
            sent += unit.copies;
            if (!killed && sent >= deliveries * killAt) {
              killed = true;
              inFlightAtKill = inFlight;
              victim.child.kill('SIGKILL');
            }
            if (Date.now() - lastReport > 10_000) {
              lastReport = Date.now();
              console.log(`  ${sent} of ${deliveries} deliveries sent`);
            }
          }
        }),
      );
      await victim.sigkill();
      servers[0] = null;
      const deliverMs = performance.now() - started;
      if (sent < deliveries) throw new Error(`Out of time after ${sent} of ${deliveries} deliveries`);
      const failedInBurst = retries.length;
      console.log(
        `  burst: ${sent} deliveries in ${(deliverMs / 1000).toFixed(1)} s, ${failedInBurst} without a 2xx (process 0 killed with ${inFlightAtKill} in flight)`,
      );

      // Restart the killed process; Stripe retries every delivery without a 2xx, to the other process.
      const restartStarted = performance.now();
      servers[0] = await startServer({ databaseUrl: url, port: ports[0]!, env });
      const restartMs = performance.now() - restartStarted;
      let resent = 0;
      for (let round = 0; round < 5 && retries.length && !overTime(); round++) {
        const pending = retries.splice(0);
        resent += pending.length;
        let i = 0;
        await Promise.all(
          Array.from({ length: senders }, async () => {
            while (i < pending.length) {
              const p = pending[i++]!;
              if (!(await deliver(p.event, p.target))) retries.push({ event: p.event, target: (p.target + 1) % 2 });
            }
          }),
        );
      }
      const never2xx = retries.length;

      // The retry sweep (as the stripe-event-retry job would, minutes later), once both processes
      // are stopped: events stored before the kill but never applied, and any deferred ones.
      await Promise.all(servers.map((s) => s?.stop()));
      servers.fill(null);
      const sweepStarted = performance.now();
      const ctx: PipelineContext = {
        prisma: db,
        stripe: null,
        log: pino({ level: 'silent' }),
        handlers: stripeHandlers,
        livemode: false,
      };
      let sweepRounds = 0;
      for (; sweepRounds < 200 && !overTime(); sweepRounds++) {
        const results = await processDueEvents(ctx, { now: new Date(Date.now() + 365 * 86_400_000), limit: 1000 });
        if (!results.length) break;
      }
      const sweepMs = performance.now() - sweepStarted;

      const check = await compare(db, history);
      const storedEvents = await db.stripeEvent.count();
      const recordedDeliveries = await db.webhookDelivery.count();
      const unsettled = await db.stripeEvent.count({ where: { status: { notIn: ['processed', 'ignored'] } } });
      const problems = (await verifyLedger(db)).length;
      const eventsPerSecond = Math.round((history.events.length / deliverMs) * 1000);
      const deliveriesPerSecond = Math.round((sent / deliverMs) * 1000);
      const answers = Object.fromEntries([...statuses].map(([k, v]) => [String(k), v]));

      console.log(
        `  deliveries: ${sent} (${concurrentDuplicates} concurrent duplicate bursts), ${failedInBurst} failed in the burst, re-sent ${resent}, never answered 2xx ${never2xx}; answers ${JSON.stringify(answers)}`,
      );
      console.log(
        `  restart ${(restartMs / 1000).toFixed(1)} s; stored events ${storedEvents} of ${history.events.length}, deliveries recorded ${recordedDeliveries}, unsettled ${unsettled}`,
      );
      console.log(`  sweep: ${sweepRounds} rounds in ${(sweepMs / 1000).toFixed(1)} s`);
      console.log(
        `  throughput: ${deliveriesPerSecond} deliveries/s, ${eventsPerSecond} distinct events/s (${(deliverMs / 1000).toFixed(1)} s, including the kill)`,
      );
      console.log(
        `\n  lost = ${check.lost}, doubled = ${check.doubled}, wrong balances ${check.wrongBalances}, wrong plans ${check.wrongPlans}, ledger problems ${problems}`,
      );

      const report = {
        ...runInfo('chaos', version),
        processes: 2,
        seed: SEED,
        customers,
        events: history.events.length,
        deliveries: sent,
        concurrentDuplicates,
        senders,
        killAt,
        inFlightAtKill,
        failedInBurst,
        resent,
        never2xx,
        answers,
        storedEvents,
        recordedDeliveries,
        unsettled,
        restartSeconds: Number((restartMs / 1000).toFixed(1)),
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
        never2xx === 0 &&
        storedEvents === history.events.length;
      const file = writeResults('chaos', report);
      updateReadmeTable('chaos', [
        `Webhook chaos, last run ${report.at.slice(0, 16).replace('T', ' ')} UTC: PostgreSQL ${version}, Node ${report.node}, ${report.cpus} CPUs shared with the database; two real server processes on one database behind a round-robin client, ${senders} concurrent senders, one process SIGKILLed after ${Math.round(killAt * 100)}% of the deliveries and restarted, seed ${SEED}.`,
        '',
        '| events | customers | deliveries | concurrent duplicate bursts | failed at the kill (re-sent) | deliveries/s | events/s | lost | doubled | wrong balances | ledger problems |',
        '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
        `| ${report.events.toLocaleString('en')} | ${customers} | ${sent.toLocaleString('en')} | ${concurrentDuplicates} | ${failedInBurst} | ${deliveriesPerSecond} | ${eventsPerSecond} | ${check.lost} | ${check.doubled} | ${check.wrongBalances} | ${problems} |`,
        '',
        'Every event is delivered 1-3 times, shuffled, its copies split across the two processes (a third of the multi-copy events as simultaneous copies). Deliveries that fail at the kill or reach the dead process are sent again to the other one, as Stripe retries; the retry sweep settles events stored but not applied. The final ledger of every customer is compared with the one computed from the history alone. Injected handler failures (the in-process variant) are covered by server/stripe/webhook-chaos.test.ts.',
      ]);
      console.log(`\nwrote ${file} and the table in README.md`);
      if (!ok) throw new Error('Chaos bench: the final ledger does not equal the model (see the figures above)');
    } catch (err) {
      for (const s of servers) if (s) console.error(`server output (tail):\n${s.output()}`);
      throw err;
    } finally {
      await Promise.all(servers.map((s) => s?.stop()));
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
