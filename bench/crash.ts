// Crash: two real server processes (server/index.ts as child processes, on one scratch database,
// each on its own spare port) behind a round-robin client take a webhook burst (signed pack
// purchases, as Stripe sends them; every event delivered twice, once to each process) and a usage
// burst (POST /api/v1/usage with idempotency keys, as a product backend sends them; one customer's
// uses alternate between the processes) at the same time. One process is killed with SIGKILL in the
// middle; the other keeps serving, and the requests routed to the dead one fail. It is started
// again on the same database; every request that did not get a 2xx is sent again (as Stripe and a
// well-behaved backend retry, to the other process this time), and the retry sweep gets time to
// settle stored-but-unapplied events. Then: every event stored once and processed, every grant
// once, every usage charged once, balances as the requests imply (so no overdraft), and the ledger
// invariants (verify-ledger.ts) hold. Any loss or double counts fails the run.
//
//   npm run bench -- crash [--webhooks 2000] [--usage 3000] [--kill-at 0.4] [--senders 16]
//                          [--settle-seconds 150]
//
// Needs real PostgreSQL on 127.0.0.1: TEST_DATABASE_URL or DATABASE_URL.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Stripe from 'stripe';
import { createPrisma } from '../server/db/client.ts';
import { applyMigrations, PROJECT_ROOT } from '../server/db/migrator.ts';
import { SYSTEM_ACTOR } from '../server/lib/actor.ts';
import { importCatalog } from '../server/modules/catalog/import-catalog.ts';
import { grantCredits } from '../server/modules/ledger/grant-credits.ts';
import { verifyLedger } from '../server/modules/ledger/verify-ledger.ts';
import { sleep, sparePort, updateReadmeTable, withScratchDatabase, writeResults, runInfo } from './lib/common.ts';
import { startServer, type ServerProcess } from './lib/server-process.ts';

const SECRET = 'whsec_bench_crash_secret';
const API_KEY = 'cdk_bench_crash_service_key_0123456789';
const PACK = { key: 'pack_1000', credits: 1000, amount: 1000 };
const WEBHOOK_CUSTOMERS = 200;
const USAGE_CUSTOMERS = 50;
const USAGE_FUNDS = 1_000_000;
const stripe = new Stripe('sk_test_bench', { apiVersion: '2026-10-28.endive' });

interface Request {
  kind: 'webhook' | 'usage';
  key: string;
  /** Which process the round-robin client sends it to (0 or 1); a retry goes to the other one. */
  target: number;
  userId: string;
  credits: number;
  body: string;
  attempts: number;
  done: boolean;
  /** Answered on a retry as already done (duplicate event, replayed usage): it committed before the kill. */
  committedUnanswered: boolean;
}

/** Both deliveries of event i: one to each process. */
function webhookRequests(i: number, run: string): Request[] {
  const first = webhookRequest(i, run);
  return [
    { ...first, target: i % 2 },
    { ...first, target: (i + 1) % 2 },
  ];
}

