// Every handled Stripe event type, from payloads shaped like the Stripe fixtures, signed with the
// SDK and injected into the app; each is delivered twice and must apply exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
} from '../../test/stripe/builders.ts';
import { createWebhookHarness, PRICES, type WebhookHarness } from '../../test/stripe/harness.ts';
import { expireGracePeriods } from '../modules/billing/expire-grace-periods.ts';
import { processDueEvents } from '../modules/stripe-events/process-due-events.ts';
import { createContextInner } from '../trpc/context.ts';
import { createCallerFactory } from '../trpc/init.ts';
import { appRouter } from '../trpc/router.ts';
import { pipelineContext } from './pipeline.ts';

let h: WebhookHarness;
beforeAll(async () => {
  h = await createWebhookHarness();
});
afterAll(async () => {
  await h?.close();
});

const DAY = 86_400;
const now = () => unix(Date.now());

/** Delivers the event twice: the first arrival stores it, the second is recorded as a duplicate. */
async function twice(e: Record<string, unknown>) {
  const first = await h.deliver(e);
  const second = await h.deliver(e);
  expect(first.statusCode).toBe(200);
  expect(second.statusCode).toBe(200);
  expect(first.json()).toMatchObject({ duplicate: false });
  expect(second.json()).toMatchObject({ duplicate: true });
  const deliveries = await h.prisma.webhookDelivery.findMany({
    where: { eventId: e.id as string },
    orderBy: { id: 'asc' },
  });
  expect(deliveries.map((d) => d.duplicate)).toEqual([false, true]);
  return h.prisma.stripeEvent.findUniqueOrThrow({ where: { id: e.id as string } });
}

async function customer(externalId: string) {
  const row = await h.prisma.customer.findUniqueOrThrow({ where: { externalId } });
  // No plan key means the catalog's default plan (free in the test catalog).
  return { ...row, planKey: row.planKey ?? 'free' };
}

async function entries(customerId: string) {
  return h.prisma.ledgerEntry.findMany({ where: { customerId }, orderBy: { id: 'asc' } });
}

const caller = (role: 'support' | 'finance' | 'admin') =>
  createCallerFactory(appRouter)(
    createContextInner(h.t.deps, { id: `staff-${role}`, email: `${role}@creditdesk.test`, name: role, role }),
  );

