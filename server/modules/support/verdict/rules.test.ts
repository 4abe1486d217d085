// One describe per verdict rule, each on a history built in a real database (rows written as the
// pipeline and the ledger write them) and loaded by loadHistory. What Stripe says is given to the
// pure rules directly, as the Stripe view the loader would have produced.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/db.ts';
import type { Verdict } from '../../../contracts/support.ts';
import { clawbackLot } from '../../ledger/clawback-lot.ts';
import { expireLot } from '../../ledger/expire-lots.ts';
import { freezeLot } from '../../ledger/freeze-lot.ts';
import { grant, makeCustomer, makePayment, STRIPE_ACTOR, storeEvent, uid, use } from '../testing/history-builder.ts';
import { judge } from './get-verdict.ts';
import type { CustomerHistory, StripeView } from './history.ts';
import { loadHistory } from './load-history.ts';
import { balanceBreakdown } from './rules/balance-breakdown.ts';
import { blocked } from './rules/blocked.ts';
import { failedEvent } from './rules/failed-event.ts';
import { gracePeriod } from './rules/grace-period.ts';
import { missingEvent } from './rules/missing-event.ts';
import { openDispute } from './rules/open-dispute.ts';
import { pendingPayment } from './rules/pending-payment.ts';
import { staleSubscription } from './rules/stale-subscription.ts';
import { unlinkedPayment } from './rules/unlinked-payment.ts';

let db: TestDatabase;
const NOW = new Date();
const ago = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

beforeAll(async () => {
  db = await createTestDatabase();
  const p = db.prisma;
  await p.feature.createMany({
    data: [
      { key: 'chat', name: 'Chat', creditCost: 1 },
      { key: 'video', name: 'Video', creditCost: 100 },
    ],
  });
  await p.plan.create({
    data: { key: 'free', name: 'Free', isDefault: true, monthlyCredits: 0, entitlements: { chat: true } },
  });
  await p.plan.create({
    data: { key: 'pro', name: 'Pro', monthlyCredits: 1000, entitlements: { chat: true, video: true } },
  });
  await p.creditPack.create({ data: { key: 'starter', name: 'Starter', credits: 500 } });
});

afterAll(async () => db?.drop());

async function history(customerId: string, stripe?: Partial<StripeView>): Promise<CustomerHistory> {
  const h = await loadHistory(db.prisma, customerId, NOW);
  return stripe ? { ...h, stripe: { checked: true, note: null, paid: [], subscriptions: [], ...stripe } } : h;
}

/** A pack bought and applied normally: payment, processed event, grant. */
async function happyPurchase(customerId: string, session = uid('cs_')) {
  await makePayment(db.prisma, {
    customerId,
    checkoutSessionId: session,
    paymentIntentId: uid('pi_'),
    creditsGranted: 500,
    createdAt: ago(2),
  });
  await storeEvent(db.prisma, {
    type: 'checkout.session.completed',
    created: ago(2),
    object: { id: session },
    customerId,
  });
  await grant(db.prisma, customerId, 500, { source: 'pack_purchase', reference: session });
  return session;
}

