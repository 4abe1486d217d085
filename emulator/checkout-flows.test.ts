// The hosted Checkout page's outcomes and the events Stripe emits for each, in order, with
// metadata propagated the way Stripe propagates it. (Shapes are checked in schemas.test.ts.)
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedCatalog, startTestEmulator, type TestEmulator } from './testing.ts';

let t: TestEmulator;
let stripe: Stripe;
let catalog: Awaited<ReturnType<typeof seedCatalog>>;

beforeAll(async () => {
  t = await startTestEmulator();
  stripe = t.stripe;
});
afterAll(() => t.stop());
beforeEach(async () => {
  await t.driver.reset();
  catalog = await seedCatalog(stripe);
});

/** Events after the catalog was seeded, oldest first. */
async function flowEvents(): Promise<Stripe.Event[]> {
  const all: Stripe.Event[] = [];
  for await (const e of stripe.events.list({ limit: 100 })) all.push(e);
  return all.reverse().filter((e) => !e.type.startsWith('product.') && !e.type.startsWith('price.'));
}

function packSession(extra: Partial<Stripe.Checkout.SessionCreateParams> = {}): Promise<Stripe.Checkout.Session> {
  return stripe.checkout.sessions.create({
    mode: 'payment',
    line_items: [{ price: catalog.pack.id, quantity: 1 }],
    success_url: 'https://desk.test/thanks?session={CHECKOUT_SESSION_ID}',
    cancel_url: 'https://desk.test/cancel',
    client_reference_id: 'user_7',
    metadata: { user_id: 'user_7', credits: '500' },
    payment_intent_data: { metadata: { user_id: 'user_7' }, description: 'Credit pack' },
    ...extra,
  });
}

