// Round-trips benchmark: how many statements each handled Stripe event type sends to PostgreSQL
// on its first delivery (BEGIN and COMMIT included), and a repeat. Not a timing: a count, so it
// does not depend on the machine's load. Events come from the builders the webhook handler tests
// use, delivered in process through the real pipeline (signature, store, apply) of the test
// harness, with the change feed live so the catalog is in memory as on a server. Every pg client
// query() call made while a delivery is awaited counts as one round trip (see counted()).
//
//   npm run bench -- round-trips
//
// Needs real PostgreSQL: TEST_DATABASE_URL or DATABASE_URL (a scratch database is migrated there,
// the harness clones its own from it, both are dropped at the end).
import pg from 'pg';
import {
  charge,
  checkoutSession,
  dispute,
  earlyFraudWarning,
  event,
  invoice,
  refund,
  subscription,
  uid,
  unix,
} from '../test/stripe/builders.ts';
import { createWebhookHarness, PRICES, type WebhookHarness } from '../test/stripe/harness.ts';
import { applyMigrations } from '../server/db/migrator.ts';
import { EndsClient } from '../server/db/transaction-ends.ts';
import { benchDatabaseUrl, updateReadmeTable, withScratchDatabase, writeResults, runInfo } from './lib/common.ts';

const DAY = 86_400;

interface Count {
  label: string;
  roundTrips: number;
}

type Queryable = { query: (...args: unknown[]) => unknown };

/**
 * Counts the pg queries sent while `fn` runs; deliveries are sequential, so they are its own. The
 * app's pool clients are EndsClient, whose query() calls pg's original query() it kept at load
 * (so a wrapper on pg.Client.prototype alone sees none of them): its own query() is wrapped too.
 * It sends `BEGIN; <first>` and `<last>; COMMIT` as one call each, one round trip each.
 */
async function counted(fn: () => Promise<void>): Promise<number> {
  const protos = [pg.Client.prototype, EndsClient.prototype] as unknown as Queryable[];
  const originals = protos.map((p) => p.query);
  let n = 0;
  protos.forEach((p, i) => {
    const original = originals[i]!;
    p.query = function (this: unknown, ...args: unknown[]) {
      n += 1;
      return original.apply(this, args);
    };
  });
  try {
    await fn();
  } finally {
    protos.forEach((p, i) => (p.query = originals[i]!));
  }
  return n;
}