describe('nothing wrong', () => {
  it('says so and shows the last payment-to-credit chain', async () => {
    const c = await makeCustomer(db.prisma);
    const session = await happyPurchase(c.id);
    const verdict: Verdict = judge(await history(c.id, {}));
    expect(verdict.status).toBe('ok');
    expect(verdict.headline).toBe('Nothing is wrong with this account');
    expect(verdict.findings).toEqual([]);
    expect(verdict.lastChain?.map((s) => s.kind)).toEqual(['session', 'event', 'entry']);
    expect(verdict.lastChain?.[0]?.id).toBe(session);
    expect(verdict.lastChain?.[2]?.label).toBe('{{credits 500}} credits granted');
    // The pack by its name, not its key.
    expect(verdict.lastChain?.[0]?.label).toBe('Paid {{money 600 eur}} for credit pack "Starter"');
  });

  it('shows a refunded last payment as refunded (issue 16)', async () => {
    const c = await makeCustomer(db.prisma);
    const full = uid('cs_');
    await makePayment(db.prisma, {
      customerId: c.id,
      checkoutSessionId: full,
      status: 'refunded',
      amountRefunded: 600,
      creditsGranted: 500,
      createdAt: ago(2),
    });
    const refunded = judge(await history(c.id, {}));
    expect(refunded.lastChain?.[0]).toMatchObject({
      id: full,
      label: 'Paid {{money 600 eur}} for credit pack "Starter" (refunded in full)',
    });

    const d = await makeCustomer(db.prisma);
    await makePayment(db.prisma, {
      customerId: d.id,
      checkoutSessionId: uid('cs_'),
      status: 'partially_refunded',
      amountRefunded: 200,
      creditsGranted: 500,
      createdAt: ago(2),
    });
    const partly = judge(await history(d.id, {}));
    expect(partly.lastChain?.[0]?.label).toBe(
      'Paid {{money 600 eur}} for credit pack "Starter" ({{money 200 eur}} refunded)',
    );
  });
});

describe('missing-event', () => {
  it('finds a payment Stripe took whose event never reached us, and offers to fetch it', async () => {
    const c = await makeCustomer(db.prisma, { stripeCustomerId: uid('cus_') });
    const h = await history(c.id, {
      paid: [
        {
          id: 'cs_missing1',
          kind: 'session',
          amount: 600,
          currency: 'eur',
          created: ago(1),
          eventId: 'evt_missing1',
          eventType: 'checkout.session.completed',
          knownLocally: false,
        },
        {
          id: 'cs_known1',
          kind: 'session',
          amount: 600,
          currency: 'eur',
          created: ago(1),
          eventId: null,
          eventType: null,
          knownLocally: true,
        },
      ],
    });
    const findings = missingEvent(h);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'critical',
      repairs: [{ kind: 'fetch_event', objectId: 'cs_missing1', eventId: 'evt_missing1' }],
    });
    expect(findings[0]!.title).toContain('never reached us');
    expect(judge(h).status).toBe('action');
  });

  it('stays silent when Stripe was not checked', async () => {
    const c = await makeCustomer(db.prisma);
    expect(missingEvent(await history(c.id))).toEqual([]);
  });
});

