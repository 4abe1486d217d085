// The support cases of PRODUCT.md end to end on the server: real Stripe objects and events from
// the Stripe emulator (through the official SDK), delivered signed into the app's webhook route
// (or deliberately not), then the verdict, the one-click repair through the same procedures the
// page calls, and the corrected balance, timeline and audit log.
import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processDueEvents } from '../stripe-events/process-due-events.ts';
import { pipelineContext } from '../../stripe/pipeline.ts';
import { createWebhookHarness, WEBHOOK_SECRET, type WebhookHarness } from '../../../test/stripe/harness.ts';
import { startTestEmulator, type TestEmulator } from '../../../emulator/testing.ts';
import { createContextInner } from '../../trpc/context.ts';
import { createCallerFactory } from '../../trpc/init.ts';
import { appRouter } from '../../trpc/router.ts';
import { ensureCustomer } from '../customers/ensure-customer.ts';
import { recordUsage } from '../ledger/record-usage.ts';

let emu: TestEmulator;
let h: WebhookHarness;
const delivered = new Set<string>();

beforeAll(async () => {
  emu = await startTestEmulator();
  h = await createWebhookHarness({
    stripe: { client: emu.stripe, mode: 'emulator', webhookSecrets: [WEBHOOK_SECRET] },
  });
});
afterAll(async () => {
  await h?.close();
  await emu?.stop();
});

const caller = (role: 'support' | 'admin') =>
  createCallerFactory(appRouter)(
    createContextInner(
      h.t.deps,
      { id: `staff-${role}`, email: `${role}@creditdesk.test`, name: role, role },
      '10.0.0.9',
    ),
  );
const support = () => caller('support');

/** Delivers every event Stripe has that was not delivered yet, oldest first, except `skip`. */
async function deliverAll(skip: (e: Stripe.Event) => boolean = () => false): Promise<Stripe.Event[]> {
  const events: Stripe.Event[] = [];
  for await (const e of emu.stripe.events.list({ limit: 100 })) if (!delivered.has(e.id)) events.push(e);
  events.sort((a, b) => a.created - b.created);
  const skipped: Stripe.Event[] = [];
  for (const e of events) {
    delivered.add(e.id);
    if (skip(e)) {
      skipped.push(e);
      continue;
    }
    expect((await h.deliver(e)).statusCode).toBe(200);
  }
  return skipped;
}

async function checkout(input: {
  customer?: string;
  email?: string;
  metadata?: Record<string, string>;
  price?: string;
  amount?: number;
}): Promise<Stripe.Checkout.Session> {
  return emu.stripe.checkout.sessions.create({
    mode: 'payment',
    success_url: 'https://example.test/ok',
    ...(input.customer ? { customer: input.customer } : { customer_email: input.email }),
    line_items: [
      input.price
        ? { price: input.price, quantity: 1 }
        : {
            price_data: { currency: 'eur', unit_amount: input.amount ?? 600, product_data: { name: 'Starter pack' } },
            quantity: 1,
          },
    ],
    metadata: input.metadata ?? {},
  });
}

/** A customer who bought a starter pack (500 credits) the normal way. */
async function buyer(name: string) {
  const email = `${name}@example.test`;
  const cus = await emu.stripe.customers.create({ email, name });
  const session = await checkout({ customer: cus.id, metadata: { user_id: name, kind: 'pack', key: 'starter' } });
  await emu.driver.payCheckoutSession(session.id, 'card_success', { email });
  await deliverAll();
  const customer = await h.prisma.customer.findUniqueOrThrow({ where: { externalId: name } });
  expect(customer.balance).toBe(500);
  return { customer, cus, email };
}

const balance = async (id: string) => (await h.prisma.customer.findUniqueOrThrow({ where: { id } })).balance;

