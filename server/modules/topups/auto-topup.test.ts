// Auto top-up on real PostgreSQL with the Stripe emulator through the official SDK: the checkout
// endpoint saves the card and turns it on; a threshold crossing under 50 concurrent consumes
// queues exactly one top-up; the off-session charge's webhook grants the pack once; the monthly
// cap and a declined card (or one needing authentication) pause further tries, with a verdict line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulatorHarness, eventsAbout, type EmulatorHarness } from '../../../test/stripe/emulator-harness.ts';
import { SYSTEM_ACTOR, type Actor } from '../../lib/actor.ts';
import { consumeCredits } from '../ledger/consume-credits.ts';
import { grantCredits } from '../ledger/grant-credits.ts';
import { verifyLedger } from '../ledger/verify-ledger.ts';
import { getVerdict } from '../support/verdict/get-verdict.ts';
import { setAutoTopup } from './auto-topup-settings.ts';
import { chargePendingTopups } from './charge-pending-topups.ts';

const KEY = 'topup-test-service-key-0123456789';
const support: Actor = { type: 'staff', id: 'sup-1', email: 's@x.test', role: 'support', ip: null };
let h: EmulatorHarness;

beforeAll(async () => {
  h = await createEmulatorHarness({ env: { SERVICE_API_KEY: KEY } });
  // The plan's defaults: buy the starter pack (500 credits, 9.00 EUR) below 200 credits.
  await h.prisma.plan.update({
    where: { key: 'free' },
    data: { autoTopupThreshold: 200, autoTopupPackKey: 'starter' },
  });
});
afterAll(async () => {
  await h?.close();
});

/** A customer who bought the starter pack with "auto top-up" on, paying with a card ending `last4`. */
async function signUp(externalId: string, last4 = '4242') {
  const customer = await h.prisma.customer.create({ data: { externalId, email: `${externalId}@x.test` } });
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/checkout-sessions',
    headers: { authorization: `Bearer ${KEY}` },
    payload: {
      customerId: externalId,
      pack: 'starter',
      autoTopup: true,
      successUrl: 'https://app.example/ok',
      cancelUrl: 'https://app.example/no',
    },
  });
  expect(res.statusCode).toBe(200);
  const session = res.json() as { id: string };
  await h.driver.payCheckoutSession(session.id, 'card_success', {
    email: `${externalId}@x.test`,
    name: externalId,
    card: { last4 },
  });
  const [completed] = await eventsAbout(h.stripe, session.id, 'checkout.session.completed');
  expect((await h.deliver(completed!)).statusCode).toBe(200);
  return customer;
}

const consume = (customerId: string, credits: number, key: string) =>
  consumeCredits(h.prisma, { customerId, credits, idempotencyKey: key, reason: 'use', actor: SYSTEM_ACTOR });

async function deliverSucceeded(paymentIntentId: string) {
  const [succeeded] = await eventsAbout(h.stripe, paymentIntentId, 'payment_intent.succeeded');
  expect(succeeded).toBeTruthy();
  expect((await h.deliver(succeeded!)).statusCode).toBe(200);
}

