// Reprocess, dry run, on a real database: the report names the ledger entries, entitlement changes
// and state changes reprocessing would make, nothing is written (not even the attempt), a failing
// event leaves nothing behind for the next one, and the real reprocess then does what was shown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkoutSession, event, subscription, unix } from '../../../test/stripe/builders.ts';
import { createWebhookHarness, PRICES, type WebhookHarness } from '../../../test/stripe/harness.ts';
import { pipelineContext } from '../../stripe/pipeline.ts';
import { AppError } from '../../lib/app-error.ts';
import { dryRunEvents } from './dry-run-events.ts';
import { reprocessEvent } from './reprocess-event.ts';

let h: WebhookHarness;
const ctx = () => pipelineContext(h.t.deps);
const staff = { type: 'staff', id: 'staff-1', email: 's@example.com', role: 'support', ip: null } as const;

async function deliverStored(payload: Record<string, unknown>) {
  const res = await h.deliver(payload);
  expect(res.statusCode).toBe(200);
  return h.prisma.stripeEvent.findUniqueOrThrow({ where: { id: payload.id as string } });
}

async function snapshot() {
  const [entries, customers, payments, attempts, audits] = await Promise.all([
    h.prisma.ledgerEntry.count(),
    h.prisma.customer.count(),
    h.prisma.payment.count(),
    h.prisma.eventProcessingAttempt.count(),
    h.prisma.auditLog.count(),
  ]);
  return { entries, customers, payments, attempts, audits };
}

beforeAll(async () => {
  h = await createWebhookHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('dry run of a reprocess', () => {
  it('shows the grant an unknown-price event would make once the price is mapped, and writes nothing', async () => {
    const session = checkoutSession({
      metadata: { user_id: 'dry_user' },
      email: 'dry@example.com',
      lineItems: [{ price: 'price_dry_unknown', quantity: 2 }],
    });
    const failed = await deliverStored(event('checkout.session.completed', session));
    expect(failed).toMatchObject({ status: 'failed', lastError: 'unknown price price_dry_unknown' });

    // Before the fix, the dry run says why it would still fail; the customer it would create is not kept.
    const before = await snapshot();
    const still = await dryRunEvents(ctx(), [failed.id]);
    expect(still.events).toEqual([
      expect.objectContaining({ eventId: failed.id, outcome: 'failed', error: 'unknown price price_dry_unknown' }),
    ]);
    expect(still.customers).toEqual([]);
    expect(still.totals).toEqual({ credits: 0, entries: 0, entitlementChanges: 0, wouldFail: 1 });

    await h.prisma.catalogPrice.create({ data: { stripePriceId: 'price_dry_unknown', packKey: 'starter' } });
    const report = await dryRunEvents(ctx(), [failed.id]);
    const [result] = report.events;
    expect(result).toMatchObject({ eventId: failed.id, status: 'failed', outcome: 'processed', error: null });
    expect(result!.summary).toMatch(/^granted 1,000 credits \(credit pack "[^"]+"\)/);
    expect(result!.ledgerEntries).toEqual([
      expect.objectContaining({
        type: 'purchase',
        credits: 1000,
        balanceAfter: 1000,
        idempotencyKey: `grant:${session.id}`,
      }),
    ]);
    expect(report.customers).toEqual([
      {
        id: result!.ledgerEntries[0]!.customerId,
        before: null,
        after: expect.objectContaining({ externalId: 'dry_user', balance: 1000, status: 'active' }),
      },
    ]);
    expect(report.payments).toEqual([
      expect.objectContaining({
        before: null,
        after: expect.objectContaining({ status: 'paid', creditsGranted: 1000 }),
      }),
    ]);
    expect(report.totals).toEqual({ credits: 1000, entries: 1, entitlementChanges: 0, wouldFail: 0 });

    // Nothing was written: no entry, customer, payment, attempt or audit; the event is untouched.
    expect(await snapshot()).toEqual(before);
    expect(await h.prisma.stripeEvent.findUniqueOrThrow({ where: { id: failed.id } })).toMatchObject({
      status: 'failed',
      attempts: failed.attempts,
    });

    // The real reprocess does what the dry run showed.
    const real = await reprocessEvent(ctx(), { eventId: failed.id, actor: staff, reason: 'mapped the price' });
    expect(real.status).toBe('processed');
    const customer = await h.prisma.customer.findUniqueOrThrow({ where: { externalId: 'dry_user' } });
    expect(customer.balance).toBe(1000);

    // Dry-running a processed event: it would replay, so nothing would change.
    const replay = await dryRunEvents(ctx(), [failed.id]);
    expect(replay.events[0]).toMatchObject({ outcome: 'processed', ledgerEntries: [] });
    expect(replay.events[0]!.summary).toContain('already granted');
    expect(replay.customers).toEqual([]);
  });

  it('runs several events in Stripe order; a failing one leaves nothing behind; plan changes are entitlement changes', async () => {
    const customer = await h.prisma.customer.create({
      data: { externalId: 'dry_sub', email: 'sub@example.com', stripeCustomerId: 'cus_dry_sub' },
    });
    const now = unix(Date.now());
    const sub = subscription({
      id: 'sub_dry_1',
      customer: 'cus_dry_sub',
      userId: 'dry_sub',
      priceId: PRICES.pro,
      periodStart: now,
      periodEnd: now + 30 * 86400,
    });
    // Stored without applying (as if it had failed), so the dry run has something to apply.
    const subEvent = event('customer.subscription.created', sub, { created: now - 10 });
    const bad = event(
      'checkout.session.completed',
      checkoutSession({
        metadata: { user_id: 'dry_ghost' },
        lineItems: [{ price: 'price_never_mapped', quantity: 1 }],
      }),
      { created: now - 20 },
    );
    for (const e of [subEvent, bad]) {
      await h.prisma.stripeEvent.create({
        data: {
          id: e.id as string,
          type: e.type as string,
          created: new Date((e.created as number) * 1000),
          livemode: false,
          payload: e as object,
          status: 'failed',
          lastError: 'test',
        },
      });
    }
    const before = await snapshot();
    const report = await dryRunEvents(ctx(), [subEvent.id as string, bad.id as string]);
    // Oldest first, whatever order they were asked in.
    expect(report.events.map((e) => [e.eventId, e.outcome])).toEqual([
      [bad.id, 'failed'],
      [subEvent.id, 'processed'],
    ]);
    expect(report.events[1]!.entitlementChanges).toEqual([
      expect.objectContaining({ customerId: customer.id, kind: expect.stringMatching(/plan/) }),
    ]);
    expect(report.customers).toEqual([
      expect.objectContaining({
        id: customer.id,
        before: expect.objectContaining({ planKey: null }),
        after: expect.objectContaining({ planKey: 'pro' }),
      }),
    ]);
    expect(report.subscriptions).toEqual([
      { id: 'sub_dry_1', before: null, after: expect.objectContaining({ status: 'active', planKey: 'pro' }) },
    ]);
    // The ghost customer the failing session would have created is not in the report, nor in the database.
    expect(JSON.stringify(report)).not.toContain('dry_ghost');
    expect(await snapshot()).toEqual(before);
    expect(await h.prisma.subscription.count({ where: { id: 'sub_dry_1' } })).toBe(0);
  });

  it('refuses unknown ids and oversized runs', async () => {
    await expect(dryRunEvents(ctx(), ['evt_nope'])).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const many = Array.from({ length: 51 }, (_, i) => `evt_${i}`);
    const err = await dryRunEvents(ctx(), many).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('VALIDATION');
  });
});