describe('failed-event', () => {
  it('says what was bought and paid for an unknown price, and offers the catalog fix, not a reprocess that would fail', async () => {
    const c = await makeCustomer(db.prisma);
    // The price object as a payload carries it (line items listed from Stripe are not stored).
    await storeEvent(db.prisma, {
      type: 'price.created',
      created: ago(2),
      object: {
        id: 'price_unmapped1',
        object: 'price',
        nickname: 'Spring promo',
        unit_amount: 1200,
        currency: 'eur',
        type: 'one_time',
        recurring: null,
      },
      status: 'processed',
    });
    await storeEvent(db.prisma, {
      type: 'checkout.session.completed',
      created: ago(1),
      object: { id: uid('cs_'), amount_total: 1200, currency: 'eur' },
      customerId: c.id,
      status: 'failed',
      cause: { code: 'unknown_price', detail: { priceId: 'price_unmapped1' } },
      attempts: [{ outcome: 'failed', error: 'unknown price price_unmapped1' }],
    });
    const [finding] = failedEvent(await history(c.id));
    expect(finding?.severity).toBe('critical');
    expect(finding?.title).toBe('Paid {{money 1200 eur}} for “Spring promo”, which the catalog does not sell yet');
    expect(finding?.explanation).toContain('price_unmapped1 ({{money 1200 eur}} one-time)');
    expect(finding?.explanation).toContain('Reprocessing now would fail the same way');
    expect(finding?.explanation).toContain('as a credit pack (it is a one-time price)');
    expect(finding?.repairs).toEqual([
      expect.objectContaining({ kind: 'map_price', priceId: 'price_unmapped1', suggestedKind: 'pack' }),
    ]);
  });

  it('names the price id when nothing describes it', async () => {
    const c = await makeCustomer(db.prisma);
    await storeEvent(db.prisma, {
      type: 'invoice.paid',
      created: ago(1),
      object: { id: uid('in_') },
      customerId: c.id,
      status: 'failed',
      cause: { code: 'unknown_price', detail: { priceId: 'price_unmapped2' } },
    });
    const [finding] = failedEvent(await history(c.id));
    expect(finding?.title).toBe('Bought price price_unmapped2, which the catalog does not sell yet');
    expect(finding?.repairs).toEqual([expect.objectContaining({ kind: 'map_price', suggestedKind: null })]);
  });

  it('falls back on what the cause recorded about the price', async () => {
    const c = await makeCustomer(db.prisma);
    await storeEvent(db.prisma, {
      type: 'invoice.paid',
      created: ago(1),
      object: { id: uid('in_'), amount_paid: 4900, currency: 'eur' },
      customerId: c.id,
      status: 'failed',
      cause: {
        code: 'unknown_price',
        detail: {
          priceId: 'price_unmapped3',
          productName: 'Team',
          amount: 4900,
          currency: 'eur',
          priceType: 'recurring',
        },
      },
    });
    const [finding] = failedEvent(await history(c.id));
    expect(finding?.title).toBe('Paid {{money 4900 eur}} for “Team”, which the catalog does not sell yet');
    expect(finding?.explanation).toContain('as a plan (it is a recurring price)');
    expect(finding?.repairs).toEqual([expect.objectContaining({ kind: 'map_price', suggestedKind: 'plan' })]);
  });

  it('offers reprocess for any other failure', async () => {
    const c = await makeCustomer(db.prisma);
    const e = await storeEvent(db.prisma, {
      type: 'invoice.paid',
      created: ago(1),
      object: { id: uid('in_') },
      customerId: c.id,
      status: 'failed',
      lastError: 'subscription sub_x not found',
    });
    const [finding] = failedEvent(await history(c.id));
    expect(finding?.title).toContain('applying it failed: subscription sub_x not found');
    expect(finding?.repairs).toEqual([expect.objectContaining({ kind: 'reprocess_event', eventId: e.id })]);
  });

  it('acts on the cause code, not the words: a reworded message still asks for the price', async () => {
    const c = await makeCustomer(db.prisma);
    await storeEvent(db.prisma, {
      type: 'invoice.paid',
      created: ago(1),
      object: { id: uid('in_') },
      customerId: c.id,
      status: 'failed',
      cause: { code: 'unknown_price', detail: { priceId: 'price_reworded1' } },
      lastError: 'Nobody sells this in the catalog yet',
    });
    // And words that look like the old message, with another cause, propose no mapping.
    await storeEvent(db.prisma, {
      type: 'invoice.paid',
      created: ago(2),
      object: { id: uid('in_') },
      customerId: c.id,
      status: 'failed',
      cause: { code: 'customer_unknown', detail: {} },
      lastError: 'unknown price price_lookalike1',
    });
    const findings = failedEvent(await history(c.id));
    const maps = findings.flatMap((f) => f.repairs).filter((r) => r.kind === 'map_price');
    expect(maps).toEqual([expect.objectContaining({ priceId: 'price_reworded1' })]);
    expect(findings.find((f) => f.title.includes('price_reworded1'))?.explanation).toContain(
      'No plan or credit pack in the catalog sells it',
    );
  });

  it('offers reprocess alone once the price is mapped', async () => {
    const c = await makeCustomer(db.prisma);
    await db.prisma.catalogPrice.create({ data: { stripePriceId: 'price_mapped1', packKey: 'starter' } });
    const e = await storeEvent(db.prisma, {
      type: 'checkout.session.completed',
      created: ago(1),
      object: { id: uid('cs_') },
      customerId: c.id,
      status: 'failed',
      cause: { code: 'unknown_price', detail: { priceId: 'price_mapped1' } },
    });
    const [finding] = failedEvent(await history(c.id));
    expect(finding?.title).toContain('the catalog sells it now, reprocess to apply the payment');
    expect(finding?.repairs).toEqual([expect.objectContaining({ kind: 'reprocess_event', eventId: e.id })]);
  });

  it('says a deferred event is waiting for its retry', async () => {
    const c = await makeCustomer(db.prisma);
    await storeEvent(db.prisma, {
      type: 'invoice.paid',
      created: ago(0.01),
      object: { id: uid('in_') },
      customerId: c.id,
      status: 'deferred',
      lastError: 'invoice before its subscription',
    });
    const [finding] = failedEvent(await history(c.id));
    expect(finding?.severity).toBe('waiting');
    expect(finding?.repairs[0]?.kind).toBe('reprocess_event');
  });
});

