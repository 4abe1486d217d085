// Crash: the real server (server/index.ts as a child process, on a scratch database and a spare
// port) takes a webhook burst (signed pack purchases, as Stripe sends them) and a usage burst
// (POST /api/v1/usage with idempotency keys, as a product backend sends them) at the same time, and
// is killed with SIGKILL in the middle. It is started again on the same database; every request
// that did not get a 2xx is sent again (as Stripe and a well-behaved backend retry), and the retry
// sweep gets time to settle stored-but-unapplied events. Then: every event stored once and
// processed, every grant once, every usage charged once, balances as the requests imply, and the
// ledger invariants (verify-ledger.ts) hold. Any loss or double counts fails the run.
//
//   npm run bench -- crash [--webhooks 2000] [--usage 3000] [--kill-at 0.4] [--senders 16]
//                          [--settle-seconds 150]
//
// Needs real PostgreSQL on 127.0.0.1: TEST_DATABASE_URL or DATABASE_URL.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Stripe from 'stripe';
import { createPrisma } from '../server/db/client.ts';
import { applyMigrations, PROJECT_ROOT } from '../server/db/migrator.ts';
import { SYSTEM_ACTOR } from '../server/lib/actor.ts';
import { importCatalog } from '../server/modules/catalog/import-catalog.ts';
import { grantCredits } from '../server/modules/ledger/grant-credits.ts';
import { verifyLedger } from '../server/modules/ledger/verify-ledger.ts';
import { sleep, sparePort, updateReadmeTable, withScratchDatabase, writeResults } from './lib/common.ts';
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
  userId: string;
  credits: number;
  body: string;
  attempts: number;
  done: boolean;
  /** Answered on a retry as already done (duplicate event, replayed usage): it committed before the kill. */
  committedUnanswered: boolean;
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
  return { kind: 'usage', key, userId, credits, body, attempts: 0, done: false, committedUnanswered: false };
}