describe('credit packs: checkout, charge, early fraud warning, refunds', () => {
  const user = 'user_pack';
  const pi = uid('pi');
  const ch = uid('ch');
  const session = checkoutSession({
    userId: user,
    email: 'pack@example.com',
    kind: 'pack',
    key: 'starter',
    amount: 1000,
    paymentIntent: pi,
  });
  const refundId = uid('re');

  it('checkout.session.completed (paid) grants the pack once', async () => {
    const stored = await twice(event('checkout.session.completed', session));
    expect(stored.status).toBe('processed');
    const c = await customer(user);
    expect(c.email).toBe('pack@example.com');
    expect(c.balance).toBe(500);
    const e = await entries(c.id);
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({
      type: 'purchase',
      credits: 500,
      idempotencyKey: `grant:${session.id}`,
      actorType: 'stripe',
    });
    const payment = await h.prisma.payment.findUniqueOrThrow({ where: { checkoutSessionId: session.id as string } });
    expect(payment).toMatchObject({
      status: 'paid',
      amount: 1000,
      currency: 'eur',
      paymentIntentId: pi,
      creditsGranted: 500,
    });
    const lot = await h.prisma.creditLot.findUniqueOrThrow({ where: { id: payment.lotId as string } });
    expect(lot).toMatchObject({ amountPaid: 1000, currency: 'eur', stripeReference: session.id, costBasis: 'paid' });
    const attempts = await h.prisma.eventProcessingAttempt.findMany({ where: { eventId: stored.id } });
    expect(attempts).toHaveLength(1);
    expect(attempts[0]?.summary).toContain('granted 500 credits');
  });

  it('checkout.session.async_payment_succeeded for the same session grants nothing more', async () => {
    const stored = await twice(event('checkout.session.async_payment_succeeded', session));
    expect(stored.status).toBe('processed');
    const c = await customer(user);
    expect(c.balance).toBe(500);
    expect(await entries(c.id)).toHaveLength(1);
  });

  it('charge.succeeded links the charge to the payment', async () => {
    await twice(event('charge.succeeded', charge({ id: ch, paymentIntent: pi, amount: 1000 })));
    const payment = await h.prisma.payment.findUniqueOrThrow({ where: { checkoutSessionId: session.id as string } });
    expect(payment.chargeId).toBe(ch);
  });

  it('radar.early_fraud_warning.created / updated record the warning and flag the customer', async () => {
    const warning = earlyFraudWarning({ charge: ch, paymentIntent: pi });
    await twice(event('radar.early_fraud_warning.created', warning));
    await twice(event('radar.early_fraud_warning.updated', { ...warning, actionable: false }));
    const row = await h.prisma.fraudWarning.findUniqueOrThrow({ where: { id: warning.id as string } });
    expect(row).toMatchObject({ chargeId: ch, fraudType: 'made_with_stolen_card', actionable: false });
    expect((await customer(user)).fraudWarningAt).not.toBeNull();
  });

  it('refund.created from the Stripe dashboard claws back the refunded share of unused credits, once', async () => {
    const r = refund({ id: refundId, charge: ch, paymentIntent: pi, amount: 500, status: 'pending' });
    await twice(event('refund.created', r));
    const c = await customer(user);
    expect(c.balance).toBe(250);
    const row = await h.prisma.refund.findUniqueOrThrow({ where: { stripeRefundId: refundId } });
    expect(row).toMatchObject({ origin: 'stripe_dashboard', status: 'pending', amount: 500, creditsClawedBack: 250 });
    const payment = await h.prisma.payment.findUniqueOrThrow({ where: { chargeId: ch } });
    expect(payment).toMatchObject({ status: 'partially_refunded', amountRefunded: 500 });
  });

  it('refund.updated (succeeded) and charge.refunded about the same refund claw back nothing more', async () => {
    const r = refund({ id: refundId, charge: ch, paymentIntent: pi, amount: 500, status: 'succeeded' });
    const updated = await twice(event('refund.updated', r));
    // A refund that went through is "refunded" in the event's words too, as on every page (issue 16).
    expect(
      (await h.prisma.eventProcessingAttempt.findFirstOrThrow({ where: { eventId: updated.id } })).summary,
    ).toContain(`mirrored refund ${refundId} is refunded`);
    await twice(event('charge.refund.updated', r));
    const stored = await twice(
      event('charge.refunded', charge({ id: ch, paymentIntent: pi, amount: 1000, amountRefunded: 500, refunds: [r] })),
    );
    expect(stored.status).toBe('processed');
    const c = await customer(user);
    expect(c.balance).toBe(250);
    expect((await entries(c.id)).filter((e) => e.type === 'refund_clawback')).toHaveLength(1);
    expect(
      await h.prisma.refund.count({
        where: { paymentId: (await h.prisma.payment.findUniqueOrThrow({ where: { chargeId: ch } })).id },
      }),
    ).toBe(1);
  });

  it('refund.failed restores the clawed-back credits once', async () => {
    const r = refund({
      id: refundId,
      charge: ch,
      paymentIntent: pi,
      amount: 500,
      status: 'failed',
      failureReason: 'expired_or_canceled_card',
    });
    await twice(event('refund.failed', r));
    // A late, older "succeeded" snapshot does not revive a failed refund.
    await twice(event('refund.updated', { ...r, status: 'succeeded' }));
    const c = await customer(user);
    expect(c.balance).toBe(500);
    const e = await entries(c.id);
    expect(e.map((x) => [x.type, x.credits])).toEqual([
      ['purchase', 500],
      ['refund_clawback', -250],
      ['refund_restore', 250],
    ]);
    const row = await h.prisma.refund.findUniqueOrThrow({ where: { stripeRefundId: refundId } });
    expect(row.status).toBe('failed');
    const payment = await h.prisma.payment.findUniqueOrThrow({ where: { chargeId: ch } });
    expect(payment).toMatchObject({ status: 'paid', amountRefunded: 0 });
  });

  it('a refund Creditdesk started is matched by its metadata and not clawed back twice', async () => {
    const c = await customer(user);
    const payment = await h.prisma.payment.findUniqueOrThrow({ where: { chargeId: ch } });
    const ours = await h.prisma.refund.create({
      data: {
        paymentId: payment.id,
        customerId: c.id,
        amount: 200,
        currency: 'eur',
        status: 'pending',
        origin: 'creditdesk',
        idempotencyKey: `refund:${uid('req')}`,
        creditsClawedBack: 100,
        requestedBy: 'staff-finance',
      },
    });
    const r = refund({
      charge: ch,
      paymentIntent: pi,
      amount: 200,
      status: 'succeeded',
      metadata: { creditdesk_refund_id: ours.id },
    });
    await twice(event('refund.created', r));
    const row = await h.prisma.refund.findUniqueOrThrow({ where: { id: ours.id } });
    expect(row).toMatchObject({ stripeRefundId: r.id, status: 'succeeded', origin: 'creditdesk' });
    expect(await h.prisma.refund.count({ where: { stripeRefundId: r.id as string } })).toBe(1);
    expect((await customer(user)).balance).toBe(500);
  });

  it('a refund Creditdesk started is also matched by the Idempotency-Key echoed in the event', async () => {
    const c = await customer(user);
    const payment = await h.prisma.payment.findUniqueOrThrow({ where: { chargeId: ch } });
    const key = `refund:${uid('req')}`;
    const ours = await h.prisma.refund.create({
      data: {
        paymentId: payment.id,
        customerId: c.id,
        amount: 100,
        currency: 'eur',
        status: 'pending',
        origin: 'creditdesk',
        idempotencyKey: key,
      },
    });
    const r = refund({ charge: ch, paymentIntent: pi, amount: 100, status: 'pending' });
    await twice(event('refund.created', r, { idempotencyKey: key }));
    expect(await h.prisma.refund.findUniqueOrThrow({ where: { id: ours.id } })).toMatchObject({ stripeRefundId: r.id });
    expect((await customer(user)).balance).toBe(500);
  });
});