describe('auto top-up', () => {
  it('the checkout endpoint saves the card (setup_future_usage) and turns auto top-up on once paid', async () => {
    const c = await signUp('tu-setup');
    const me = await h.prisma.customer.findUniqueOrThrow({ where: { id: c.id } });
    expect(me.balance).toBe(500);
    expect(await h.prisma.autoTopupSetting.findUniqueOrThrow({ where: { customerId: c.id } })).toMatchObject({
      enabled: true,
      pausedAt: null,
    });
    const stripeCustomer = (await h.stripe.customers.retrieve(me.stripeCustomerId!)) as {
      invoice_settings: { default_payment_method: string | null };
    };
    expect(stripeCustomer.invoice_settings.default_payment_method).toMatch(/^pm_/);
  });

  it('50 concurrent consumes crossing the threshold queue one top-up; its webhook grants the pack once', async () => {
    const c = await signUp('tu-race');
    // 500 credits; 50 consumes of 10 take it to 0 and cross 200 exactly once.
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => consume(c.id, 10, `race-${i}`)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(50);
    const queued = await h.prisma.autoTopup.findMany({ where: { customerId: c.id } });
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ status: 'pending', packKey: 'starter', threshold: 200 });
    expect(queued[0]!.balanceBefore).toBeGreaterThanOrEqual(200);
    expect(queued[0]!.balanceAfter).toBeLessThan(200);

    // The job: one off-session PaymentIntent, idempotent; a second run finds nothing to do.
    expect(await chargePendingTopups(h.prisma, h.stripe)).toEqual({ charged: 1, failed: 0 });
    expect(await chargePendingTopups(h.prisma, h.stripe)).toEqual({ charged: 0, failed: 0 });
    const charged = await h.prisma.autoTopup.findUniqueOrThrow({ where: { id: queued[0]!.id } });
    expect(charged).toMatchObject({ status: 'processing', amount: 900, currency: 'eur', credits: 500 });
    const pi = await h.stripe.paymentIntents.retrieve(charged.paymentIntentId!);
    expect(pi).toMatchObject({ status: 'succeeded', amount: 900, metadata: { creditdesk_auto_topup: charged.id } });

    // Credits arrive through the webhook like any purchase; a redelivery adds nothing.
    await deliverSucceeded(pi.id);
    await deliverSucceeded(pi.id);
    expect((await h.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).balance).toBe(500);
    expect(await h.prisma.autoTopup.findUniqueOrThrow({ where: { id: charged.id } })).toMatchObject({
      status: 'succeeded',
    });
    expect(await h.prisma.payment.findUniqueOrThrow({ where: { paymentIntentId: pi.id } })).toMatchObject({
      status: 'paid',
      amount: 900,
      creditsGranted: 500,
    });
    expect(await h.prisma.outboundEvent.count({ where: { customerId: c.id, type: 'topup.succeeded' } })).toBe(1);
    expect(await verifyLedger(h.prisma, c.id)).toEqual([]);
  });

  it('the monthly cap holds: the next top-up is refused and top-ups pause until support saves the settings', async () => {
    const c = await signUp('tu-cap');
    await setAutoTopup(h.prisma, {
      customerId: c.id,
      enabled: true,
      monthlyCap: 1000,
      actor: support,
      reason: 'cap at 10 EUR',
    });
    await consume(c.id, 400, 'cap-1'); // 100: crossed
    await chargePendingTopups(h.prisma, h.stripe);
    const first = await h.prisma.autoTopup.findFirstOrThrow({ where: { customerId: c.id } });
    await deliverSucceeded(first.paymentIntentId!); // 600; 9.00 spent this month
    await consume(c.id, 500, 'cap-2'); // 100: crossed again
    expect(await chargePendingTopups(h.prisma, h.stripe)).toEqual({ charged: 0, failed: 1 });
    const capped = await h.prisma.autoTopup.findFirstOrThrow({ where: { customerId: c.id, status: 'capped' } });
    expect(capped).toMatchObject({ failureCode: 'monthly_cap', paymentIntentId: null });
    expect(await h.prisma.autoTopupSetting.findUniqueOrThrow({ where: { customerId: c.id } })).toMatchObject({
      pausedReason: 'monthly_cap',
    });
    // Paused: a further crossing queues nothing.
    await grantCredits(h.prisma, {
      customerId: c.id,
      credits: 500,
      type: 'grant',
      source: 'promo',
      costBasis: 'free',
      idempotencyKey: 'cap-refill',
      reason: 'goodwill',
      actor: SYSTEM_ACTOR,
    });
    await consume(c.id, 500, 'cap-3'); // 600 -> 100: crossed while paused
    expect(await h.prisma.autoTopup.count({ where: { customerId: c.id } })).toBe(2);
    const charges = await h.stripe.paymentIntents.list({
      customer: (await h.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).stripeCustomerId!,
    });
    expect(charges.data.filter((p) => p.metadata?.creditdesk_auto_topup)).toHaveLength(1);
    expect(await h.prisma.outboundEvent.count({ where: { customerId: c.id, type: 'topup.failed' } })).toBe(1);
  });

  it.each([
    [
      '0341',
      'card_declined',
      'card declined on the automatic top-up of 500 credits; top-ups paused until the card is updated',
    ],
    [
      '3184',
      'authentication_required',
      'the bank asked the customer to authenticate the automatic top-up of 500 credits',
    ],
  ])(
    'a saved card ending %s that fails off-session pauses top-ups (%s), with the verdict saying so',
    async (last4, code, words) => {
      const c = await signUp(`tu-fail-${last4}`, last4);
      await consume(c.id, 350, `fail-${last4}`);
      expect(await chargePendingTopups(h.prisma, h.stripe)).toEqual({ charged: 0, failed: 1 });
      const failed = await h.prisma.autoTopup.findFirstOrThrow({ where: { customerId: c.id } });
      expect(failed).toMatchObject({ status: 'failed', failureCode: code });
      expect(failed.paymentIntentId).toMatch(/^pi_/);
      const event = await h.prisma.outboundEvent.findFirstOrThrow({
        where: { customerId: c.id, type: 'topup.failed' },
      });
      expect(event.payload).toMatchObject({ reason: code, credits: 500, paused: true });
      // Stripe also sends payment_intent.payment_failed for the decline: delivered (twice) it adds nothing.
      const webhooks = await eventsAbout(h.stripe, failed.paymentIntentId!, 'payment_intent.payment_failed');
      expect(webhooks.length).toBeGreaterThan(0);
      for (const e of [...webhooks, ...webhooks]) expect((await h.deliver(e)).statusCode).toBe(200);
      expect(await h.prisma.outboundEvent.count({ where: { customerId: c.id, type: 'topup.failed' } })).toBe(1);
      const verdict = await getVerdict(h.prisma, { customerId: c.id, stripe: null });
      const finding = verdict.findings.find((f) => f.rule === 'failed-topup');
      expect(finding?.explanation.toLowerCase()).toContain(words.toLowerCase());
      // Support saves the settings (card updated): top-ups resume.
      await setAutoTopup(h.prisma, {
        customerId: c.id,
        enabled: true,
        actor: support,
        reason: 'customer updated the card',
      });
      expect((await h.prisma.autoTopupSetting.findUniqueOrThrow({ where: { customerId: c.id } })).pausedAt).toBeNull();
    },
  );

  it.each([
    ['payment_intent.payment_failed', 'card_declined', 'card declined on the automatic top-up of 500 credits'],
    ['payment_intent.requires_action', 'authentication_required', 'the bank asked the customer to authenticate'],
  ] as const)(
    'a charge that fails after the fact (%s), redelivered and replayed, fails the top-up once',
    async (type, code, words) => {
      const c = await signUp(`tu-late-${code}`);
      await consume(c.id, 350, `late-${code}`);
      expect(await chargePendingTopups(h.prisma, h.stripe)).toEqual({ charged: 1, failed: 0 });
      const topup = await h.prisma.autoTopup.findFirstOrThrow({ where: { customerId: c.id } });
      const pi = await h.stripe.paymentIntents.retrieve(topup.paymentIntentId!);
      const [template] = await eventsAbout(h.stripe, pi.id, 'payment_intent.succeeded');
      // The bank's verdict arrives later, as Stripe would send it: same PaymentIntent, now failed.
      const failedPi =
        type === 'payment_intent.payment_failed'
          ? {
              ...pi,
              status: 'requires_payment_method',
              last_payment_error: { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' },
            }
          : { ...pi, status: 'requires_action', last_payment_error: null };
      const event = (id: string) => ({ ...template!, id, type, data: { object: failedPi } });
      for (const e of [event(`evt_late_${code}_1`), event(`evt_late_${code}_1`), event(`evt_late_${code}_2`)]) {
        expect((await h.deliver(e)).statusCode).toBe(200);
      }
      expect(await h.prisma.autoTopup.findUniqueOrThrow({ where: { id: topup.id } })).toMatchObject({
        status: 'failed',
        failureCode: code,
        paymentIntentId: pi.id,
      });
      expect((await h.prisma.autoTopupSetting.findUniqueOrThrow({ where: { customerId: c.id } })).pausedReason).toBe(
        code,
      );
      expect(await h.prisma.outboundEvent.count({ where: { customerId: c.id, type: 'topup.failed' } })).toBe(1);
      const verdict = await getVerdict(h.prisma, { customerId: c.id, stripe: null });
      expect(verdict.findings.find((f) => f.rule === 'failed-topup')?.explanation.toLowerCase()).toContain(words);

      // Support resumes; a late redelivery of the old failure must not pause again or tell twice.
      await setAutoTopup(h.prisma, { customerId: c.id, enabled: true, actor: support, reason: 'card updated' });
      expect((await h.deliver(event(`evt_late_${code}_3`))).statusCode).toBe(200);
      expect((await h.prisma.autoTopupSetting.findUniqueOrThrow({ where: { customerId: c.id } })).pausedAt).toBeNull();
      expect(await h.prisma.outboundEvent.count({ where: { customerId: c.id, type: 'topup.failed' } })).toBe(1);
    },
  );

  it('refuses to turn it on without a pack to buy, and changes nothing', async () => {
    await h.prisma.plan.update({ where: { key: 'free' }, data: { autoTopupPackKey: null } });
    const c = await h.prisma.customer.create({ data: { externalId: 'tu-nopack', email: 'nopack@x.test' } });
    await expect(
      setAutoTopup(h.prisma, {
        customerId: c.id,
        enabled: true,
        thresholdCredits: 100,
        actor: support,
        reason: 'try it',
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('Set a threshold and a pack') });
    expect(await h.prisma.autoTopupSetting.findUnique({ where: { customerId: c.id } })).toBeNull();
    await h.prisma.plan.update({ where: { key: 'free' }, data: { autoTopupPackKey: 'starter' } });
  });
});