function webhookRequest(i: number, run: string): Request {
  const fixture: Record<string, unknown> = JSON.parse(
    readFileSync(path.join(PROJECT_ROOT, 'test/fixtures/stripe/checkout.session.json'), 'utf8'),
  );
  const userId = `crash-wh-${i % WEBHOOK_CUSTOMERS}`;
  const id = `evt_crash_${run}_${i}`;
  const session = {
    ...fixture,
    id: `cs_test_crash_${run}_${i}`,
    mode: 'payment',
    status: 'complete',
    payment_status: 'paid',
    amount_total: PACK.amount,
    amount_subtotal: PACK.amount,
    currency: 'eur',
    payment_intent: `pi_crash_${run}_${i}`,
    customer_details: { ...(fixture.customer_details as object), email: `${userId}@example.com` },
    metadata: { user_id: userId, kind: 'pack', key: PACK.key, credits: String(PACK.credits) },
  };
  const body = JSON.stringify({
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
  return {
    kind: 'webhook',
    key: id,
    target: 0,
    userId,
    credits: PACK.credits,
    body,
    attempts: 0,
    done: false,
    committedUnanswered: false,
  };
}

function usageRequest(i: number, run: string): Request {
  const userId = `crash-use-${i % USAGE_CUSTOMERS}`;
  const key = `crash-${run}-usage-${i}`;
  const credits = 1 + (i % 7);
  const body = JSON.stringify({ customerId: userId, feature: 'chat', idempotencyKey: key, credits });
  // Customer k's successive uses (i = k, k + 50, k + 100, ...) alternate between the processes.
  const target = Math.floor(i / USAGE_CUSTOMERS) % 2;
  return { kind: 'usage', key, target, userId, credits, body, attempts: 0, done: false, committedUnanswered: false };
}

/** One attempt; true on a 2xx. Stripe signs every attempt anew (fresh timestamp). */
async function send(bases: string[], r: Request): Promise<boolean> {
  // The first attempt goes where the round-robin put it; each retry to the next process.
  const base = bases[(r.target + r.attempts) % bases.length]!;
  r.attempts += 1;
  try {
    const res =
      r.kind === 'webhook'
        ? await fetch(`${base}/api/stripe/webhook`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload: r.body, secret: SECRET }),
            },
            body: r.body,
            signal: AbortSignal.timeout(15_000),
          })
        : await fetch(`${base}/api/v1/usage`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
            body: r.body,
            signal: AbortSignal.timeout(15_000),
          });
    const text = await res.text();
    r.done = res.status >= 200 && res.status < 300;
    if (r.done && r.attempts > 1) {
      const json = JSON.parse(text) as { duplicate?: boolean; replayed?: boolean };
      r.committedUnanswered = json.duplicate === true || json.replayed === true;
    }
  } catch {
    r.done = false;
  }
  return r.done;
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      webhooks: { type: 'string', default: '2000' },
      usage: { type: 'string', default: '3000' },
      'kill-at': { type: 'string', default: '0.4' },
      senders: { type: 'string', default: '16' },
      'settle-seconds': { type: 'string', default: '150' },
    },
  });
  const webhookCount = Number(values.webhooks);
  const usageCount = Number(values.usage);
  const killAt = Number(values['kill-at']);
  const senders = Number(values.senders);
  const settleSeconds = Number(values['settle-seconds']);
  const runId = String(process.pid);

  await withScratchDatabase('crash', async (url, version) => {
    console.log(
      `crash bench: PostgreSQL ${version}, two server processes, ${webhookCount} webhook events (each delivered to both) + ${usageCount} usage requests, ${senders} senders each, SIGKILL of one after ${Math.round(killAt * 100)}% of the answers`,
    );
    await applyMigrations(url);
    await setup(url);
    const ports = [await sparePort(), await sparePort()];
    const env = { SERVICE_API_KEY: API_KEY, STRIPE_WEBHOOK_SECRET: SECRET };
    const servers: Array<ServerProcess | null> = await Promise.all(
      ports.map((port) => startServer({ databaseUrl: url, port, env })),
    );
    const bases = ports.map((port) => `http://127.0.0.1:${port}`);
    try {
      const webhooks = Array.from({ length: webhookCount }, (_, i) => webhookRequests(i, runId)).flat();
      const usages = Array.from({ length: usageCount }, (_, i) => usageRequest(i, runId));

      // The burst: both streams at once; SIGKILL process 0 once killAt of all requests have been
      // answered. The burst goes on: process 1 serves its share, process 0's share fails.
      const total = webhooks.length + usageCount;
      let answered = 0;
      let killed = false;
      let inFlightAtKill = 0;
      let inFlight = 0;
      const victim = servers[0]!;
      const started = performance.now();
      const stream = async (queue: Request[]) => {
        let next = 0;
        await Promise.all(
          Array.from({ length: senders }, async () => {
            while (next < queue.length) {
              const r = queue[next++]!;
              inFlight += 1;
              await send(bases, r);
              inFlight -= 1;
              answered += 1;
              if (!killed && answered >= total * killAt) {
                killed = true;
                inFlightAtKill = inFlight;
                victim.child.kill('SIGKILL');
              }
            }
          }),
        );
      };
      await Promise.all([stream(webhooks), stream(usages)]);
      await victim.sigkill();
      servers[0] = null;
      const burstMs = performance.now() - started;
      const all = [...webhooks, ...usages];
      const beforeKill = {
        webhooks2xx: webhooks.filter((r) => r.done).length,
        usage2xx: usages.filter((r) => r.done).length,
        failedOrUnsent: all.filter((r) => !r.done).length,
      };
      const survivorAnswered = all.filter((r) => r.done && r.target === 1).length;
      console.log(
        `  burst: ${beforeKill.webhooks2xx} webhook deliveries and ${beforeKill.usage2xx} usage requests answered 2xx (${survivorAnswered} by the surviving process; ${inFlightAtKill} in flight at the SIGKILL), ${beforeKill.failedOrUnsent} to retry`,
      );

      const restartStarted = performance.now();
      servers[0] = await startServer({ databaseUrl: url, port: ports[0]!, env });
      const restartMs = performance.now() - restartStarted;
      console.log(`  restarted in ${(restartMs / 1000).toFixed(1)} s`);

      // Retries: everything without a 2xx, a few rounds, as Stripe and the backend would.
      const resendStarted = performance.now();
      let resent = 0;
      for (let round = 0; round < 5; round++) {
        const pending = all.filter((r) => !r.done);
        if (!pending.length) break;
        resent += pending.length;
        let next = 0;
        await Promise.all(
          Array.from({ length: senders }, async () => {
            while (next < pending.length) await send(bases, pending[next++]!);
          }),
        );
      }
      const resendMs = performance.now() - resendStarted;
      const never2xx = all.filter((r) => !r.done).length;
      const committedUnanswered = all.filter((r) => r.committedUnanswered).length;

      // Reconciliation: stored events never applied are picked up by the retry sweep (a minute later).
      const db = createPrisma(url, { max: 2 });
      try {
        const settleStarted = performance.now();
        const ids = [...new Set(webhooks.map((r) => r.key))];
        let unsettled = 0;
        const settleDeadline = Date.now() + settleSeconds * 1000;
        for (;;) {
          unsettled = await db.stripeEvent.count({ where: { id: { in: ids }, status: { not: 'processed' } } });
          if (unsettled === 0 || Date.now() > settleDeadline) break;
          await sleep(1000);
        }
        const settleMs = performance.now() - settleStarted;
        const check = await verify(db, webhooks, usages);
        const problems = (await verifyLedger(db)).length;
        const ok =
          never2xx === 0 &&
          unsettled === 0 &&
          problems === 0 &&
          Object.values(check.lost).every((n) => n === 0) &&
          Object.values(check.doubled).every((n) => n === 0);

        console.log(
          `  re-sent ${resent} requests in ${(resendMs / 1000).toFixed(1)} s; never answered 2xx: ${never2xx}; ${committedUnanswered} answered as already done (duplicate event / replayed use)`,
        );
        console.log(`  settled in ${(settleMs / 1000).toFixed(1)} s; events not processed: ${unsettled}`);
        console.log(
          `  events stored ${check.eventsStored} of ${webhookCount} (${webhooks.length} deliveries), grants ${check.grants} (${check.grantedCredits.toLocaleString('en')} credits), usage rows ${check.usageRows} of ${usageCount}, usage entries ${check.usageEntries}, charged ${check.chargedCredits.toLocaleString('en')} of ${check.expectedCharge.toLocaleString('en')} credits`,
        );
        console.log(
          `\n  lost: events ${check.lost.events}, grants ${check.lost.grants}, usage ${check.lost.usage}; doubled: events ${check.doubled.events}, grants ${check.doubled.grants}, usage ${check.doubled.usage}; wrong balances ${check.wrongBalances}; ledger problems ${problems}`,
        );

        const report = {
          ...runInfo('crash', version),
          processes: 2,
          webhooks: webhookCount,
          webhookDeliveries: webhooks.length,
          usage: usageCount,
          survivorAnswered,
          senders,
          killAt,
          burstSeconds: Number((burstMs / 1000).toFixed(1)),
          beforeKill,
          inFlightAtKill,
          restartSeconds: Number((restartMs / 1000).toFixed(1)),
          resent,
          committedUnanswered,
          never2xx,
          settleSeconds: Number((settleMs / 1000).toFixed(1)),
          unsettled,
          ...check,
          ledgerProblems: problems,
          ok,
        };
        const file = writeResults('crash', report);
        updateReadmeTable('crash', [
          `Crash, last run ${report.at.slice(0, 16).replace('T', ' ')} UTC: PostgreSQL ${version}, Node ${report.node}, ${report.cpus} CPUs shared with the database; two real server processes on one database behind a round-robin client (each event delivered to both, each customer's uses alternating), one SIGKILLed after ${Math.round(killAt * 100)}% of the answers while the other kept serving, then restarted.`,
          '',
          '| requests | 2xx in the burst | by the survivor | in flight at the kill | re-sent | answered as already done | lost | doubled | wrong balances (overdraft) | ledger problems |',
          '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
          `| ${webhookCount} events × 2 deliveries + ${usageCount} usage | ${beforeKill.webhooks2xx + beforeKill.usage2xx} | ${survivorAnswered} | ${inFlightAtKill} | ${resent} | ${committedUnanswered} | ${check.lost.events + check.lost.grants + check.lost.usage} | ${check.doubled.events + check.doubled.grants + check.doubled.usage} | ${check.wrongBalances} | ${problems} |`,
          '',
          '"Answered as already done": retries answered as a duplicate event or a replayed use (committed by the other delivery, or before the kill). Every request without a 2xx (failed at the kill, routed to the dead process, or not sent yet) is sent again to the other process (webhooks re-signed, usage with the same idempotency key); events stored but not applied are left to the retry sweep. Lost and doubled count events, grants and usage charges; a wrong balance would also show an overdraft.',
        ]);
        console.log(`\nwrote ${file} and the table in README.md`);
        if (!ok) throw new Error('Crash bench: something was lost or doubled (see the figures above)');
      } finally {
        await db.$disconnect();
      }
    } catch (err) {
      for (const s of servers) if (s) console.error(`server output (tail):\n${s.output()}`);
      throw err;
    } finally {
      await Promise.all(servers.map((s) => s?.stop()));
    }
  });
}

