// Upgrades (issue 13.8) on real PostgreSQL through the signed webhook route: a paid
// `subscription_update` invoice (pro -> max mid-period) grants the prorated difference of the
// period's credits exactly once per invoice, however often it is delivered; a downgrade grants
// nothing and takes nothing back; with the catalog rule off an upgrade grants nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upgradeCredits } from '../modules/billing/upgrade-credits.ts';
import { event, invoice, subscription, uid, unix } from '../../test/stripe/builders.ts';
import { createWebhookHarness, PRICES, type WebhookHarness } from '../../test/stripe/harness.ts';

let h: WebhookHarness;
beforeAll(async () => {
  h = await createWebhookHarness();
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const DAY = 86_400;
type Obj = Record<string, unknown>;

async function deliver(e: object) {
  expect((await h.deliver(e)).statusCode).toBe(200);
}

/** A subscriber on pro (1,000 credits a period) whose first invoice was paid. */
async function subscriber(t0: number) {
  const user = uid('upgrade_user');
  const cus = uid('cus');
  const sub = uid('sub');
  await h.prisma.customer.create({ data: { externalId: user, email: `${user}@example.com` } });
  const base = { id: sub, customer: cus, userId: user, periodStart: t0, periodEnd: t0 + 30 * DAY };
  await deliver(
    event('customer.subscription.created', subscription({ ...base, priceId: PRICES.pro }), { created: t0 }),
  );
  const first = invoice({
    customer: cus,
    subscription: sub,
    userId: user,
    priceId: PRICES.pro,
    billingReason: 'subscription_create',
    periodStart: t0,
    periodEnd: t0 + 30 * DAY,
    paymentIntent: uid('pi'),
  });
  await deliver(event('invoice.paid', first, { created: t0 + 1 }));
  const customer = await h.prisma.customer.findUniqueOrThrow({ where: { externalId: user } });
  expect(customer.balance).toBe(1000);
  return { user, cus, sub, customerId: customer.id, base };
}

/** Stripe's proration invoice: "unused time on <from>" (negative) and "remaining time on <to>". */
function planChangeInvoice(
  s: { user: string; cus: string; sub: string },
  from: string,
  to: string,
  changeAt: number,
  periodEnd: number,
): Obj {
  const inv = invoice({
    customer: s.cus,
    subscription: s.sub,
    userId: s.user,
    priceId: to,
    billingReason: 'subscription_update',
    amount: 2000,
    periodStart: changeAt,
    periodEnd,
    paymentIntent: uid('pi'),
  });
  const lines = inv.lines as { data: Obj[] } & Obj;
  const line = lines.data[0]!;
  const unused: Obj = {
    ...line,
    id: uid('il'),
    amount: -950,
    pricing: { ...(line.pricing as Obj), price_details: { price: from, product: 'prod_plan' } },
  };
  return { ...inv, lines: { ...lines, data: [unused, { ...line, amount: 2950 }] } };
}

describe('a mid-period plan change', () => {
  it('computes the prorated difference, and nothing for a downgrade', () => {
    const periodStart = new Date('2026-11-01T00:00:00Z');
    const periodEnd = new Date('2026-12-01T00:00:00Z');
    const changeAt = new Date('2026-11-16T00:00:00Z');
    expect(upgradeCredits({ oldCredits: 1000, newCredits: 5000, changeAt, periodStart, periodEnd })).toBe(2000);
    expect(upgradeCredits({ oldCredits: 5000, newCredits: 1000, changeAt, periodStart, periodEnd })).toBe(0);
    expect(upgradeCredits({ oldCredits: 1000, newCredits: 5000, changeAt: periodEnd, periodStart, periodEnd })).toBe(0);
    expect(upgradeCredits({ oldCredits: 1000, newCredits: 5000, changeAt: periodStart, periodStart, periodEnd })).toBe(
      4000,
    );
  });

  it('an upgrade paid halfway through the period grants half the difference, once per invoice', async () => {
    const t0 = unix(Date.now()) - 15 * DAY;
    const s = await subscriber(t0);
    const change = t0 + 15 * DAY;
    await deliver(
      event('customer.subscription.updated', subscription({ ...s.base, priceId: PRICES.max }), { created: change }),
    );
    const inv = planChangeInvoice(s, PRICES.pro, PRICES.max, change, t0 + 30 * DAY);
    // Delivered as invoice.paid twice and invoice.payment_succeeded: one grant.
    await deliver(event('invoice.paid', inv, { created: change + 1 }));
    await deliver(event('invoice.paid', inv, { created: change + 1 }));
    await deliver(event('invoice.payment_succeeded', inv, { created: change + 1 }));
    const grants = await h.prisma.ledgerEntry.findMany({
      where: { customerId: s.customerId, idempotencyKey: `grant:${inv.id as string}` },
    });
    expect(grants.map((g) => g.credits)).toEqual([2000]); // (5,000 - 1,000) x 15 / 30
    expect((await h.prisma.customer.findUniqueOrThrow({ where: { id: s.customerId } })).balance).toBe(3000);
    const payment = await h.prisma.payment.findUniqueOrThrow({ where: { invoiceId: inv.id as string } });
    expect(payment).toMatchObject({ status: 'paid', creditsGranted: 2000 });
    // Max rolls over: the upgrade's credits do not expire at the period end.
    const lot = await h.prisma.creditLot.findUniqueOrThrow({ where: { id: payment.lotId! } });
    expect(lot.expiresAt).toBeNull();
  });

  it('a downgrade grants nothing and takes nothing back', async () => {
    const t0 = unix(Date.now()) - 10 * DAY;
    const s = await subscriber(t0);
    const inv = planChangeInvoice(s, PRICES.max, PRICES.pro, t0 + 10 * DAY, t0 + 30 * DAY);
    await deliver(event('invoice.paid', { ...inv, amount_paid: 0 }, { created: t0 + 10 * DAY }));
    const entries = await h.prisma.ledgerEntry.findMany({ where: { customerId: s.customerId } });
    expect(entries.map((e) => e.credits)).toEqual([1000]);
  });

  it('with the catalog rule off an upgrade grants nothing until the renewal', async () => {
    await h.prisma.catalogRules.update({ where: { id: 1 }, data: { upgradeCredits: false } });
    try {
      const t0 = unix(Date.now()) - 15 * DAY;
      const s = await subscriber(t0);
      const inv = planChangeInvoice(s, PRICES.pro, PRICES.max, t0 + 15 * DAY, t0 + 30 * DAY);
      await deliver(event('invoice.paid', inv, { created: t0 + 15 * DAY }));
      expect((await h.prisma.customer.findUniqueOrThrow({ where: { id: s.customerId } })).balance).toBe(1000);
      const stored = await h.prisma.stripeEvent.findFirstOrThrow({
        where: { objectId: inv.id as string, type: 'invoice.paid' },
      });
      expect(stored.status).toBe('processed');
    } finally {
      await h.prisma.catalogRules.update({ where: { id: 1 }, data: { upgradeCredits: true } });
    }
  });
});