describe('unlinked-payment', () => {
  it('matches an event without a user id to the customer by the payer’s email and offers link + reprocess', async () => {
    const c = await makeCustomer(db.prisma, { email: 'nouser@example.test' });
    const e = await storeEvent(db.prisma, {
      type: 'checkout.session.completed',
      created: ago(1),
      object: {
        id: uid('cs_'),
        amount_total: 600,
        currency: 'eur',
        customer: 'cus_stranger',
        customer_details: { email: 'NoUser@example.test' },
      },
      status: 'failed',
      lastError: 'no customer',
    });
    const h = await history(c.id);
    const [finding] = unlinkedPayment(h);
    expect(finding).toMatchObject({ severity: 'critical', repairs: [{ kind: 'link_and_reprocess', eventId: e.id }] });
    expect(finding?.title).toBe('A payment of {{money 600 eur}} reached us without a user id');
    expect(finding?.explanation).toContain('payer’s email');
    // The same event is not also reported as a failed event of this customer.
    expect(failedEvent(h)).toEqual([]);
  });

  it('ignores events of other people', async () => {
    const c = await makeCustomer(db.prisma, { email: 'someone@example.test' });
    await storeEvent(db.prisma, {
      type: 'checkout.session.completed',
      created: ago(1),
      object: { id: uid('cs_'), customer_details: { email: 'other@example.test' } },
      status: 'failed',
      lastError: 'no customer',
    });
    expect(unlinkedPayment(await history(c.id))).toEqual([]);
  });
});

describe('pending-payment', () => {
  it('says there is nothing to do yet for a delayed payment', async () => {
    const c = await makeCustomer(db.prisma);
    const session = uid('cs_');
    await makePayment(db.prisma, {
      customerId: c.id,
      checkoutSessionId: session,
      status: 'pending',
      createdAt: ago(1),
    });
    const [finding] = pendingPayment(await history(c.id));
    expect(finding).toMatchObject({ severity: 'waiting', repairs: [], evidence: [{ id: session }] });
    expect(finding?.title).toContain('nothing to do yet');
    expect(finding?.explanation).toContain('arrive automatically');
  });

  it('warns when the bank has not confirmed after two weeks', async () => {
    const c = await makeCustomer(db.prisma);
    await makePayment(db.prisma, {
      customerId: c.id,
      checkoutSessionId: uid('cs_'),
      status: 'pending',
      createdAt: ago(20),
    });
    expect(pendingPayment(await history(c.id))[0]?.severity).toBe('warning');
  });
});