describe('payment mode', () => {
  it('card succeeds: events in Stripe order, PI metadata from payment_intent_data only, request ids set', async () => {
    const s = await packSession({ customer_creation: 'always', customer_email: 'buyer@example.com' });
    const res = await t.driver.payCheckoutSession(s.id, 'card_success');
    expect(res.error).toBeNull();
    const events = await flowEvents();
    expect(events.map((e) => e.type)).toEqual([
      'customer.created',
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
      'charge.updated',
      'checkout.session.completed',
    ]);

    const completed = events.at(-1)?.data.object as Stripe.Checkout.Session;
    expect(completed).toMatchObject({
      id: s.id,
      status: 'complete',
      payment_status: 'paid',
      client_reference_id: 'user_7',
      metadata: { user_id: 'user_7', credits: '500' },
      customer: res.customer?.id,
      payment_intent: res.payment_intent?.id,
      customer_details: { email: 'buyer@example.com' },
    });
    expect(events.at(-1)?.request).toEqual({ id: null, idempotency_key: null });
    const confirm = events.slice(1, 4).map((e) => e.request);
    expect(new Set(confirm.map((r) => r?.id)).size).toBe(1);
    expect(confirm[0]?.id).toMatch(/^req_/);
    expect(confirm[0]?.idempotency_key).toMatch(/^[0-9a-f-]{36}$/);

    const pi = await stripe.paymentIntents.retrieve(String(res.payment_intent?.id), { expand: ['latest_charge'] });
    expect(pi).toMatchObject({
      status: 'succeeded',
      amount: 1000,
      currency: 'eur',
      description: 'Credit pack',
      metadata: { user_id: 'user_7' },
    });
    expect(pi.metadata).not.toHaveProperty('credits');
    expect((pi.latest_charge as Stripe.Charge).metadata).toEqual({ user_id: 'user_7' });
    expect((pi.latest_charge as Stripe.Charge).billing_details.email).toBe('buyer@example.com');
    const session = await stripe.checkout.sessions.retrieve(s.id, { expand: ['line_items', 'payment_intent'] });
    expect(session.line_items?.data[0]?.price?.metadata).toEqual({ credits: '500' });
    expect((session.payment_intent as Stripe.PaymentIntent).status).toBe('succeeded');
  });

  it('a guest payment (customer_creation if_required) creates no customer', async () => {
    const s = await packSession();
    const res = await t.driver.payCheckoutSession(s.id, 'card_success', { email: 'guest@example.com' });
    expect(res.customer).toBeNull();
    expect((await flowEvents()).map((e) => e.type)).toEqual([
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
      'charge.updated',
      'checkout.session.completed',
    ]);
    expect(res.session.customer).toBeNull();
    expect(res.session.customer_details?.email).toBe('guest@example.com');
  });

  it('card declined keeps the session open; paying again with another card succeeds on the same PaymentIntent', async () => {
    const s = await packSession();
    const declined = await t.driver.payCheckoutSession(s.id, 'card_declined');
    expect(declined.error).toBe('Your card was declined.');
    expect(declined.session).toMatchObject({ status: 'open', payment_status: 'unpaid' });
    expect(declined.payment_intent).toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: { code: 'card_declined' },
    });
    expect((await flowEvents()).map((e) => e.type)).toEqual([
      'payment_intent.created',
      'charge.failed',
      'payment_intent.payment_failed',
    ]);
    const ok = await t.driver.payCheckoutSession(s.id, 'card_success');
    expect(ok.payment_intent?.id).toBe(declined.payment_intent?.id);
    expect(ok.session.status).toBe('complete');
    expect((await stripe.charges.list({ payment_intent: ok.payment_intent?.id })).data.map((c) => c.status)).toEqual([
      'succeeded',
      'failed',
    ]);
    await expect(t.driver.payCheckoutSession(s.id, 'card_success')).rejects.toThrow(/no longer be paid/);
  });

  it('delayed method that succeeds: completed with payment_status unpaid, then async_payment_succeeded', async () => {
    const s = await packSession();
    const res = await t.driver.payCheckoutSession(s.id, 'delayed_success');
    expect(res.session.payment_status).toBe('paid');
    const events = await flowEvents();
    expect(events.map((e) => e.type)).toEqual([
      'payment_intent.created',
      'charge.pending',
      'payment_intent.processing',
      'checkout.session.completed',
      'charge.succeeded',
      'payment_intent.succeeded',
      'checkout.session.async_payment_succeeded',
    ]);
    expect((events[3]?.data.object as Stripe.Checkout.Session).payment_status).toBe('unpaid');
    expect((events[6]?.data.object as Stripe.Checkout.Session).payment_status).toBe('paid');
    expect((events[1]?.data.object as Stripe.Charge).payment_method_details?.type).toBe('sepa_debit');
  });

  it('delayed method left pending, then failing when the bank answers', async () => {
    const s = await packSession();
    const res = await t.driver.payCheckoutSession(s.id, 'delayed_failure', { settleAfterSeconds: null });
    expect(res.payment_intent?.status).toBe('processing');
    expect((await flowEvents()).at(-1)?.type).toBe('checkout.session.completed');
    const pending = await stripe.checkout.sessions.retrieve(s.id);
    expect(pending).toMatchObject({ status: 'complete', payment_status: 'unpaid' });
    await t.driver.settlePayment(String(res.payment_intent?.id), 'failed');
    const tail = (await flowEvents()).slice(-3);
    expect(tail.map((e) => e.type)).toEqual([
      'charge.failed',
      'payment_intent.payment_failed',
      'checkout.session.async_payment_failed',
    ]);
    expect(tail.every((e) => e.request?.id === null)).toBe(true);
    expect((await stripe.paymentIntents.retrieve(String(res.payment_intent?.id))).status).toBe(
      'requires_payment_method',
    );
    await expect(t.driver.settlePayment(String(res.payment_intent?.id), 'succeeded')).rejects.toThrow(
      /only processing payments/,
    );
  });

  it('a delayed settlement scheduled on the emulator clock happens on its own', async () => {
    const s = await packSession();
    const res = await t.driver.payCheckoutSession(s.id, 'delayed_success', { settleAfterSeconds: 3600 });
    expect(res.payment_intent?.status).toBe('processing');
    await expect
      .poll(async () => (await stripe.paymentIntents.retrieve(String(res.payment_intent?.id))).status, {
        timeout: 3000,
      })
      .toBe('succeeded');
  });
});

