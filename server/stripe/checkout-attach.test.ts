// Who a Checkout Session's payment belongs to (issue 14.6) and where the buyer was (issue 16.3):
// a Payment Link's client_reference_id is a claim anyone can make, so it attaches the payment only
// when the session's email or Stripe customer already belongs to that customer; otherwise the
// payment waits unlinked for support. Our own sessions carry the buyer's IP and user agent in
// their metadata, and the payment keeps them for dispute evidence. Signed events, real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkoutSession, event, uid } from '../../test/stripe/builders.ts';
import { createWebhookHarness, PRICES, type WebhookHarness } from '../../test/stripe/harness.ts';

let h: WebhookHarness;
beforeAll(async () => {
  h = await createWebhookHarness();
  await h.prisma.customer.create({ data: { externalId: 'victim_1', email: 'victim@example.com' } });
});
afterAll(async () => {
  await h?.close();
});

/** A Payment Link session: no metadata of ours, the pack known from its line items. */
function paymentLinkSession(clientReferenceId: string, email: string) {
  const base = checkoutSession({ metadata: null, email, lineItems: [{ price: PRICES.starter, quantity: 1 }] });
  return { ...base, id: base.id as string, client_reference_id: clientReferenceId };
}

async function deliver(session: Record<string, unknown>) {
  const e = event('checkout.session.completed', session);
  expect((await h.deliver(e)).statusCode).toBe(200);
  return h.prisma.stripeEvent.findUniqueOrThrow({ where: { id: e.id as string } });
}

describe('guest checkouts and client_reference_id', () => {
  it("a stranger naming another user's id gets no payment on that user's account: it waits unlinked", async () => {
    const s = paymentLinkSession('victim_1', 'stranger@example.net');
    const stored = await deliver(s);
    expect(stored.status).toBe('failed');
    expect(stored.cause).toBe('customer_unknown');
    const victim = await h.prisma.customer.findUniqueOrThrow({ where: { externalId: 'victim_1' } });
    expect(await h.prisma.payment.count({ where: { customerId: victim.id } })).toBe(0);
    expect(await h.prisma.payment.count({ where: { checkoutSessionId: s.id } })).toBe(0);
    expect(victim.balance).toBe(0);
  });

  it('an unknown client_reference_id does not create a customer under that id', async () => {
    const stored = await deliver(paymentLinkSession(`user_${uid('x')}`, 'someone@example.net'));
    expect(stored.status).toBe('failed');
    expect(await h.prisma.customer.count({ where: { email: 'someone@example.net' } })).toBe(0);
  });

  it('the id counts when the session email already belongs to that customer', async () => {
    const s = paymentLinkSession('victim_1', 'Victim@Example.com');
    expect((await deliver(s)).status).toBe('processed');
    const victim = await h.prisma.customer.findUniqueOrThrow({ where: { externalId: 'victim_1' } });
    expect(await h.prisma.payment.findUniqueOrThrow({ where: { checkoutSessionId: s.id } })).toMatchObject({
      customerId: victim.id,
    });
    expect(victim.balance).toBeGreaterThan(0);
  });
});

describe('purchase IP and device from our checkout session', () => {
  it('keeps client_ip and user_agent from our metadata on the payment', async () => {
    const s = checkoutSession({
      metadata: {
        user_id: 'buyer_ip',
        kind: 'pack',
        key: 'starter',
        credits: '500',
        client_ip: '203.0.113.7',
        user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0',
      },
    });
    expect((await deliver(s)).status).toBe('processed');
    expect(await h.prisma.payment.findUniqueOrThrow({ where: { checkoutSessionId: s.id as string } })).toMatchObject({
      purchaseIp: '203.0.113.7',
      purchaseUserAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0',
    });
  });
});