describe('blocked', () => {
  it('says why, since when, and what unblocking requires', async () => {
    const c = await makeCustomer(db.prisma, {
      status: 'blocked',
      blockedReason: 'more than 3 disputes in 180 days',
      blockedAt: ago(3),
    });
    await db.prisma.blockEvent.create({
      data: {
        customerId: c.id,
        action: 'block',
        reason: 'more than 3 disputes in 180 days',
        actorId: 'system',
        createdAt: ago(3),
      },
    });
    for (let i = 0; i < 4; i++) {
      await db.prisma.dispute.create({
        data: {
          id: uid('dp_'),
          chargeId: uid('ch_'),
          customerId: c.id,
          amount: 600,
          currency: 'eur',
          reason: 'fraudulent',
          status: i === 0 ? 'needs_response' : 'lost',
          stripeCreated: ago(10 + i),
        },
      });
    }
    const [finding] = blocked(await history(c.id));
    expect(finding?.severity).toBe('critical');
    expect(finding?.title).toContain('more than 3 disputes');
    expect(finding?.explanation).toContain('The auto-block rule');
    expect(finding?.explanation).toContain('4 disputes in the last 180 days');
    expect(finding?.explanation).toContain('Unblocking requires');
    expect(finding?.explanation).toContain('1 open dispute');
    expect(finding?.evidence.filter((e) => e.kind === 'dispute')).toHaveLength(4);
  });

  it('is silent for an active customer', async () => {
    const c = await makeCustomer(db.prisma);
    expect(blocked(await history(c.id))).toEqual([]);
  });
});

describe('balance-breakdown', () => {
  it('explains a balance lowered by usage, expiry, a refund clawback and a freeze', async () => {
    const c = await makeCustomer(db.prisma);
    const p = db.prisma;
    const expiring = await grant(p, c.id, 100, { expiresAt: new Date(NOW.getTime() + 3_600_000) });
    const refunded = await grant(p, c.id, 200, { source: 'pack_purchase', reference: uid('cs_') });
    const disputed = await grant(p, c.id, 300, { source: 'pack_purchase', reference: uid('cs_') });
    await grant(p, c.id, 400, { source: 'pack_purchase', reference: uid('cs_') });
    await use(p, c.id, 'chat', 30);
    await expireLot(p, { lotId: expiring.lot.id, now: new Date(NOW.getTime() + 7_200_000) });
    await use(p, c.id, 'video', 100);
    await clawbackLot(p, {
      lotId: refunded.lot.id,
      credits: 60,
      type: 'refund_clawback',
      idempotencyKey: uid('cb:'),
      reason: 'refund',
      actor: STRIPE_ACTOR,
    });
    await freezeLot(p, { lotId: disputed.lot.id, idempotencyKey: uid('fz:'), reason: 'dispute', actor: STRIPE_ACTOR });
    const h = await history(c.id);
    const [finding] = balanceBreakdown(h);
    expect(finding?.severity).toBe('info');
    const b = finding!.breakdown!;
    expect(b.granted).toBe(1000);
    expect(b.consumedByFeature).toEqual([
      { feature: 'video', credits: 100 },
      { feature: 'chat', credits: 30 },
    ]);
    expect(b.consumed).toBe(130);
    expect(b.clawedBack).toBe(60);
    expect(b.frozen).toBe(300);
    // The chat usage drew the soon-expiring lot first (30 of its 100): 70 expired.
    expect(b.expired).toBe(70);
    expect(b.balance).toBe(b.granted - b.consumed - b.expired - b.clawedBack + b.adjusted);
    expect(finding?.explanation).toContain('{{credits 70}} expired');
    expect(finding?.explanation).toContain('frozen by an open dispute');
  });

  it('says spendable is 0 when the whole balance is frozen', async () => {
    const c = await makeCustomer(db.prisma);
    const p = db.prisma;
    const disputed = await grant(p, c.id, 500, { source: 'pack_purchase', reference: uid('cs_') });
    await freezeLot(p, { lotId: disputed.lot.id, idempotencyKey: uid('fz:'), reason: 'dispute', actor: STRIPE_ACTOR });
    const [finding] = balanceBreakdown(await history(c.id));
    expect(finding?.severity).toBe('warning');
    expect(finding?.title).toBe(
      'Spendable credits: 0 — all {{credits 500}} credits of the balance are frozen by an open dispute',
    );
  });

  it('stays quiet when only usage took credits', async () => {
    const c = await makeCustomer(db.prisma);
    await grant(db.prisma, c.id, 50);
    await use(db.prisma, c.id, 'chat', 5);
    expect(balanceBreakdown(await history(c.id))).toEqual([]);
  });
});

