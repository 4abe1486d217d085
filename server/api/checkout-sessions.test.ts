// POST /api/v1/checkout-sessions: service API auth, validation, blocked customers, and what is
// sent to Stripe (metadata on the session and on the payment intent / subscription, one Stripe
// customer per customer, created on first use).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeStripe, type FakeStripe } from '../../test/stripe/fake-stripe.ts';
import { createWebhookHarness, PRICES, WEBHOOK_SECRET, type WebhookHarness } from '../../test/stripe/harness.ts';

const KEY = 'checkout-test-service-key-0123456789';
let fake: FakeStripe;
let h: WebhookHarness;

beforeAll(async () => {
  fake = await startFakeStripe();
  h = await createWebhookHarness({ stripe: fake.connection([WEBHOOK_SECRET]), env: { SERVICE_API_KEY: KEY } });
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
  await fake?.close();
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

    const created = fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/customers');
    expect(created).toHaveLength(1);
    expect(created[0]?.form.get('email')).toBe('buyer1@example.com');
    expect(created[0]?.form.get('metadata[user_id]')).toBe('buyer_1');
    const customer = await h.prisma.customer.findUniqueOrThrow({ where: { externalId: 'buyer_1' } });
    expect(customer.stripeCustomerId).toMatch(/^cus_/);
    expect(created[0]?.idempotencyKey).toBe(`creditdesk-customer:${customer.id}`);

    const session = fake.requests.filter((r) => r.path === '/v1/checkout/sessions').at(-1)!.form;
    expect(Object.fromEntries(session)).toMatchObject({
      mode: 'payment',
      customer: customer.stripeCustomerId,
      client_reference_id: 'buyer_1',
      'line_items[0][price]': PRICES.starter,
      'line_items[0][quantity]': '1',
      success_url: urls.successUrl,
      cancel_url: urls.cancelUrl,
      'metadata[user_id]': 'buyer_1',
      'metadata[kind]': 'pack',
      'metadata[key]': 'starter',
      'metadata[credits]': '500',
      'payment_intent_data[metadata][user_id]': 'buyer_1',
      'payment_intent_data[metadata][kind]': 'pack',
      'payment_intent_data[metadata][credits]': '500',
    });
  });

  it('creates a subscription-mode session for a plan, reusing the linked Stripe customer', async () => {
    const res = await post({ customerId: 'buyer_1', plan: 'pro', ...urls });
    expect(res.statusCode).toBe(200);
    expect(res.json().mode).toBe('subscription');
    expect(fake.requests.filter((r) => r.path === '/v1/customers')).toHaveLength(1);
    const session = fake.requests.filter((r) => r.path === '/v1/checkout/sessions').at(-1)!.form;
    expect(session.get('mode')).toBe('subscription');
    expect(session.get('line_items[0][price]')).toBe(PRICES.pro);
    expect(session.get('subscription_data[metadata][user_id]')).toBe('buyer_1');
    expect(session.get('subscription_data[metadata][kind]')).toBe('plan');
    expect(session.get('subscription_data[metadata][credits]')).toBe('1000');
    expect(session.has('payment_intent_data[metadata][user_id]')).toBe(false);
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
