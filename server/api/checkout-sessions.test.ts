// POST /api/v1/checkout-sessions: service API auth, validation, blocked customers, and what is
// sent to Stripe (metadata on the session and on the payment intent / subscription, one Stripe
// customer per customer, created on first use). Stripe is the project's emulator, reached through
// the official SDK; what we sent is read back from it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulatorHarness, type EmulatorHarness } from '../../test/stripe/emulator-harness.ts';

const KEY = 'checkout-test-service-key-0123456789';
let h: EmulatorHarness;

beforeAll(async () => {
  h = await createEmulatorHarness({ env: { SERVICE_API_KEY: KEY } });
  await h.prisma.customer.create({ data: { externalId: 'buyer_1', email: 'buyer1@example.com', name: 'Buyer One' } });
  await h.prisma.customer.create({
    data: {
      externalId: 'blocked_1',
      email: 'blocked@example.com',
      status: 'blocked',
      blockedReason: 'too many disputes',
    },
  });
});
afterAll(async () => {
  await h?.close();
});

function post(body: unknown, key: string | null = KEY) {
  return h.app.inject({
    method: 'POST',
    url: '/api/v1/checkout-sessions',
    headers: key ? { authorization: `Bearer ${key}` } : {},
    payload: body as Record<string, unknown>,
  });
}

const urls = { successUrl: 'https://app.example/paid', cancelUrl: 'https://app.example/cancel' };

describe('POST /api/v1/checkout-sessions', () => {
  it('creates a payment-mode session for a pack, with our metadata, and links a new Stripe customer', async () => {
    const res = await post({ customerId: 'buyer_1', pack: 'starter', ...urls });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      id: expect.stringMatching(/^cs_test_/),
      url: expect.stringContaining(body.id),
      mode: 'payment',
    });

    const customer = await h.prisma.customer.findUniqueOrThrow({ where: { externalId: 'buyer_1' } });
    expect(customer.stripeCustomerId).toMatch(/^cus_/);
    const created = await h.stripe.customers.list({ email: 'buyer1@example.com' });
    expect(created.data.map((c) => c.id)).toEqual([customer.stripeCustomerId]);
    expect(created.data[0]?.metadata).toEqual({ user_id: 'buyer_1', creditdesk_customer_id: customer.id });
    // Created under the idempotency key creditdesk-customer:<id>: the same request with that key
    // is answered with the same customer instead of a second one.
    const replayed = await h.stripe.customers.create(
      {
        email: 'buyer1@example.com',
        name: 'Buyer One',
        metadata: { user_id: 'buyer_1', creditdesk_customer_id: customer.id },
      },
      { idempotencyKey: `creditdesk-customer:${customer.id}` },
    );
    expect(replayed.id).toBe(customer.stripeCustomerId);

    const metadata = { user_id: 'buyer_1', kind: 'pack', key: 'starter', credits: '500' };
    const session = await h.stripe.checkout.sessions.retrieve(body.id);
    expect(session).toMatchObject({
      mode: 'payment',
      customer: customer.stripeCustomerId,
      client_reference_id: 'buyer_1',
      success_url: urls.successUrl,
      cancel_url: urls.cancelUrl,
      metadata,
    });
    const items = await h.stripe.checkout.sessions.listLineItems(body.id);
    expect(items.data.map((i) => [i.price?.id, i.quantity])).toEqual([[h.prices.starter, 1]]);
    // payment_intent_data: the payment intent created when the customer pays carries it.
    const paid = await h.driver.payCheckoutSession(body.id, 'card_success');
    expect(paid.payment_intent?.metadata).toEqual(metadata);
  });

  it('creates a subscription-mode session for a plan, reusing the linked Stripe customer', async () => {
    const res = await post({ customerId: 'buyer_1', plan: 'pro', ...urls });
    expect(res.statusCode).toBe(200);
    expect(res.json().mode).toBe('subscription');
    expect((await h.stripe.customers.list({ email: 'buyer1@example.com' })).data).toHaveLength(1);
    const customer = await h.prisma.customer.findUniqueOrThrow({ where: { externalId: 'buyer_1' } });
    const session = await h.stripe.checkout.sessions.retrieve(res.json().id);
    expect(session).toMatchObject({ mode: 'subscription', customer: customer.stripeCustomerId });
    const items = await h.stripe.checkout.sessions.listLineItems(session.id);
    expect(items.data.map((i) => i.price?.id)).toEqual([h.prices.pro]);
    // subscription_data: the subscription created when the customer pays carries our metadata.
    // (Stripe, and the emulator, refuse payment_intent_data in subscription mode: the 200 above
    // also says none was sent.)
    const paid = await h.driver.payCheckoutSession(session.id, 'card_success');
    expect(paid.subscription?.metadata).toEqual({ user_id: 'buyer_1', kind: 'plan', key: 'pro', credits: '1000' });
  });

  it('carries the buyer IP and user agent in the session metadata, validated (issue 16.3)', async () => {
    const ua = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1.15';
    const res = await post({ customerId: 'buyer_1', pack: 'starter', ...urls, clientIp: '2001:db8::7', userAgent: ua });
    expect(res.statusCode).toBe(200);
    const session = await h.stripe.checkout.sessions.retrieve(res.json().id);
    expect(session.metadata).toMatchObject({ user_id: 'buyer_1', client_ip: '2001:db8::7', user_agent: ua });
    for (const bad of [
      { clientIp: '999.1.1.1' },
      { clientIp: 'localhost' },
      { userAgent: 'a\nb' },
      { userAgent: 'x'.repeat(501) },
    ]) {
      const refused = await post({ customerId: 'buyer_1', pack: 'starter', ...urls, ...bad });
      expect(refused.statusCode).toBe(400);
    }
  });

  it('refuses a blocked customer with 403', async () => {
    const res = await post({ customerId: 'blocked_1', pack: 'starter', ...urls });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'blocked' } });
  });

  it('answers 404 for an unknown customer, pack or plan, and 422 for a plan without a price', async () => {
    expect((await post({ customerId: 'nobody', pack: 'starter', ...urls })).statusCode).toBe(404);
    expect((await post({ customerId: 'buyer_1', pack: 'nope', ...urls })).statusCode).toBe(404);
    expect((await post({ customerId: 'buyer_1', plan: 'nope', ...urls })).statusCode).toBe(404);
    const res = await post({ customerId: 'buyer_1', plan: 'free', ...urls });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toContain('no Stripe price');
  });

  it('validates the body: exactly one of pack or plan, http(s) URLs, no unknown fields', async () => {
    expect((await post({ customerId: 'buyer_1', pack: 'starter', plan: 'pro', ...urls })).statusCode).toBe(400);
    expect((await post({ customerId: 'buyer_1', ...urls })).statusCode).toBe(400);
    expect(
      (
        await post({
          customerId: 'buyer_1',
          pack: 'starter',
          successUrl: 'javascript:alert(1)',
          cancelUrl: urls.cancelUrl,
        })
      ).statusCode,
    ).toBe(400);
    expect((await post({ customerId: 'buyer_1', pack: 'starter', ...urls, price: 1 })).statusCode).toBe(400);
  });

  it('requires an API key', async () => {
    expect((await post({ customerId: 'buyer_1', pack: 'starter', ...urls }, null)).statusCode).toBe(401);
  });
});