describe('stale-subscription', () => {
  it('flags an active subscription whose plan the customer does not have, and offers resync', async () => {
    const c = await makeCustomer(db.prisma, { stripeCustomerId: uid('cus_') });
    const subId = uid('sub_');
    await db.prisma.subscription.create({
      data: { id: subId, customerId: c.id, planKey: 'pro', stripePriceId: 'price_pro', status: 'active' },
    });
    const [finding] = staleSubscription(await history(c.id));
    expect(finding).toMatchObject({
      severity: 'warning',
      repairs: [{ kind: 'resync_subscription', subscriptionId: subId }],
    });
    // Plans by name, not key (issue 16).
    expect(finding?.title).toBe('Subscription to plan "Pro" is active, but entitlements follow plan "Free"');
  });

  it('flags a subscription Stripe has and we do not, or whose state differs', async () => {
    const c = await makeCustomer(db.prisma, { stripeCustomerId: uid('cus_'), planKey: 'pro' });
    const known = uid('sub_');
    await db.prisma.subscription.create({
      data: { id: known, customerId: c.id, planKey: 'pro', stripePriceId: 'price_pro', status: 'active' },
    });
    const h = await history(c.id, {
      subscriptions: [
        {
          id: 'sub_unknown1',
          status: 'active',
          priceId: 'price_pro',
          currentPeriodEnd: null,
          cancelAtPeriodEnd: false,
        },
        { id: known, status: 'canceled', priceId: 'price_pro', currentPeriodEnd: null, cancelAtPeriodEnd: false },
      ],
    });
    const findings = staleSubscription(h);
    expect(findings.map((f) => [f.severity, f.repairs[0]])).toEqual([
      ['critical', expect.objectContaining({ subscriptionId: 'sub_unknown1' })],
      ['warning', expect.objectContaining({ subscriptionId: known })],
    ]);
  });

  it('is silent when the plan follows the subscription', async () => {
    const c = await makeCustomer(db.prisma, { planKey: 'pro' });
    await db.prisma.subscription.create({
      data: { id: uid('sub_'), customerId: c.id, planKey: 'pro', status: 'active' },
    });
    expect(staleSubscription(await history(c.id))).toEqual([]);
  });
});

describe('grace-period', () => {
  it('says until when the plan is kept after a failed renewal', async () => {
    const c = await makeCustomer(db.prisma, { planKey: 'pro' });
    await db.prisma.subscription.create({
      data: {
        id: uid('sub_'),
        customerId: c.id,
        planKey: 'pro',
        status: 'past_due',
        graceUntil: new Date(NOW.getTime() + 2 * 86_400_000),
      },
    });
    const [finding] = gracePeriod(await history(c.id));
    expect(finding?.severity).toBe('warning');
    expect(finding?.title).toContain('in grace until');
    expect(finding?.explanation).toContain('(plan "Pro")');
  });
});

describe('open-dispute', () => {
  it('states the frozen credits and the evidence deadline', async () => {
    const c = await makeCustomer(db.prisma);
    await db.prisma.dispute.create({
      data: {
        id: uid('dp_'),
        chargeId: 'ch_disputed1',
        customerId: c.id,
        amount: 600,
        currency: 'eur',
        reason: 'fraudulent',
        status: 'needs_response',
        frozenCredits: 500,
        evidenceDueBy: new Date(NOW.getTime() + 5 * 86_400_000),
        stripeCreated: ago(2),
      },
    });
    const [finding] = openDispute(await history(c.id));
    expect(finding?.title).toBe('Dispute open on {{money 600 eur}} (fraudulent)');
    expect(finding?.explanation).toContain('{{credits 500}} credits');
    expect(finding?.explanation).toContain('Evidence is due by');
  });
});
