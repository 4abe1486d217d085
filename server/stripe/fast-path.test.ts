// The webhook fast path (one statement for a new paid pack checkout) must leave exactly what the
// general pipeline leaves for the same event, keep every replay rule, and hand anything else to
// the general pipeline with nothing written.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkoutSession, event, signedHeader, uid } from '../../test/stripe/builders.ts';
import { createWebhookHarness, WEBHOOK_SECRET, type WebhookHarness } from '../../test/stripe/harness.ts';
import { buildApp } from '../app.ts';
import { pgPool } from '../db/client.ts';
import type { HandlerMap } from '../modules/stripe-events/event-handler.ts';
import { verifyLedger } from '../modules/ledger/verify-ledger.ts';
import { stripeHandlers } from './handlers/index.ts';

type Obj = Record<string, unknown>;
let h: WebhookHarness;
/** The same app but with a copy of the checkout handler: the route then takes the general pipeline. */
let general: FastifyInstance;

beforeAll(async () => {
  h = await createWebhookHarness();
  const copy = { ...stripeHandlers['checkout.session.completed']! };
  general = await buildApp(h.t.deps, {
    logger: false,
    stripeHandlers: { ...stripeHandlers, 'checkout.session.completed': copy } as HandlerMap,
  });
});
afterAll(async () => {
  await general?.close();
  await h?.close();
});

function deliverTo(app: FastifyInstance, e: Obj) {
  const payload = JSON.stringify(e);
  return app.inject({
    method: 'POST',
    url: '/api/stripe/webhook',
    headers: { 'content-type': 'application/json', 'stripe-signature': signedHeader(payload, WEBHOOK_SECRET) },
    payload,
  });
}

async function newCustomer(externalId: string) {
  return h.prisma.customer.create({ data: { externalId, email: `${externalId}@example.com` } });
}

/** Everything the pipeline wrote for one purchase, with its own ids replaced by placeholders. */
async function footprint(e: Obj) {
  const session = (e.data as { object: Obj }).object;
  const ids: Array<[string, string]> = [
    [e.id as string, '<evt>'],
    [session.id as string, '<cs>'],
    [session.payment_intent as string, '<pi>'],
  ];
  const stored = await h.prisma.stripeEvent.findUniqueOrThrow({
    where: { id: e.id as string },
    include: { deliveries: true, processing: true },
  });
  const customer = await h.prisma.customer.findUniqueOrThrow({ where: { id: stored.customerId! } });
  ids.push([customer.id, '<customer>'], [customer.externalId, '<user>']);
  const payment = await h.prisma.payment.findUniqueOrThrow({ where: { checkoutSessionId: session.id as string } });
  const entries = await h.prisma.ledgerEntry.findMany({ where: { customerId: customer.id } });
  const lots = await h.prisma.creditLot.findMany({ where: { customerId: customer.id } });
  ids.push([payment.lotId!, '<lot>']);
  const created = stored.created.getTime();
  const text = (v: unknown) =>
    ids.reduce(
      (s, [from, to]) => s.split(from).join(to),
      JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? 0 : x)),
    );
  return JSON.parse(
    text({
      event: {
        ...stored,
        deliveries: stored.deliveries.map((d) => ({ ...d, id: 0, receivedAt: 0, durationMs: d.durationMs !== null })),
        processing: stored.processing.map((a) => ({ ...a, id: 0, startedAt: 0, durationMs: a.durationMs !== null })),
        processedAt: stored.processedAt !== null,
        // Each delivery's own request id; both paths store one.
        requestId: stored.requestId !== null,
        receivedAt: 0,
        updatedAt: 0,
      },
      balance: customer.balance,
      payment: { ...payment, id: 0, createdAt: 0, updatedAt: 0, paidAt: payment.paidAt!.getTime() - created },
      entries: entries.map((x) => ({ ...x, id: 0, createdAt: 0 })),
      lots: lots.map((l) => ({ ...l, createdAt: 0, expiresAt: l.expiresAt ? l.expiresAt.getTime() - created : null })),
    }),
  ) as Obj;
}

function purchase(userId: string, key: 'starter' | 'big') {
  return event('checkout.session.completed', checkoutSession({ userId, kind: 'pack', key, amount: 2900 }));
}