async function deliverings(h: WebhookHarness) {
  const counts: Count[] = [];
  /** Delivers `e` and checks the pipeline took it as `duplicate` and left it processed. */
  const send = async (e: Record<string, unknown>, duplicate = false): Promise<number> => {
    let status = 0;
    let body: { duplicate?: boolean } = {};
    const n = await counted(async () => {
      const res = await h.deliver(e);
      status = res.statusCode;
      body = res.json();
    });
    if (status !== 200 || body.duplicate !== duplicate) {
      throw new Error(`${String(e.type)}: HTTP ${status}, duplicate ${String(body.duplicate)}`);
    }
    const stored = await h.prisma.stripeEvent.findUniqueOrThrow({ where: { id: e.id as string } });
    if (stored.status !== 'processed') throw new Error(`${String(e.type)}: ${stored.status} ${stored.lastError}`);
    return n;
  };
  const measure = async (label: string, e: Record<string, unknown>) => {
    counts.push({ label, roundTrips: await send(e) });
  };

  // Warm-up, not counted: the pool opens its connections and the in-memory catalog loads, as in
  // a server that has been running (the counts are of a warm process).
  await h.deliver(event('product.created', { id: uid('prod'), object: 'product' }));
  await send(event('checkout.session.completed', checkoutSession({ userId: 'rt_warm', kind: 'pack', key: 'starter' })));

  // A credit pack, bought by a new customer, then charged, warned about and refunded.
  const pi = uid('pi');
  const ch = uid('ch');
  const session = checkoutSession({ userId: 'rt_pack', kind: 'pack', key: 'starter', amount: 1000, paymentIntent: pi });
  await measure('`checkout.session.completed` (pack, new customer)', event('checkout.session.completed', session));
  await measure(
    '`checkout.session.async_payment_succeeded`',
    event('checkout.session.async_payment_succeeded', session),
  );
  const charged = event('charge.succeeded', charge({ id: ch, paymentIntent: pi, amount: 1000 }));
  await measure('`charge.succeeded`', charged);
  const warning = earlyFraudWarning({ charge: ch, paymentIntent: pi });
  await measure('`radar.early_fraud_warning.created`', event('radar.early_fraud_warning.created', warning));
  await measure(
    '`radar.early_fraud_warning.updated`',
    event('radar.early_fraud_warning.updated', { ...warning, actionable: false }),
  );
  const r = refund({ charge: ch, paymentIntent: pi, amount: 500, status: 'pending' });
  await measure('`refund.created`', event('refund.created', r));
  await measure('`refund.updated`', event('refund.updated', { ...r, status: 'succeeded' }));
  await measure('`charge.refund.updated`', event('charge.refund.updated', { ...r, status: 'succeeded' }));
  await measure(
    '`charge.refunded`',
    event('charge.refunded', charge({ id: ch, paymentIntent: pi, amount: 1000, amountRefunded: 500, refunds: [r] })),
  );
  await measure(
    '`refund.failed`',
    event('refund.failed', { ...r, status: 'failed', failure_reason: 'expired_or_canceled_card' }),
  );

  // A delayed payment method that fails, and an abandoned checkout.
  const unpaid = checkoutSession({ userId: 'rt_async', kind: 'pack', key: 'starter', paymentStatus: 'unpaid' });
  await measure('`checkout.session.completed` (unpaid)', event('checkout.session.completed', unpaid));
  await measure('`checkout.session.async_payment_failed`', event('checkout.session.async_payment_failed', unpaid));
  const expired = checkoutSession({ userId: 'rt_async', status: 'expired', paymentStatus: 'unpaid' });
  await measure('`checkout.session.expired`', event('checkout.session.expired', expired));

  // A subscription through its life: invoices, a plan change, pause, resume, cancel.
  const cus = uid('cus');
  const sub = uid('sub');
  const t0 = unix(Date.now()) - 40 * DAY;
  const base = { id: sub, customer: cus, userId: 'rt_sub', priceId: PRICES.pro };
  await h.prisma.customer.create({ data: { externalId: 'rt_sub', email: 'rt_sub@example.com' } });
  await measure(
    '`customer.subscription.created`',
    event('customer.subscription.created', subscription({ ...base, periodStart: t0, periodEnd: t0 + 30 * DAY }), {
      created: t0,
    }),
  );
  const inv = invoice({
    customer: cus,
    subscription: sub,
    userId: 'rt_sub',
    priceId: PRICES.pro,
    billingReason: 'subscription_create',
    periodStart: t0,
    periodEnd: t0 + 30 * DAY,
    paymentIntent: uid('pi'),
  });
  await measure('`invoice.paid`', event('invoice.paid', inv, { created: t0 + 5 }));
  await measure('`invoice.payment_succeeded`', event('invoice.payment_succeeded', inv, { created: t0 + 5 }));
  const tFail = unix(Date.now()) - 2 * DAY;
  const open = invoice({
    customer: cus,
    subscription: sub,
    userId: 'rt_sub',
    priceId: PRICES.pro,
    status: 'open',
    periodStart: tFail,
    periodEnd: tFail + 30 * DAY,
  });
  await measure('`invoice.payment_failed`', event('invoice.payment_failed', open, { created: tFail }));
  const t = unix(Date.now());
  const max = { ...base, priceId: PRICES.max, periodStart: t, periodEnd: t + 30 * DAY };
  await measure(
    '`customer.subscription.updated` (plan change)',
    event('customer.subscription.updated', subscription(max), { created: t }),
  );
  await measure(
    '`customer.subscription.paused`',
    event('customer.subscription.paused', subscription({ ...max, status: 'paused' }), { created: t + 1 }),
  );
  await measure(
    '`customer.subscription.resumed`',
    event('customer.subscription.resumed', subscription(max), { created: t + 2 }),
  );
  await measure(
    '`customer.subscription.deleted`',
    event('customer.subscription.deleted', subscription({ ...max, status: 'canceled' }), { created: t + 3 }),
  );

  // A dispute on a paid pack, won.
  const dpi = uid('pi');
  const dch = uid('ch');
  await send(
    event(
      'checkout.session.completed',
      checkoutSession({ userId: 'rt_dispute', kind: 'pack', key: 'starter', amount: 1000, paymentIntent: dpi }),
    ),
  );
  await send(event('charge.succeeded', charge({ id: dch, paymentIntent: dpi, amount: 1000 })));
  const d = dispute({ charge: dch, paymentIntent: dpi, amount: 1000 });
  const td = unix(Date.now());
  await measure('`charge.dispute.created`', event('charge.dispute.created', d, { created: td }));
  await measure('`charge.dispute.funds_withdrawn`', event('charge.dispute.funds_withdrawn', d, { created: td + 1 }));
  await measure(
    '`charge.dispute.updated`',
    event('charge.dispute.updated', { ...d, status: 'under_review' }, { created: td + 2 }),
  );
  await measure(
    '`charge.dispute.closed` (won)',
    event('charge.dispute.closed', { ...d, status: 'won' }, { created: td + 3 }),
  );
  await measure(
    '`charge.dispute.funds_reinstated`',
    event('charge.dispute.funds_reinstated', { ...d, status: 'won' }, { created: td + 4 }),
  );

  // A repeat: recorded as a duplicate, nothing applied.
  counts.push({ label: 'a repeat (`charge.succeeded` delivered again)', roundTrips: await send(charged, true) });
  return counts;
}

export async function run(): Promise<void> {
  await withScratchDatabase('round_trips', async (url, version) => {
    console.log(`round-trips bench: PostgreSQL ${version}, first delivery of each handled type, change feed live`);
    await applyMigrations(url);
    // The harness clones its database from this migrated one (as tests clone their template).
    process.env.TEST_DATABASE_URL = benchDatabaseUrl();
    process.env.CREDITDESK_TEST_TEMPLATE = new URL(url).pathname.slice(1);
    const h = await createWebhookHarness({ changeFeed: true });
    let counts: Count[];
    try {
      if (!h.t.deps.changeFeed) throw new Error('the change feed did not start: the catalog would be read per event');
      counts = await deliverings(h);
    } finally {
      await h.close();
    }
    for (const c of counts) console.log(`  ${c.label.replaceAll('`', '').padEnd(48)} ${c.roundTrips}`);
    const report = {
      ...runInfo('round-trips', version),
      results: counts,
    };
    const file = writeResults('round-trips', report);
    updateReadmeTable('round-trips', [
      `Round trips, last run ${report.at.slice(0, 16).replace('T', ' ')} UTC: PostgreSQL ${version}, Node ${report.node}; pg client \`query()\` calls per delivery (\`pg.Client\` and the app's \`EndsClient\`), BEGIN and COMMIT included, first delivery of each event unless said otherwise, change feed live (catalog in memory).`,
      '',
      '| event type | round trips |',
      '| --- | ---: |',
      ...counts.map((c) => `| ${c.label} | ${c.roundTrips} |`),
    ]);
    console.log(`\nwrote ${file} and the table in README.md`);
  });
}