describe('subscription mode', () => {
  it('card succeeds: customer, subscription, invoice, payment and session events in order; metadata where Stripe puts it', async () => {
    const s = await stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: catalog.plan.id, quantity: 1 }],
      customer_email: 'subscriber@example.com',
      metadata: { user_id: 'user_9', plan: 'pro' },
      subscription_data: { metadata: { user_id: 'user_9' }, description: 'Pro plan' },
    });
    const res = await t.driver.payCheckoutSession(s.id, 'card_success', { name: 'Sam Subscriber' });
    const events = await flowEvents();
    expect(events.map((e) => e.type)).toEqual([
      'customer.created',
      'customer.subscription.created',
      'invoice.created',
      'invoice.finalized',
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
      'charge.updated',
      'invoice.paid',
      'invoice.payment_succeeded',
      'invoice_payment.paid',
      'customer.subscription.updated',
      'checkout.session.completed',
    ]);
    expect(events[1]?.data.object).toMatchObject({ status: 'incomplete', latest_invoice: res.invoice?.id });
    expect(events[11]?.data.previous_attributes).toEqual({ status: 'incomplete' });

    const sub = await stripe.subscriptions.retrieve(String(res.subscription?.id));
    expect(sub).toMatchObject({
      status: 'active',
      metadata: { user_id: 'user_9' },
      description: 'Pro plan',
      customer: res.customer?.id,
    });
    expect(sub.metadata).not.toHaveProperty('plan');
    expect(sub.items.data[0]?.price.id).toBe(catalog.plan.id);
    expect(sub.default_payment_method).toBe(res.charge?.payment_method);

    const session = await stripe.checkout.sessions.retrieve(s.id);
    expect(session).toMatchObject({
      status: 'complete',
      payment_status: 'paid',
      subscription: sub.id,
      invoice: res.invoice?.id,
      payment_intent: null,
    });
    const invoice = await stripe.invoices.retrieve(String(session.invoice), { expand: ['payments'] });
    expect(invoice).toMatchObject({
      status: 'paid',
      billing_reason: 'subscription_create',
      amount_paid: 2000,
      customer_email: 'subscriber@example.com',
    });
    expect(invoice.parent).toEqual({
      type: 'subscription_details',
      quote_details: null,
      subscription_details: { subscription: sub.id, metadata: { user_id: 'user_9' } },
    });
    expect(invoice.lines.data[0]?.pricing?.price_details).toEqual({
      price: catalog.plan.id,
      product: catalog.product.id,
    });
    expect(invoice.lines.data[0]?.period).toEqual({
      start: sub.items.data[0]?.current_period_start,
      end: sub.items.data[0]?.current_period_end,
    });
    expect(invoice.payments?.data[0]?.payment.payment_intent).toBe(res.payment_intent?.id);
    const customer = await stripe.customers.retrieve(String(res.customer?.id));
    expect(customer).toMatchObject({ email: 'subscriber@example.com', name: 'Sam Subscriber' });
  });

  it('declined card in subscription mode creates nothing and keeps the customer on the page', async () => {
    const s = await stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: catalog.plan.id, quantity: 1 }],
    });
    const res = await t.driver.payCheckoutSession(s.id, 'card_declined');
    expect(res).toMatchObject({ error: 'Your card was declined.', subscription: null, customer: null });
    expect(await flowEvents()).toEqual([]);
  });

  it('delayed method: subscription stays incomplete until the debit succeeds', async () => {
    const customer = await stripe.customers.create({ email: 'sepa@example.com' });
    const s = await stripe.checkout.sessions.create({
      mode: 'subscription',
      customer: customer.id,
      line_items: [{ price: catalog.plan.id, quantity: 1 }],
    });
    const res = await t.driver.payCheckoutSession(s.id, 'delayed_success', { settleAfterSeconds: null });
    expect(res.subscription?.status).toBe('incomplete');
    expect(res.session.payment_status).toBe('unpaid');
    expect(res.invoice?.status).toBe('open');
    await t.driver.settlePayment(String(res.payment_intent?.id), 'succeeded');
    const tail = (await flowEvents()).slice(-7).map((e) => e.type);
    expect(tail).toEqual([
      'charge.succeeded',
      'payment_intent.succeeded',
      'invoice.paid',
      'invoice.payment_succeeded',
      'invoice_payment.paid',
      'customer.subscription.updated',
      'checkout.session.async_payment_succeeded',
    ]);
    expect((await stripe.subscriptions.retrieve(String(res.subscription?.id))).status).toBe('active');
  });
});

describe('the hosted page', () => {
  it('shows the order and pays through a form POST, redirecting to success_url', async () => {
    const s = await packSession({ customer_email: 'browser@example.com' });
    const page = await fetch(String(s.url));
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('EUR 10.00');
    expect(html).toContain('data-testid="checkout-submit"');
    expect(html).toContain('browser@example.com');
    // The page's own form token (a cross-site form has none: control-token.test.ts).
    const token = encodeURIComponent(/name="form_token" value="([^"]+)"/.exec(html)?.[1] ?? '');

    const declined = await fetch(String(s.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `outcome=card_declined&email=browser%40example.com&form_token=${token}`,
      redirect: 'manual',
    });
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain('Your card was declined.');

    const paid = await fetch(String(s.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `outcome=card_success&email=browser%40example.com&form_token=${token}`,
      redirect: 'manual',
    });
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`https://desk.test/thanks?session=${s.id}`);
    expect((await stripe.checkout.sessions.retrieve(s.id)).payment_status).toBe('paid');
    expect(await (await fetch(String(s.url))).text()).toContain('Payment received');
  });

  it('an expired session cannot be paid and emits checkout.session.expired', async () => {
    const s = await packSession();
    await t.driver.expireCheckoutSession(s.id);
    await expect(t.driver.payCheckoutSession(s.id, 'card_success')).rejects.toThrow(
      /expired; it can no longer be paid/,
    );
    expect((await flowEvents()).map((e) => e.type)).toEqual(['checkout.session.expired']);
  });
});
