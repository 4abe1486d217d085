// Webhook delivery against a real local receiver: Stripe's signature, retries with backoff on the
// compressed clock, and each injected fault. Also API faults (latency, lost responses).
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addEndpoint, startReceiver, startTestEmulator, type Receiver, type TestEmulator } from './testing.ts';

let t: TestEmulator;
let stripe: Stripe;
let rx: Receiver;
let endpoint: Stripe.WebhookEndpoint & { secret: string };

// 60 s / 300 s / 1800 s of backoff become 6 / 30 / 180 ms.
const SCHEDULE = [60, 300, 1800];

beforeAll(async () => {
  t = await startTestEmulator({ timeScale: 0.0001, retrySchedule: SCHEDULE });
  stripe = t.stripe;
  rx = await startReceiver();
});
afterAll(async () => {
  await t.stop();
  await rx.close();
});
beforeEach(async () => {
  await t.driver.reset();
  rx.reset();
  endpoint = await addEndpoint(stripe, rx.url);
});

async function customerEvent(email = 'hook@example.com'): Promise<string> {
  await stripe.customers.create({ email });
  const [event] = (await stripe.events.list({ type: 'customer.created', limit: 1 })).data;
  return String(event?.id);
}

describe('signing and delivery', () => {
  it('POSTs the stored event, signed so that stripe.webhooks.constructEvent verifies it', async () => {
    const eventId = await customerEvent();
    const [req] = await rx.waitFor(1);
    const header = String(req?.headers['stripe-signature']);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(req?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(req?.headers['user-agent']).toMatch(/^Stripe\/1\.0/);
    const event = stripe.webhooks.constructEvent(String(req?.body), header, endpoint.secret);
    expect(event).toMatchObject({
      id: eventId,
      type: 'customer.created',
      api_version: '2026-10-28.endive',
      livemode: false,
    });
    expect(() =>
      stripe.webhooks.constructEvent(String(req?.body).replace('hook@', 'evil@'), header, endpoint.secret),
    ).toThrow(/No signatures found/);
    expect(() => stripe.webhooks.constructEvent(String(req?.body), header, 'whsec_wrong')).toThrow(
      /No signatures found/,
    );

    await t.driver.waitForIdle();
    const [delivery] = await t.driver.listDeliveries({ event: eventId });
    expect(delivery).toMatchObject({ status: 'succeeded', endpoint: endpoint.id, url: rx.url });
    expect(delivery?.attempts).toHaveLength(1);
    expect(delivery?.attempts[0]).toMatchObject({ http_status: 200, succeeded: true });
    expect((await stripe.events.retrieve(eventId)).pending_webhooks).toBe(0);
  });

  it("shows events and deliveries on the emulator's dashboard page", async () => {
    rx.respond(() => ({ status: 500 }));
    const eventId = await customerEvent('dash@example.com');
    await rx.waitFor(1);
    const res = await fetch(`${t.url}/_emulator`);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain(eventId);
    expect(html).toContain('dash@example.com');
    expect(html).toMatch(/pending|failed/);
    expect(html).toContain(endpoint.id);
  });

  it('sends only the enabled events to an endpoint', async () => {
    const rx2 = await startReceiver();
    try {
      await addEndpoint(stripe, rx2.url, ['product.created']);
      await stripe.customers.create({ email: 'a@example.com' });
      await stripe.products.create({ name: 'P' });
      await t.driver.waitForIdle();
      expect(rx2.types()).toEqual(['product.created']);
      expect(rx.types()).toEqual(['customer.created', 'product.created']);
    } finally {
      await rx2.close();
    }
  });

  it('a reset answers once the requests already on the wire have landed', async () => {
    // Tests reset the emulator, then their receiver. A request still on the wire when the reset
    // answered used to land after the receiver's reset, in the next test's list.
    let answered = false;
    rx.respond(async () => {
      await new Promise((r) => setTimeout(r, 200));
      answered = true;
      return { status: 500 };
    });
    await stripe.customers.create({ email: 'inflight@example.com' });
    await rx.waitFor(1);
    await t.driver.reset();
    expect(answered).toBe(true);
    expect(await t.driver.listDeliveries({})).toEqual([]);
  });

  it('signs with both secrets while a rolled secret is still valid', async () => {
    const rolled = await t.driver.rollWebhookSecret(endpoint.id, 3600);
    expect(rolled.secrets).toEqual([rolled.secret, endpoint.secret]);
    await customerEvent();
    const [req] = await rx.waitFor(1);
    const header = String(req?.headers['stripe-signature']);
    expect(header.match(/v1=/g)).toHaveLength(2);
    expect(stripe.webhooks.constructEvent(String(req?.body), header, rolled.secret).type).toBe('customer.created');
    expect(stripe.webhooks.constructEvent(String(req?.body), header, endpoint.secret).type).toBe('customer.created');
  });
});

describe('retries', () => {
  it('retries a failing endpoint with backoff until it answers 2xx', async () => {
    rx.respond((_req, i) => ({ status: i < 2 ? 500 : 200 }));
    const eventId = await customerEvent();
    const got = await rx.waitFor(3);
    expect(got.every((r) => r.event.id === eventId)).toBe(true);
    expect((got[1]?.at ?? 0) - (got[0]?.at ?? 0)).toBeGreaterThanOrEqual(5);
    expect((got[2]?.at ?? 0) - (got[1]?.at ?? 0)).toBeGreaterThanOrEqual(25);
    await t.driver.waitForIdle({ includeScheduled: true });
    const [d] = await t.driver.listDeliveries({ event: eventId });
    expect(d?.status).toBe('succeeded');
    expect(d?.attempts.map((a) => a.http_status)).toEqual([500, 500, 200]);
    expect((await stripe.events.list({ delivery_success: true, limit: 100 })).data.map((e) => e.id)).toContain(eventId);
  });

  it('gives up after the schedule; delivery_success=false finds the event; Resend delivers it', async () => {
    rx.respond(() => ({ status: 503 }));
    const eventId = await customerEvent();
    await rx.waitFor(SCHEDULE.length + 1);
    await t.driver.waitForIdle({ includeScheduled: true });
    const [d] = await t.driver.listDeliveries({ event: eventId });
    expect(d).toMatchObject({ status: 'failed', next_attempt_at: null });
    expect(d?.attempts).toHaveLength(SCHEDULE.length + 1);
    const undelivered = await stripe.events.list({ delivery_success: false, limit: 100 });
    expect(undelivered.data.map((e) => e.id)).toEqual([eventId]);
    expect(undelivered.data[0]?.pending_webhooks).toBe(1);

    rx.respond(() => ({ status: 200 }));
    await t.driver.resendEvent(eventId);
    await t.driver.waitForIdle();
    const [after] = await t.driver.listDeliveries({ event: eventId });
    expect(after?.status).toBe('succeeded');
    expect(after?.attempts.at(-1)).toMatchObject({ manual: true, http_status: 200 });
    expect((await stripe.events.list({ delivery_success: false })).data).toEqual([]);
  });

  it('a receiver slower than the delivery timeout counts as failed and is retried', async () => {
    const slow = await startTestEmulator({ timeScale: 0.0001, retrySchedule: SCHEDULE, deliveryTimeoutMs: 150 });
    try {
      await addEndpoint(slow.stripe, rx.url);
      rx.respond((_r, i) => ({ status: 200, delayMs: i === 0 ? 600 : 0 }));
      await slow.stripe.customers.create({ email: 'slow@example.com' });
      await rx.waitFor(2);
      await slow.driver.waitForIdle({ includeScheduled: true });
      const [d] = await slow.driver.listDeliveries();
      expect(d?.status).toBe('succeeded');
      expect(d?.attempts[0]).toMatchObject({ succeeded: false, http_status: null, error: 'timed out after 150 ms' });
    } finally {
      await slow.stop();
    }
  });

  it('flushDeliveries runs a retry now instead of after its backoff', async () => {
    const realTime = await startTestEmulator({ timeScale: 1 });
    try {
      await addEndpoint(realTime.stripe, rx.url);
      rx.respond((_r, i) => ({ status: i === 0 ? 500 : 200 }));
      await realTime.stripe.customers.create({ email: 'flush@example.com' });
      await rx.waitFor(1);
      await realTime.driver.waitForIdle();
      const [pending] = await realTime.driver.listDeliveries();
      expect(pending?.status).toBe('pending');
      expect(pending?.next_attempt_at).toBeGreaterThan(Date.now() + 290_000);
      const flushed = await realTime.driver.flushDeliveries();
      expect(flushed).toEqual({ flushed: 1, idle: true });
      const [done] = await realTime.driver.listDeliveries();
      expect(done?.attempts.map((a) => a.http_status)).toEqual([500, 200]);
    } finally {
      await realTime.stop();
    }
  });
});

describe('faults', () => {
  it('drop_first: the first attempts never reach the receiver', async () => {
    await t.driver.setFault({ match: { type: 'customer.created' }, drop_first: 2 });
    const eventId = await customerEvent();
    await rx.waitFor(1);
    await t.driver.waitForIdle({ includeScheduled: true });
    expect(rx.received).toHaveLength(1);
    const [d] = await t.driver.listDeliveries({ event: eventId });
    expect(d?.attempts.map((a) => a.fault)).toEqual(['drop_first', 'drop_first', null]);
    expect(d?.status).toBe('succeeded');
  });

  it('delay: a delayed event arrives after events created later', async () => {
    await t.driver.setFault({ match: { type: 'customer.created' }, delay_seconds: 3000 });
    await stripe.customers.create({ email: 'first@example.com' });
    await stripe.products.create({ name: 'Second' });
    const got = await rx.waitFor(2);
    expect(got.map((r) => r.event.type)).toEqual(['product.created', 'customer.created']);
  });

  it('duplicate: a delivered event is sent again N times with the same id', async () => {
    await t.driver.setFault({ match: { endpoint: endpoint.id }, duplicate: 2 });
    const eventId = await customerEvent();
    const got = await rx.waitFor(3);
    expect(got.map((r) => r.event.id)).toEqual([eventId, eventId, eventId]);
    await t.driver.waitForIdle();
    const [d] = await t.driver.listDeliveries({ event: eventId });
    expect(d?.attempts.map((a) => a.duplicate)).toEqual([false, true, true]);
  });

  it('reorder: events for the endpoint arrive newest first', async () => {
    await t.driver.setFault({ match: { endpoint: endpoint.id }, reorder: 3, reorder_window_seconds: 100_000 });
    for (const email of ['1@example.com', '2@example.com', '3@example.com']) await stripe.customers.create({ email });
    const got = await rx.waitFor(3);
    const emails = got.map((r) => (r.event.data as { object: { email: string } }).object.email);
    expect(emails).toEqual(['3@example.com', '2@example.com', '1@example.com']);
  });

  it('down: attempts fail until the endpoint is back; the next retry delivers, or the schedule runs out', async () => {
    // Real-time clock: a retry waits 5 minutes unless flushed, so nothing races the test.
    const real = await startTestEmulator({ timeScale: 1 });
    try {
      const e = await addEndpoint(real.stripe, rx.url);
      const fault = await real.driver.setFault({ match: { endpoint: e.id }, down: true });
      await real.stripe.customers.create({ email: 'down@example.com' });
      await real.driver.waitForIdle();
      const [first] = await real.driver.listDeliveries();
      expect(first).toMatchObject({
        status: 'pending',
        attempts: [{ fault: 'down', error: 'connect ECONNREFUSED (endpoint down)' }],
      });
      expect(rx.received).toHaveLength(0);
      await real.driver.removeFault(fault.id);
      await real.driver.flushDeliveries();
      const [recovered] = await real.driver.listDeliveries();
      expect(recovered?.status).toBe('succeeded');
      expect(recovered?.attempts.map((a) => a.http_status)).toEqual([null, 200]);
      expect(rx.types()).toEqual(['customer.created']);

      // `once` gives each waiting delivery one more attempt; a plain flush fast-forwards through
      // the whole schedule: down all along means failed.
      await real.driver.setFault({ match: { endpoint: e.id }, down: true });
      await real.stripe.products.create({ name: 'Never arrives' });
      await real.driver.waitForIdle();
      expect(await real.driver.flushDeliveries({ once: true })).toEqual({ flushed: 1, idle: false });
      const [twice] = await real.driver.listDeliveries({ type: 'product.created' });
      expect(twice).toMatchObject({ status: 'pending', attempts: [{ fault: 'down' }, { fault: 'down' }] });
      await real.driver.flushDeliveries();
      const [exhausted] = await real.driver.listDeliveries({ type: 'product.created' });
      expect(exhausted?.status).toBe('failed');
      expect(exhausted?.attempts).toHaveLength(4);
      expect(rx.types()).toEqual(['customer.created']);
    } finally {
      await real.stop();
    }
  });

  it('respond_slowly: the receiver gets the event, Stripe counts a timeout and sends it again', async () => {
    await t.driver.setFault({ match: { type: 'customer.*' }, respond_slowly: 1 });
    const eventId = await customerEvent();
    const got = await rx.waitFor(2);
    expect(got.map((r) => r.event.id)).toEqual([eventId, eventId]);
    await t.driver.waitForIdle({ includeScheduled: true });
    const [d] = await t.driver.listDeliveries({ event: eventId });
    expect(d?.attempts.map((a) => [a.http_status, a.succeeded, a.fault])).toEqual([
      [200, false, 'respond_slowly'],
      [200, true, null],
    ]);
  });

  it('suppress by object: only the completed event of one Checkout Session is withheld', async () => {
    const product = await stripe.products.create({
      name: 'Pack',
      default_price_data: { currency: 'eur', unit_amount: 500 },
    });
    const line = [{ price: String(product.default_price), quantity: 1 }];
    const lost = await stripe.checkout.sessions.create({ mode: 'payment', line_items: line });
    const fine = await stripe.checkout.sessions.create({ mode: 'payment', line_items: line });
    await t.driver.suppressEvent({ type: 'checkout.session.completed', object: lost.id });
    await t.driver.payCheckoutSession(lost.id, 'card_success');
    await t.driver.payCheckoutSession(fine.id, 'card_success');
    await t.driver.waitForIdle();
    const completed = rx.received.filter((r) => r.event.type === 'checkout.session.completed');
    expect(completed.map((r) => (r.event.data as { object: { id: string } }).object.id)).toEqual([fine.id]);
    expect(rx.types().filter((x) => x === 'payment_intent.succeeded')).toHaveLength(2);
    const undelivered = await stripe.events.list({ delivery_success: false });
    expect(undelivered.data.map((e) => [e.type, (e.data.object as { id: string }).id])).toEqual([
      ['checkout.session.completed', lost.id],
    ]);
  });

  it('suppress: the event is never delivered and shows up as undelivered', async () => {
    await t.driver.suppressEvent('customer.created');
    const eventId = await customerEvent();
    await stripe.products.create({ name: 'Delivered' });
    await rx.waitFor(1);
    await t.driver.waitForIdle({ includeScheduled: true });
    expect(rx.types()).toEqual(['product.created']);
    const [d] = await t.driver.listDeliveries({ event: eventId });
    expect(d).toMatchObject({ status: 'suppressed', attempts: [] });
    expect((await stripe.events.list({ delivery_success: false })).data.map((e) => e.id)).toEqual([eventId]);
    expect((await t.driver.listFaults()).data).toHaveLength(1);
    await t.driver.clearFaults();
    expect((await t.driver.listFaults()).data).toHaveLength(0);
  });
});

describe('API faults', () => {
  it('latency slows the matching endpoint', async () => {
    await t.driver.setFault({
      target: 'api',
      match: { method: 'GET', path: '/v1/customers' },
      latency_ms: 200,
      times: 1,
    });
    const started = Date.now();
    await stripe.customers.list();
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    const again = Date.now();
    await stripe.customers.list();
    expect(Date.now() - again).toBeLessThan(150);
  });

  it('a failure before processing changes nothing', async () => {
    await t.driver.setFault({
      target: 'api',
      match: { method: 'POST', path: '/v1/customers' },
      fail: { status: 500 },
      times: 1,
    });
    await expect(stripe.customers.create({ email: 'x@example.com' })).rejects.toBeInstanceOf(
      Stripe.errors.StripeAPIError,
    );
    expect((await stripe.customers.list()).data).toHaveLength(0);
  });

  it('a response lost after processing: the SDK retries with the same Idempotency-Key and gets the replay', async () => {
    const retrying = new Stripe('sk_test_retrying', {
      host: '127.0.0.1',
      port: t.running.port,
      protocol: 'http',
      maxNetworkRetries: 1,
    });
    const pi = await stripe.paymentIntents.create({
      amount: 2500,
      currency: 'eur',
      confirm: true,
      payment_method: 'pm_card_visa',
    });
    await t.driver.setFault({
      target: 'api',
      match: { method: 'POST', path: '/v1/refunds' },
      fail: { status: 500, after_processing: true },
      times: 1,
    });
    const refund = await retrying.refunds.create({ payment_intent: pi.id }, { idempotencyKey: 'refund:ledger-9' });
    expect(refund.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect((await stripe.refunds.list({ payment_intent: pi.id })).data.map((r) => r.id)).toEqual([refund.id]);
    expect((await stripe.events.list({ type: 'refund.created' })).data).toHaveLength(1);
  });
});