describe('delayed payment methods and expiry', () => {
  it('completed unpaid -> pending; async_payment_succeeded grants once', async () => {
    const s = checkoutSession({
      userId: 'user_async',
      kind: 'pack',
      key: 'big',
      paymentStatus: 'unpaid',
      amount: 3000,
    });
    expect((await twice(event('checkout.session.completed', s))).status).toBe('processed');
    const c = await customer('user_async');
    expect(c.balance).toBe(0);
    expect(await h.prisma.payment.findUniqueOrThrow({ where: { checkoutSessionId: s.id as string } })).toMatchObject({
      status: 'pending',
    });
    const created = unix(Date.now());
    await twice(event('checkout.session.async_payment_succeeded', { ...s, payment_status: 'paid' }, { created }));
    const lot = await h.prisma.creditLot.findFirstOrThrow({ where: { customerId: c.id } });
    expect(lot.granted).toBe(2000);
    // The big pack expires 365 days after the purchase.
    expect(lot.expiresAt?.getTime()).toBe((created + 365 * DAY) * 1000);
    expect((await customer('user_async')).balance).toBe(2000);
  });

  it('async_payment_failed marks the payment failed without credits; expired is recorded', async () => {
    const s = checkoutSession({ userId: 'user_async_fail', kind: 'pack', key: 'starter', paymentStatus: 'unpaid' });
    await twice(event('checkout.session.completed', s));
    await twice(event('checkout.session.async_payment_failed', s));
    expect(await h.prisma.payment.findUniqueOrThrow({ where: { checkoutSessionId: s.id as string } })).toMatchObject({
      status: 'failed',
    });
    const expired = checkoutSession({ userId: 'user_async_fail', status: 'expired', paymentStatus: 'unpaid' });
    const stored = await twice(event('checkout.session.expired', expired));
    expect(stored.status).toBe('processed');
    expect((await customer('user_async_fail')).balance).toBe(0);
  });
});