async function setup(url: string): Promise<void> {
  const db = createPrisma(url, { max: 4 });
  try {
    const catalog: unknown = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'prisma/catalog.default.json'), 'utf8'));
    await importCatalog(db, catalog, SYSTEM_ACTOR);
    await db.$executeRaw`
      INSERT INTO customer (id, external_id, email, updated_at)
      SELECT gen_random_uuid(), 'crash-wh-' || g, 'crash-wh-' || g || '@example.com', now()
      FROM generate_series(0, ${WEBHOOK_CUSTOMERS - 1}) g`;
    await db.$executeRaw`
      INSERT INTO customer (id, external_id, email, updated_at)
      SELECT gen_random_uuid(), 'crash-use-' || g, 'crash-use-' || g || '@example.com', now()
      FROM generate_series(0, ${USAGE_CUSTOMERS - 1}) g`;
    const funded = await db.customer.findMany({ where: { externalId: { startsWith: 'crash-use-' } } });
    for (const c of funded) {
      await grantCredits(db, {
        customerId: c.id,
        credits: USAGE_FUNDS,
        type: 'grant',
        source: 'promo',
        costBasis: 'free',
        idempotencyKey: `crash-fund-${c.externalId}`,
        reason: 'crash bench funds',
        actor: SYSTEM_ACTOR,
      });
    }
  } finally {
    await db.$disconnect();
  }
}