describe('webhook fast path', () => {
  it('leaves exactly what the general pipeline leaves (packs with and without expiry)', async () => {
    for (const key of ['starter', 'big'] as const) {
      await newCustomer(`fast_${key}`);
      await newCustomer(`general_${key}`);
      const viaFast = purchase(`fast_${key}`, key);
      const viaGeneral = purchase(`general_${key}`, key);
      expect((await deliverTo(h.app, viaFast)).json()).toMatchObject({ duplicate: false, status: 'processed' });
      expect((await deliverTo(general, viaGeneral)).json()).toMatchObject({ duplicate: false, status: 'processed' });
      const fast = await footprint(viaFast);
      expect(fast.balance).toBe(key === 'big' ? 2000 : 500);
      expect(fast).toEqual(await footprint(viaGeneral));
    }
  });

  it('takes one statement (one pool checkout) for a new purchase, and one for a repeat', async () => {
    await newCustomer('fast_one');
    const e = purchase('fast_one', 'starter');
    const pool = pgPool(h.prisma);
    let checkouts = 0;
    const count = () => (checkouts += 1);
    pool.on('acquire', count);
    try {
      expect((await h.deliver(e)).json()).toMatchObject({ duplicate: false, status: 'processed' });
      expect(checkouts).toBe(1);
      expect((await h.deliver(e)).json()).toMatchObject({ duplicate: true, status: 'processed' });
      expect(checkouts).toBe(2);
    } finally {
      pool.off('acquire', count);
    }
  });

  it('grants once for replays, concurrent copies and a later event about the same session', async () => {
    const c = await newCustomer('fast_replay');
    const e = purchase('fast_replay', 'starter');
    const answers = await Promise.all(Array.from({ length: 6 }, () => h.deliver(e)));
    expect(answers.every((a) => a.statusCode === 200)).toBe(true);
    expect(answers.filter((a) => a.json().duplicate === false)).toHaveLength(1);
    expect((await h.deliver(e)).json()).toMatchObject({ duplicate: true, status: 'processed' });
    const again = event('checkout.session.completed', (e.data as { object: Obj }).object);
    expect((await h.deliver(again)).json()).toMatchObject({ duplicate: false, status: 'processed' });
    const deliveries = await h.prisma.webhookDelivery.findMany({ where: { eventId: e.id as string } });
    expect(deliveries.map((d) => d.duplicate).sort()).toEqual([false, true, true, true, true, true, true]);
    expect((await h.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).balance).toBe(500);
    expect(await h.prisma.ledgerEntry.count({ where: { customerId: c.id } })).toBe(1);
  });

  it('leaves what it does not cover to the general pipeline, with nothing written first', async () => {
    // A customer not known yet is created from the session.
    const unknown = purchase('fast_new_user', 'starter');
    expect((await h.deliver(unknown)).json()).toMatchObject({ duplicate: false, status: 'processed' });
    expect((await h.prisma.customer.findUniqueOrThrow({ where: { externalId: 'fast_new_user' } })).balance).toBe(500);

    // A Stripe customer to link.
    await newCustomer('fast_link');
    const cus = uid('cus');
    const link = event(
      'checkout.session.completed',
      checkoutSession({ userId: 'fast_link', kind: 'pack', key: 'starter', customer: cus }),
    );
    expect((await h.deliver(link)).json()).toMatchObject({ status: 'processed' });
    expect(await h.prisma.customer.findUniqueOrThrow({ where: { externalId: 'fast_link' } })).toMatchObject({
      stripeCustomerId: cus,
      balance: 500,
    });

    // An unknown pack fails the event the way the general pipeline reports it.
    await newCustomer('fast_nopack');
    const nopack = event(
      'checkout.session.completed',
      checkoutSession({ userId: 'fast_nopack', kind: 'pack', key: 'no_such_pack' }),
    );
    expect((await h.deliver(nopack)).json()).toMatchObject({ status: 'failed' });
    expect(await h.prisma.stripeEvent.findUniqueOrThrow({ where: { id: nopack.id as string } })).toMatchObject({
      lastError: 'unknown credit pack no_such_pack',
    });

    // A session already recorded (completed unpaid, then a paid completion): granted once.
    const c = await newCustomer('fast_pending');
    const s = checkoutSession({ userId: 'fast_pending', kind: 'pack', key: 'starter', paymentStatus: 'unpaid' });
    await h.deliver(event('checkout.session.completed', s));
    const paid = event('checkout.session.completed', { ...s, payment_status: 'paid' });
    expect((await h.deliver(paid)).json()).toMatchObject({ status: 'processed' });
    expect(await h.prisma.payment.findUniqueOrThrow({ where: { checkoutSessionId: s.id as string } })).toMatchObject({
      status: 'paid',
      creditsGranted: 500,
    });
    expect((await h.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).balance).toBe(500);
  });

  it('rolls back as a whole when its statement fails, and the general pipeline applies the event', async () => {
    const c = await newCustomer('fast_error');
    const e = purchase('fast_error', 'starter');
    const sessionId = (e.data as { object: Obj }).object.id as string;
    // The first payment insert for this session fails (a sequence is not rolled back): that is the
    // fast path's, after it wrote the event and the grant.
    const pool = pgPool(h.prisma);
    await pool.query(`
      CREATE SEQUENCE fail_once;
      CREATE FUNCTION fail_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.checkout_session_id = '${sessionId}' AND nextval('fail_once') = 1 THEN
          RAISE EXCEPTION 'injected payment insert failure';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER fail_once BEFORE INSERT ON payment FOR EACH ROW EXECUTE FUNCTION fail_once();`);
    try {
      expect((await h.deliver(e)).json()).toMatchObject({ duplicate: false, status: 'processed' });
      // Both paths inserted the payment: the fast path's insert failed, the general one's stayed.
      expect((await pool.query('SELECT last_value FROM fail_once')).rows[0]).toEqual({ last_value: '2' });
    } finally {
      await pool.query('DROP TRIGGER fail_once ON payment; DROP FUNCTION fail_once(); DROP SEQUENCE fail_once;');
    }
    const stored = await h.prisma.stripeEvent.findUniqueOrThrow({
      where: { id: e.id as string },
      include: { deliveries: true, processing: true },
    });
    expect(stored).toMatchObject({ status: 'processed', attempts: 1 });
    expect(stored.deliveries).toHaveLength(1);
    expect(stored.processing).toHaveLength(1);
    expect((await h.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).balance).toBe(500);
    expect(await verifyLedger(h.prisma)).toEqual([]);
  });
});