describe('failures support can fix', () => {
  it('an unknown price fails the event with "unknown price ..."; mapping it and reprocessing grants', async () => {
    const s = checkoutSession({
      userId: 'user_price',
      metadata: { user_id: 'user_price' },
      lineItems: [{ price: 'price_not_in_catalog', quantity: 2 }],
    });
    const stored = await twice(event('checkout.session.completed', s));
    expect(stored.status).toBe('failed');
    expect(stored.lastError).toBe('unknown price price_not_in_catalog');
    expect(stored.cause).toBe('unknown_price');
    expect(stored.causeDetail).toMatchObject({ priceId: 'price_not_in_catalog', priceType: 'one_time' });
    await h.prisma.catalogPrice.create({ data: { stripePriceId: 'price_not_in_catalog', packKey: 'starter' } });
    const result = await caller('support').webhooks.reprocess({ eventId: stored.id, reason: 'mapped the price' });
    expect(result.status).toBe('processed');
    expect((await customer('user_price')).balance).toBe(1000);
    const audit = await h.prisma.auditLog.findFirstOrThrow({
      where: { action: 'stripe_event.reprocess', targetId: stored.id },
    });
    expect(audit).toMatchObject({ actorId: 'staff-support', reason: 'mapped the price' });
    // Reprocessing again replays: no second grant.
    await caller('admin').webhooks.reprocess({ eventId: stored.id, reason: 'double check' });
    expect((await customer('user_price')).balance).toBe(1000);
    await expect(caller('finance').webhooks.reprocess({ eventId: stored.id })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('the cause is data: rewording the stored words cannot break the price-mapping repair', async () => {
    const s = checkoutSession({
      userId: 'user_reworded',
      metadata: { user_id: 'user_reworded' },
      currency: 'eur',
      lineItems: [{ price: 'price_reworded_pack', quantity: 1, description: 'Mega pack', unitAmount: 4900 }],
    });
    const stored = await twice(event('checkout.session.completed', s));
    expect(stored).toMatchObject({ status: 'failed', cause: 'unknown_price' });
    // What the payload says about the price travels with the cause, for the admin who maps it.
    expect(stored.causeDetail).toEqual({
      priceId: 'price_reworded_pack',
      amount: 4900,
      currency: 'eur',
      productId: null,
      productName: 'Mega pack',
      priceType: 'one_time',
    });
    // A later release words it differently (or a person edits it): nothing reads the words.
    await h.prisma.stripeEvent.update({
      where: { id: stored.id },
      data: { lastError: 'Not sold by any plan or pack' },
    });
    const groups = await caller('support').webhooksAdmin.failureGroups();
    expect(groups).toContainEqual(
      expect.objectContaining({ unknownPrice: 'price_reworded_pack', eventIds: [stored.id], events: 1 }),
    );
    const unmapped = await caller('admin').catalogAdmin.unmappedPrices({});
    expect(unmapped.items.find((p) => p.priceId === 'price_reworded_pack')).toMatchObject({
      waitingEventIds: [stored.id],
    });
    await h.prisma.catalogPrice.create({ data: { stripePriceId: 'price_reworded_pack', packKey: 'starter' } });
    expect((await caller('admin').catalogAdmin.unmappedPrices({})).mappedWaiting).toContainEqual(
      expect.objectContaining({ priceId: 'price_reworded_pack', waitingEventIds: [stored.id] }),
    );
    const result = await caller('support').webhooks.reprocess({ eventId: stored.id, reason: 'mapped the price' });
    expect(result.status).toBe('processed');
    expect((await customer('user_reworded')).balance).toBe(500);
    const after = await h.prisma.stripeEvent.findUniqueOrThrow({ where: { id: stored.id } });
    expect(after).toMatchObject({ status: 'processed', cause: null, causeDetail: null, lastError: null });
  });

  it('no user id fails with "no customer"; linking a customer and reprocessing grants', async () => {
    const s = checkoutSession({ metadata: { kind: 'pack', key: 'starter' } });
    const stored = await twice(event('checkout.session.completed', s));
    expect(stored).toMatchObject({ status: 'failed', lastError: 'no customer' });
    const target = await h.prisma.customer.create({ data: { externalId: 'user_linked', email: 'linked@example.com' } });
    const result = await caller('support').webhooks.linkCustomer({
      eventId: stored.id,
      customerId: target.id,
      reason: 'ticket 42: guest checkout',
    });
    expect(result.status).toBe('processed');
    expect((await customer('user_linked')).balance).toBe(500);
    const listed = await caller('finance').webhooks.listEvents({ customerId: target.id });
    expect(listed.items.map((i) => i.id)).toContain(stored.id);
  });
});

describe('subscriptions and invoices', () => {
  const user = 'user_sub';
  const cus = uid('cus');
  const sub = uid('sub');
  const t0 = now() - 40 * DAY;
  const base = { id: sub, customer: cus, userId: user, priceId: PRICES.pro };

  it('customer.subscription.created records the subscription; the plan follows', async () => {
    await h.prisma.customer.create({ data: { externalId: user, email: 'sub@example.com' } });
    await twice(
      event('customer.subscription.created', subscription({ ...base, periodStart: t0, periodEnd: t0 + 30 * DAY }), {
        created: t0,
      }),
    );
    const row = await h.prisma.subscription.findUniqueOrThrow({ where: { id: sub } });
    expect(row).toMatchObject({ status: 'active', planKey: 'pro', stripePriceId: PRICES.pro });
    const c = await customer(user);
    expect(c).toMatchObject({ planKey: 'pro', stripeCustomerId: cus });
  });

  it('a Stripe customer already linked to another customer is not linked a second time', async () => {
    const other = 'user_sub_other';
    const otherSub = uid('sub');
    await h.prisma.customer.create({ data: { externalId: other, email: 'other@example.com' } });
    await twice(
      event(
        'customer.subscription.created',
        subscription({ ...base, id: otherSub, userId: other, periodStart: t0, periodEnd: t0 + 30 * DAY }),
        { created: t0 },
      ),
    );
    // Applied to the customer its metadata names, without taking over the Stripe customer.
    expect(await h.prisma.subscription.findUniqueOrThrow({ where: { id: otherSub } })).toMatchObject({
      customerId: (await customer(other)).id,
    });
    expect((await customer(other)).stripeCustomerId).toBeNull();
    expect((await customer(user)).stripeCustomerId).toBe(cus);
  });

  it('invoice.paid grants the period credits once per invoice, expiring at period end', async () => {
    const inv = invoice({
      customer: cus,
      subscription: sub,
      userId: user,
      priceId: PRICES.pro,
      billingReason: 'subscription_create',
      periodStart: t0,
      periodEnd: t0 + 30 * DAY,
      paymentIntent: uid('pi'),
    });
    await twice(event('invoice.paid', inv, { created: t0 + 5 }));
    await twice(event('invoice.payment_succeeded', inv, { created: t0 + 5 }));
    const c = await customer(user);
    const e = await entries(c.id);
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ type: 'subscription_grant', credits: 1000, idempotencyKey: `grant:${inv.id}` });
    const lot = await h.prisma.creditLot.findUniqueOrThrow({ where: { id: e[0]?.lotId as string } });
    expect(lot.expiresAt?.getTime()).toBe((t0 + 30 * DAY) * 1000);
  });

  it('a renewal grants again; a proration invoice grants nothing', async () => {
    const t1 = t0 + 30 * DAY;
    await twice(
      event(
        'invoice.paid',
        invoice({
          customer: cus,
          subscription: sub,
          userId: user,
          priceId: PRICES.pro,
          billingReason: 'subscription_cycle',
          periodStart: t1,
          periodEnd: t1 + 30 * DAY,
        }),
        { created: t1 },
      ),
    );
    await twice(
      event(
        'invoice.paid',
        invoice({
          customer: cus,
          subscription: sub,
          userId: user,
          priceId: PRICES.pro,
          billingReason: 'subscription_update',
          periodStart: t1,
          periodEnd: t1 + 30 * DAY,
        }),
        { created: t1 + 60 },
      ),
    );
    const c = await customer(user);
    expect((await entries(c.id)).map((x) => x.credits)).toEqual([1000, 1000]);
  });

  it('invoice.payment_failed opens a grace period that keeps the plan; the job downgrades when it ends unpaid', async () => {
    const tFail = now() - 2 * DAY;
    const inv = invoice({
      id: uid('in'),
      customer: cus,
      subscription: sub,
      userId: user,
      priceId: PRICES.pro,
      status: 'open',
      periodStart: tFail,
      periodEnd: tFail + 30 * DAY,
    });
    await twice(event('invoice.payment_failed', inv, { created: tFail }));
    let row = await h.prisma.subscription.findUniqueOrThrow({ where: { id: sub } });
    expect(row.graceUntil?.getTime()).toBe((tFail + 3 * DAY) * 1000);
    expect((await customer(user)).planKey).toBe('pro');
    expect(await expireGracePeriods(h.prisma, { now: new Date() })).toEqual([]);
    const downgraded = await expireGracePeriods(h.prisma, { now: new Date((tFail + 3 * DAY + 60) * 1000) });
    expect(downgraded).toEqual([{ subscriptionId: sub, customerId: (await customer(user)).id, planKey: 'free' }]);
    expect((await customer(user)).planKey).toBe('free');

    // The invoice is paid later: grace ends, the plan comes back, the period's credits are granted.
    const paid = {
      ...inv,
      status: 'paid',
      amount_paid: inv.amount_due,
      status_transitions: { ...(inv.status_transitions as object), paid_at: now() },
    };
    await twice(event('invoice.paid', paid, { created: now() }));
    row = await h.prisma.subscription.findUniqueOrThrow({ where: { id: sub } });
    expect(row.graceUntil).toBeNull();
    const c = await customer(user);
    expect(c.planKey).toBe('pro');
    expect((await entries(c.id)).map((x) => x.credits)).toEqual([1000, 1000, 1000]);
    // The failure arriving again (a Stripe retry of the old event) does not reopen the grace.
    await twice(event('invoice.payment_failed', inv, { created: tFail + 10 }));
    expect((await h.prisma.subscription.findUniqueOrThrow({ where: { id: sub } })).graceUntil).toBeNull();
  });

  it('customer.subscription.updated follows a plan change; an older update never overwrites it', async () => {
    const t = now();
    await twice(
      event(
        'customer.subscription.updated',
        subscription({
          ...base,
          priceId: PRICES.max,
          periodStart: t,
          periodEnd: t + 30 * DAY,
          cancelAtPeriodEnd: true,
        }),
        { created: t },
      ),
    );
    expect(await h.prisma.subscription.findUniqueOrThrow({ where: { id: sub } })).toMatchObject({
      planKey: 'max',
      cancelAtPeriodEnd: true,
    });
    expect((await customer(user)).planKey).toBe('max');
    const older = await twice(
      event(
        'customer.subscription.updated',
        subscription({ ...base, status: 'past_due', periodStart: t0, periodEnd: t0 + 30 * DAY }),
        { created: t - 100 },
      ),
    );
    expect(older.status).toBe('processed');
    expect(await h.prisma.subscription.findUniqueOrThrow({ where: { id: sub } })).toMatchObject({
      planKey: 'max',
      status: 'active',
    });
  });

  it('customer.subscription.paused / resumed change entitlement', async () => {
    const t = now() + 1;
    await twice(
      event(
        'customer.subscription.paused',
        subscription({ ...base, priceId: PRICES.max, status: 'paused', periodStart: t, periodEnd: t + 30 * DAY }),
        { created: t },
      ),
    );
    expect((await customer(user)).planKey).toBe('free');
    await twice(
      event(
        'customer.subscription.resumed',
        subscription({ ...base, priceId: PRICES.max, periodStart: t, periodEnd: t + 30 * DAY }),
        { created: t + 1 },
      ),
    );
    expect((await customer(user)).planKey).toBe('max');
  });

  it('customer.subscription.deleted downgrades to the default plan for good', async () => {
    const t = now() + 5;
    await twice(
      event(
        'customer.subscription.deleted',
        subscription({ ...base, priceId: PRICES.max, status: 'canceled', periodStart: t, periodEnd: t + 30 * DAY }),
        { created: t },
      ),
    );
    expect((await customer(user)).planKey).toBe('free');
    expect((await h.prisma.subscription.findUniqueOrThrow({ where: { id: sub } })).status).toBe('canceled');
    const events = await h.prisma.entitlementEvent.findMany({ where: { customerId: (await customer(user)).id } });
    expect(events.length).toBeGreaterThan(0);
  });

  it('an invoice before its subscription is deferred, then applied once the subscription arrives', async () => {
    const cus2 = uid('cus');
    const sub2 = uid('sub');
    const t = now() - DAY;
    await h.prisma.customer.create({ data: { externalId: 'user_ooo', email: 'ooo@example.com' } });
    const inv = invoice({
      customer: cus2,
      subscription: sub2,
      userId: 'user_ooo',
      priceId: PRICES.pro,
      billingReason: 'subscription_create',
      periodStart: t,
      periodEnd: t + 30 * DAY,
    });
    const stored = await twice(event('invoice.paid', inv, { created: t + 2 }));
    expect(stored.status).toBe('deferred');
    expect(stored.lastError).toContain(`subscription ${sub2} not seen yet`);
    expect(stored.nextAttemptAt).not.toBeNull();
    await twice(
      event(
        'customer.subscription.created',
        subscription({
          id: sub2,
          customer: cus2,
          userId: 'user_ooo',
          priceId: PRICES.pro,
          periodStart: t,
          periodEnd: t + 30 * DAY,
        }),
        { created: t },
      ),
    );
    const results = await processDueEvents(pipelineContext(h.t.deps), { now: new Date(Date.now() + 3600_000) });
    expect(results.find((r) => r.eventId === stored.id)?.status).toBe('processed');
    expect((await customer('user_ooo')).balance).toBe(1000);
  });
});

describe('disputes', () => {
  async function buy(user: string) {
    const pi = uid('pi');
    const ch = uid('ch');
    await h.deliver(
      event(
        'checkout.session.completed',
        checkoutSession({ userId: user, kind: 'pack', key: 'starter', amount: 1000, paymentIntent: pi }),
      ),
    );
    await h.deliver(event('charge.succeeded', charge({ id: ch, paymentIntent: pi, amount: 1000 })));
    return { pi, ch };
  }

  it('created freezes the purchase credits with the due date; won releases them', async () => {
    const { pi, ch } = await buy('user_dispute_won');
    const due = now() + 7 * DAY;
    const d = dispute({ charge: ch, paymentIntent: pi, amount: 1000, dueBy: due });
    const t = now();
    const created = await twice(event('charge.dispute.created', d, { created: t }));
    await twice(event('charge.dispute.funds_withdrawn', d, { created: t + 1 }));
    const updated = await twice(event('charge.dispute.updated', { ...d, status: 'under_review' }, { created: t + 2 }));
    // Issue 16: what the webhook list says uses the words every page uses, and dates as people read them.
    const said = async (e: { id: string }) =>
      (await h.prisma.eventProcessingAttempt.findFirstOrThrow({ where: { eventId: e.id } })).summary;
    const dueWords = `${new Date(due * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    expect(await said(created)).toContain(`recorded (needs response, fraudulent, evidence due ${dueWords})`);
    expect(await said(created)).toContain('500 remaining credits frozen');
    expect(await said(updated)).toContain(`dispute ${d.id as string} is with the bank`);
    const row = await h.prisma.dispute.findUniqueOrThrow({ where: { id: d.id as string } });
    expect(row).toMatchObject({ status: 'under_review', frozenCredits: 500, reason: 'fraudulent' });
    expect(row.evidenceDueBy?.getTime()).toBe(due * 1000);
    const c = await customer('user_dispute_won');
    expect(await h.prisma.creditLot.findFirstOrThrow({ where: { customerId: c.id } })).toMatchObject({
      frozen: true,
      remaining: 500,
    });
    await twice(event('charge.dispute.closed', { ...d, status: 'won' }, { created: t + 3 }));
    await twice(event('charge.dispute.funds_reinstated', { ...d, status: 'won' }, { created: t + 4 }));
    expect(await h.prisma.creditLot.findFirstOrThrow({ where: { customerId: c.id } })).toMatchObject({
      frozen: false,
      remaining: 500,
    });
    expect((await entries(c.id)).map((e) => e.type)).toEqual(['purchase', 'dispute_freeze', 'dispute_release']);
    expect((await entries(c.id)).at(-1)?.reason).toBe(`Dispute ${d.id as string} won: credits released`);
    expect((await customer('user_dispute_won')).balance).toBe(500);
  });

  it('lost claws back the remaining credits; an older "needs_response" snapshot changes nothing', async () => {
    const { pi, ch } = await buy('user_dispute_lost');
    const d = dispute({ charge: ch, paymentIntent: pi, amount: 1000 });
    const t = now();
    await twice(event('charge.dispute.closed', { ...d, status: 'lost' }, { created: t + 10 }));
    await twice(event('charge.dispute.created', d, { created: t }));
    expect((await h.prisma.dispute.findUniqueOrThrow({ where: { id: d.id as string } })).status).toBe('lost');
    const c = await customer('user_dispute_lost');
    expect(c.balance).toBe(0);
    expect((await entries(c.id)).map((e) => [e.type, e.credits])).toEqual([
      ['purchase', 500],
      ['dispute_clawback', -500],
    ]);
  });

  it('a dispute before its charge is deferred, then applied', async () => {
    const pi = uid('pi');
    const ch = uid('ch');
    const d = dispute({ charge: ch, paymentIntent: pi, amount: 1000 });
    const stored = await twice(event('charge.dispute.created', d));
    expect(stored.status).toBe('deferred');
    await h.deliver(
      event(
        'checkout.session.completed',
        checkoutSession({ userId: 'user_dispute_early', kind: 'pack', key: 'starter', paymentIntent: pi }),
      ),
    );
    await processDueEvents(pipelineContext(h.t.deps), { now: new Date(Date.now() + 3600_000) });
    expect((await h.prisma.stripeEvent.findUniqueOrThrow({ where: { id: stored.id } })).status).toBe('processed');
    const c = await customer('user_dispute_early');
    expect(await h.prisma.creditLot.findFirstOrThrow({ where: { customerId: c.id } })).toMatchObject({ frozen: true });
  });
});

describe('everything else', () => {
  it('stores unknown and irrelevant types as ignored and answers 200', async () => {
    const e = event('product.created', { id: 'prod_x', object: 'product' });
    const stored = await twice(e);
    expect(stored.status).toBe('ignored');
    expect(await h.prisma.eventProcessingAttempt.count({ where: { eventId: stored.id } })).toBe(0);
  });

  it('concurrent duplicate deliveries store one event and apply it once', async () => {
    const e = event(
      'checkout.session.completed',
      checkoutSession({ userId: 'user_burst', kind: 'pack', key: 'starter' }),
    );
    const responses = await Promise.all(Array.from({ length: 12 }, () => h.deliver(e)));
    expect(responses.filter((r) => r.statusCode !== 200).map((r) => r.body)).toEqual([]);
    expect(responses.filter((r) => r.json().duplicate === false)).toHaveLength(1);
    expect(await h.prisma.webhookDelivery.count({ where: { eventId: e.id as string } })).toBe(12);
    expect((await customer('user_burst')).balance).toBe(500);
    expect(
      await h.prisma.eventProcessingAttempt.count({ where: { eventId: e.id as string, outcome: 'processed' } }),
    ).toBe(1);
  });

  it('lists events, deliveries and health for staff', async () => {
    const api = caller('finance');
    const failed = await api.webhooks.listEvents({ status: 'failed' });
    expect(failed.items.every((i) => i.status === 'failed')).toBe(true);
    const page = await api.webhooks.listEvents({ limit: 5 });
    expect(page.items).toHaveLength(5);
    const next = await api.webhooks.listEvents({ limit: 5, cursor: page.nextCursor });
    expect(next.items[0]?.id).not.toBe(page.items[0]?.id);
    const one = await api.webhooks.getEvent({ eventId: page.items[0]!.id });
    expect(one.deliveries.length).toBeGreaterThan(0);
    const deliveries = await api.webhooks.listDeliveries({ duplicate: true, limit: 3 });
    expect(deliveries.items.every((d) => d.duplicate)).toBe(true);
    const health = await api.webhooks.health({});
    expect(health.events.processed).toBeGreaterThan(10);
  });
});

describe('purchase IP and device on subscription payments (issue 16.3)', () => {
  it('carries client_ip / user_agent from the subscription metadata snapshot onto the invoice payment', async () => {
    const user = 'user_sub_ip';
    const cus = uid('cus');
    const sub = uid('sub');
    const t = now() - 5 * DAY;
    await h.prisma.customer.create({ data: { externalId: user, email: 'sub-ip@example.com' } });
    await twice(
      event(
        'customer.subscription.created',
        subscription({
          id: sub,
          customer: cus,
          userId: user,
          priceId: PRICES.pro,
          periodStart: t,
          periodEnd: t + 30 * DAY,
        }),
        { created: t },
      ),
    );
    const inv = invoice({
      customer: cus,
      subscription: sub,
      userId: user,
      priceId: PRICES.pro,
      billingReason: 'subscription_create',
      periodStart: t,
      periodEnd: t + 30 * DAY,
      paymentIntent: uid('pi'),
    });
    const details = (inv.parent as { subscription_details: { metadata: Record<string, string> } }).subscription_details;
    details.metadata = { ...details.metadata, client_ip: '203.0.113.77', user_agent: 'Mozilla/5.0 (sub e2e)' };
    await twice(event('invoice.paid', inv, { created: t + 5 }));
    expect(await h.prisma.payment.findUniqueOrThrow({ where: { invoiceId: inv.id as string } })).toMatchObject({
      kind: 'subscription',
      purchaseIp: '203.0.113.77',
      purchaseUserAgent: 'Mozilla/5.0 (sub e2e)',
    });
  });
});