/** One attempt; true on a 2xx. Stripe signs every attempt anew (fresh timestamp). */
async function send(base: string, r: Request): Promise<boolean> {
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
      `crash bench: PostgreSQL ${version}, ${webhookCount} webhooks + ${usageCount} usage requests, ${senders} senders each, SIGKILL after ${Math.round(killAt * 100)}% of the answers`,
    );
    await applyMigrations(url);
    await setup(url);
    const port = await sparePort();
    const env = { SERVICE_API_KEY: API_KEY, STRIPE_WEBHOOK_SECRET: SECRET };
    let server: ServerProcess | null = await startServer({ databaseUrl: url, port, env });
    try {
      const webhooks = Array.from({ length: webhookCount }, (_, i) => webhookRequest(i, runId));
      const usages = Array.from({ length: usageCount }, (_, i) => usageRequest(i, runId));

      // The burst: both streams at once; SIGKILL once killAt of all requests have been answered.
      const total = webhookCount + usageCount;
      let answered = 0;
      let killed = false;
      let inFlightAtKill = 0;
      let inFlight = 0;
      const first = server;
      const started = performance.now();
      const stream = async (queue: Request[]) => {
        let next = 0;
        await Promise.all(
          Array.from({ length: senders }, async () => {
            while (next < queue.length && !killed) {
              const r = queue[next++]!;
              inFlight += 1;
              await send(first.base, r);
              inFlight -= 1;
              answered += 1;
              if (!killed && answered >= total * killAt) {
                killed = true;
                inFlightAtKill = inFlight;
                first.child.kill('SIGKILL');
              }
            }
          }),
        );
      };
      await Promise.all([stream(webhooks), stream(usages)]);
      await first.sigkill();
      const burstMs = performance.now() - started;
      const all = [...webhooks, ...usages];
      const beforeKill = {
        webhooks2xx: webhooks.filter((r) => r.done).length,
        usage2xx: usages.filter((r) => r.done).length,
        failedOrUnsent: all.filter((r) => !r.done).length,
      };
      console.log(
        `  burst: ${beforeKill.webhooks2xx} webhooks and ${beforeKill.usage2xx} usage requests answered 2xx before the SIGKILL (${inFlightAtKill} in flight), ${beforeKill.failedOrUnsent} to retry`,
      );

      server = null;
      const restartStarted = performance.now();
      server = await startServer({ databaseUrl: url, port, env });
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
        const base = server.base;
        await Promise.all(
          Array.from({ length: senders }, async () => {
            while (next < pending.length) await send(base, pending[next++]!);
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
        const ids = webhooks.map((r) => r.key);
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
          `  re-sent ${resent} requests in ${(resendMs / 1000).toFixed(1)} s; never answered 2xx: ${never2xx}; ${committedUnanswered} of them had committed before the kill (answered as duplicate/replayed)`,
        );
        console.log(`  settled in ${(settleMs / 1000).toFixed(1)} s; events not processed: ${unsettled}`);
        console.log(
          `  events stored ${check.eventsStored} of ${webhookCount}, grants ${check.grants} (${check.grantedCredits.toLocaleString('en')} credits), usage rows ${check.usageRows} of ${usageCount}, usage entries ${check.usageEntries}, charged ${check.chargedCredits.toLocaleString('en')} of ${check.expectedCharge.toLocaleString('en')} credits`,
        );
        console.log(
          `\n  lost: events ${check.lost.events}, grants ${check.lost.grants}, usage ${check.lost.usage}; doubled: events ${check.doubled.events}, grants ${check.doubled.grants}, usage ${check.doubled.usage}; wrong balances ${check.wrongBalances}; ledger problems ${problems}`,
        );

        const report = {
          bench: 'crash',
          at: new Date().toISOString(),
          postgres: version,
          node: process.version,
          cpus: os.cpus().length,
          webhooks: webhookCount,
          usage: usageCount,
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
          `Crash, last run ${report.at.slice(0, 16).replace('T', ' ')} UTC: PostgreSQL ${version}, Node ${report.node}, ${report.cpus} CPUs shared with the database; the real server process, SIGKILLed after ${Math.round(killAt * 100)}% of the answers, restarted on the same database.`,
          '',
          '| requests | 2xx before the kill | in flight at the kill | re-sent | committed but unanswered | lost | doubled | wrong balances | ledger problems |',
          '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
          `| ${webhookCount} webhooks + ${usageCount} usage | ${beforeKill.webhooks2xx + beforeKill.usage2xx} | ${inFlightAtKill} | ${resent} | ${committedUnanswered} | ${check.lost.events + check.lost.grants + check.lost.usage} | ${check.doubled.events + check.doubled.grants + check.doubled.usage} | ${check.wrongBalances} | ${problems} |`,
          '',
          '"Committed but unanswered": requests the retry found already done (duplicate event / replayed usage). Every request without a 2xx (failed at the kill, or not sent yet) is sent again after the restart (webhooks re-signed, usage with the same idempotency key); events stored but not applied are left to the retry sweep. Lost and doubled count events, grants and usage charges.',
        ]);
        console.log(`\nwrote ${file} and the table in README.md`);
        if (!ok) throw new Error('Crash bench: something was lost or doubled (see the figures above)');
      } finally {
        await db.$disconnect();
      }
    } catch (err) {
      if (server) console.error(`server output (tail):\n${server.output()}`);
      throw err;
    } finally {
      await server?.stop();
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
  const eventsStored = await db.stripeEvent.count({ where: { id: { in: webhooks.map((r) => r.key) } } });
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
  for (const r of webhooks) expectedGrants.set(r.userId, (expectedGrants.get(r.userId) ?? 0) + 1);
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
    lost: { events: webhooks.length - eventsStored, grants: grantsLost, usage: usageLost },
    // Events are keyed by id, so a second row cannot exist; usage entries beyond one per usage would.
    doubled: { events: 0, grants: grantsDoubled, usage: Math.max(0, usageEntries - usageRows.length) },
  };
}