/** Counts from the rows themselves, per customer, against what the requests imply. */
async function verify(db: ReturnType<typeof createPrisma>, webhooks: Request[], usages: Request[]) {
  // Two deliveries per event: count each event once.
  const events = [...new Map(webhooks.map((r) => [r.key, r])).values()];
  const eventsStored = await db.stripeEvent.count({ where: { id: { in: events.map((r) => r.key) } } });
  const customers = await db.customer.findMany({ select: { id: true, externalId: true, balance: true } });
  const byExternal = new Map(customers.map((c) => [c.externalId, c]));
  const grantRows = await db.ledgerEntry.groupBy({
    by: ['customerId'],
    where: { type: 'purchase' },
    _count: { _all: true },
    _sum: { credits: true },
  });
  const grantsBy = new Map(grantRows.map((g) => [g.customerId, g._count._all]));
  const usageRows = await db.usage.findMany({
    where: { idempotencyKey: { in: usages.map((r) => r.key) } },
    select: { idempotencyKey: true, credits: true, entryId: true },
  });
  const usageEntries = await db.ledgerEntry.count({ where: { type: 'usage' } });
  const usageEntryCredits = await db.ledgerEntry.aggregate({ where: { type: 'usage' }, _sum: { credits: true } });
  const usageByKey = new Map(usageRows.map((u) => [u.idempotencyKey, u]));

  const expectedGrants = new Map<string, number>();
  for (const r of events) expectedGrants.set(r.userId, (expectedGrants.get(r.userId) ?? 0) + 1);
  const expectedCharge = new Map<string, number>();
  for (const r of usages) expectedCharge.set(r.userId, (expectedCharge.get(r.userId) ?? 0) + r.credits);

  let grantsLost = 0;
  let grantsDoubled = 0;
  let wrongBalances = 0;
  for (const [userId, n] of expectedGrants) {
    const c = byExternal.get(userId);
    const got = c ? (grantsBy.get(c.id) ?? 0) : 0;
    if (got < n) grantsLost += n - got;
    if (got > n) grantsDoubled += got - n;
    if (!c || c.balance !== n * PACK.credits) wrongBalances += 1;
  }
  for (const [userId, charge] of expectedCharge) {
    const c = byExternal.get(userId);
    if (!c || c.balance !== USAGE_FUNDS - charge) wrongBalances += 1;
  }
  let usageLost = 0;
  let wrongUsage = 0;
  for (const r of usages) {
    const u = usageByKey.get(r.key);
    if (!u || u.entryId === null) usageLost += 1;
    else if (u.credits !== r.credits) wrongUsage += 1;
  }
  const grants = grantRows.reduce((s, g) => s + g._count._all, 0);
  return {
    eventsStored,
    grants,
    grantedCredits: grantRows.reduce((s, g) => s + (g._sum.credits ?? 0), 0),
    usageRows: usageRows.length,
    usageEntries,
    chargedCredits: -(usageEntryCredits._sum.credits ?? 0),
    expectedCharge: usages.reduce((s, r) => s + r.credits, 0),
    wrongUsage,
    wrongBalances,
    lost: { events: events.length - eventsStored, grants: grantsLost, usage: usageLost },
    // Events are keyed by id, so a second row cannot exist; usage entries beyond one per usage would.
    doubled: { events: 0, grants: grantsDoubled, usage: Math.max(0, usageEntries - usageRows.length) },
  };
}