describe('support cases', () => {
  it('paid, but the event never reached us: the verdict finds it in Stripe and fetching applies it', async () => {
    const { customer, cus, email } = await buyer('never_delivered');
    const lost = await checkout({
      customer: cus.id,
      metadata: { user_id: 'never_delivered', kind: 'pack', key: 'starter' },
    });
    await emu.driver.payCheckoutSession(lost.id, 'card_success', { email });
    await deliverAll((e) => (e.data.object as { id?: string }).id === lost.id);

    const verdict = await support().support.verdict({ customerId: customer.id });
    expect(verdict.status).toBe('action');
    const finding = verdict.findings.find((f) => f.rule === 'missing-event')!;
    expect(finding.evidence.map((e) => e.id)).toContain(lost.id);
    const repair = finding.repairs[0]!;
    expect(repair).toMatchObject({ kind: 'fetch_event', objectId: lost.id, eventId: expect.stringMatching(/^evt_/) });

    await support().webhooks.fetchEvent({
      eventId: (repair as { eventId: string }).eventId,
      reason: 'Customer paid, no credits',
    });
    expect(await balance(customer.id)).toBe(1000);
    const after = await support().support.verdict({ customerId: customer.id });
    expect(after.status).toBe('ok');
    expect(after.lastChain?.[0]?.id).toBe(lost.id);
    const timeline = await support().support.timeline({ customerId: customer.id, kinds: ['event', 'audit'] });
    const fetched = timeline.items.find((i) => i.kind === 'event' && i.stripeIds.includes(lost.id))!;
    expect(fetched.steps.map((s) => s.label)).toContain('Fetched from Stripe by staff');
    expect(timeline.items.some((i) => i.kind === 'audit' && i.title === 'stripe_event.fetch')).toBe(true);
  });

  it('delivered but failed on an unknown price: map it, then reprocess', async () => {
    const { customer, cus, email } = await buyer('unknown_price');
    const product = await emu.stripe.products.create({ name: 'Mystery pack' });
    const price = await emu.stripe.prices.create({ product: product.id, currency: 'eur', unit_amount: 900 });
    const session = await checkout({ customer: cus.id, price: price.id, metadata: { user_id: 'unknown_price' } });
    await emu.driver.payCheckoutSession(session.id, 'card_success', { email });
    await deliverAll();
    // The webhook answer makes no Stripe call: listing the session's line items is the retry job's.
    await processDueEvents(pipelineContext(h.t.deps), { now: new Date(Date.now() + 3600_000) });

    const before = await support().support.verdict({ customerId: customer.id });
    const failed = before.findings.find((f) => f.rule === 'failed-event')!;
    // What was bought and paid, named from Stripe's product; no reprocess while it could only fail.
    expect(failed.title).toBe('Paid {{money 900 eur}} for “Mystery pack”, which the catalog does not sell yet');
    expect(failed.explanation).toContain(price.id);
    expect(failed.repairs).toEqual([expect.objectContaining({ kind: 'map_price', suggestedKind: 'pack' })]);

    // The admin maps the price in the catalog (what the map_price repair asks for).
    await h.prisma.catalogPrice.create({ data: { stripePriceId: price.id, packKey: 'big' } });
    const mapped = await support().support.verdict({ customerId: customer.id });
    const reprocess = mapped.findings.find((f) => f.rule === 'failed-event')!.repairs;
    expect(reprocess.map((r) => r.kind)).toEqual(['reprocess_event']);
    const result = await support().webhooks.reprocess({
      eventId: (reprocess[0] as { eventId: string }).eventId,
      reason: 'Price mapped',
    });
    expect(result.status).toBe('processed');
    expect(await balance(customer.id)).toBe(2500);
    expect((await support().support.verdict({ customerId: customer.id })).status).toBe('ok');
  });

  it('a payment without a user id: matched by email, linked and applied', async () => {
    const customer = await ensureCustomer(h.prisma, { externalId: 'no_user_id', email: 'no_user_id@example.test' });
    const session = await checkout({ email: 'no_user_id@example.test', metadata: { kind: 'pack', key: 'starter' } });
    await emu.driver.payCheckoutSession(session.id, 'card_success', { email: 'No_User_Id@example.test' });
    await deliverAll();

    const verdict = await support().support.verdict({ customerId: customer.id });
    const finding = verdict.findings.find((f) => f.rule === 'unlinked-payment')!;
    expect(finding.severity).toBe('critical');
    const repair = finding.repairs[0] as { kind: string; eventId: string };
    expect(repair.kind).toBe('link_and_reprocess');
    const timeline = await support().support.timeline({ customerId: customer.id, kinds: ['event'] });
    expect(timeline.items.find((i) => i.id === repair.eventId)?.summary).toContain('Not linked');

    await support().webhooks.linkCustomer({
      eventId: repair.eventId,
      customerId: customer.id,
      reason: 'Same email as the account',
    });
    expect(await balance(customer.id)).toBe(500);
    expect((await support().support.verdict({ customerId: customer.id })).status).toBe('ok');
  });

  it('a delayed payment still pending: nothing to do yet, and the credits arrive when it settles', async () => {
    const { customer, cus, email } = await buyer('delayed');
    const session = await checkout({
      customer: cus.id,
      metadata: { user_id: 'delayed', kind: 'pack', key: 'starter' },
    });
    const paid = await emu.driver.payCheckoutSession(session.id, 'delayed_success', {
      email,
      settleAfterSeconds: null,
    });
    await deliverAll();

    const verdict = await support().support.verdict({ customerId: customer.id });
    expect(verdict.status).toBe('waiting');
    const pending = verdict.findings.find((f) => f.rule === 'pending-payment')!;
    expect(pending.title).toContain('nothing to do yet');
    expect(pending.repairs).toEqual([]);
    expect(await balance(customer.id)).toBe(500);

    await emu.driver.settlePayment(paid.payment_intent!.id, 'succeeded');
    await deliverAll();
    expect(await balance(customer.id)).toBe(1000);
    expect((await support().support.verdict({ customerId: customer.id })).status).toBe('ok');
  });

  it('balance lower than expected: usage, a refund from the Stripe dashboard, explained', async () => {
    await h.prisma.feature.upsert({
      where: { key: 'chat' },
      create: { key: 'chat', name: 'Chat', creditCost: 10 },
      update: {},
    });
    const { customer } = await buyer('lower_balance');
    const payment = await h.prisma.payment.findFirstOrThrow({ where: { customerId: customer.id } });
    for (let i = 0; i < 3; i++) {
      await recordUsage(h.prisma, {
        externalId: 'lower_balance',
        feature: 'chat',
        credits: 10,
        idempotencyKey: randomUUID(),
        actor: { type: 'service', id: 'test' },
      });
    }
    const charge =
      payment.chargeId ?? (await emu.stripe.paymentIntents.retrieve(payment.paymentIntentId!)).latest_charge;
    await emu.driver.refundFromDashboard(String(charge), 300);
    await deliverAll();

    const verdict = await support().support.verdict({ customerId: customer.id });
    const explained = verdict.findings.find((f) => f.rule === 'balance-breakdown')!;
    expect(explained.severity).toBe('info');
    expect(explained.breakdown).toMatchObject({ granted: 500, consumed: 30 });
    expect(explained.breakdown!.clawedBack).toBeGreaterThan(0);
    expect(explained.breakdown!.balance).toBe(await balance(customer.id));
    // It names the refund that took the credits, with its amount and where it was made.
    const refund = await h.prisma.refund.findFirstOrThrow({ where: { customerId: customer.id } });
    expect(explained.explanation).toContain(
      `clawed back after refund ${refund.stripeRefundId} ({{money 300 ${refund.currency}}} from the Stripe Dashboard, {{credits ${refund.creditsClawedBack}}} credits`,
    );
  });
});
