// The webhook answer depends only on our database (issue 13.5-13.7): whole streams replayed while
// the pipeline's Stripe is unreachable (a refused port) or hangs (a server that never answers).
// Every delivery is answered 2xx without a single request reaching Stripe; work that needs Stripe
// (here: matching a subscription charge whose invoice_payment.paid never came, through charge ->
// payment intent -> invoice payments) waits in the background job, which finishes it once Stripe
// is back. Also: charge.refunded after refund.* needs no Stripe, and redeliveries do not use up
// an event's retries.
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processDueEvents } from '../../server/modules/stripe-events/process-due-events.ts';
import { MAX_PROCESSING_ATTEMPTS } from '../../server/modules/stripe-events/retry-policy.ts';
import { pipelineContext } from '../../server/stripe/pipeline.ts';
import {
  buyPack,
  createReplayHarness,
  dashboardRefund,
  dispute,
  expectModel,
  newStory,
  replay,
  settle,
  stripeHangs,
  stripeUnreachable,
  subscribe,
  takeNewEvents,
  type Outage,
  type ReplayHarness,
  type StoryContext,
} from './replay.ts';

const SEED = Number(process.env.REPLAY_SEED ?? 20261205);

let h: ReplayHarness;
beforeAll(async () => {
  h = await createReplayHarness();
});
afterAll(async () => {
  h.t.deps.stripe = h.connection;
  await h?.close();
});

/** A subscriber disputes a renewal charge (lost) and gets a pack refunded from the Dashboard. */
async function story(ctx: StoryContext): Promise<void> {
  const sub = await subscribe(ctx, 'pro');
  const pack = await buyPack(ctx, 'starter');
  await dispute(ctx, sub.latest, 'lost');
  await dashboardRefund(ctx, pack, pack.amount, pack.credits);
}

const waitingForStripe = (h: ReplayHarness, events: Stripe.Event[]) =>
  h.prisma.stripeEvent.findMany({
    where: { id: { in: events.map((e) => e.id) }, status: { notIn: ['processed', 'ignored'] } },
    select: { type: true, status: true, cause: true },
  });

describe.each([
  ['unreachable (a refused port)', stripeUnreachable],
  ['hanging (a server that never answers)', stripeHangs],
] as const)('Stripe %s', (label, makeOutage) => {
  let outage: Outage;
  afterAll(async () => {
    h.t.deps.stripe = h.connection;
    await outage?.stop();
  });

  it('every delivery is answered 2xx with no Stripe call, and the job finishes once Stripe is back', async () => {
    const ctx = newStory(h, `outage_${label.split(' ')[0]}`);
    await story(ctx);
    // invoice_payment.paid never arrives: only Stripe can say which invoice the disputed charge paid.
    const events = (await takeNewEvents(h)).filter((e) => e.type !== 'invoice_payment.paid');
    outage = await makeOutage(h);
    h.t.deps.stripe = outage.connection;

    const report = await replay(h, events, { seed: SEED + label.length });
    expect(report.statuses.every((s) => s === 200)).toBe(true);
    // The answers did not wait on Stripe: not one request reached it while they were given.
    expect(outage.requests()).toBe(0);

    // One run of the retry job during the outage: it tries, fails fast (short timeout), and leaves
    // the dispute waiting (deferred, never failed).
    await processDueEvents(pipelineContext(h.t.deps), { now: new Date(Date.now() + 86_400_000), limit: 1000 });
    const waiting = await waitingForStripe(h, events);
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting.every((e) => e.status === 'deferred')).toBe(true);
    expect(waiting.map((e) => e.type)).toContain('charge.dispute.created');
    if (label.startsWith('hanging')) expect(outage.requests()).toBeGreaterThan(0);

    h.t.deps.stripe = h.connection;
    await settle(h);
    await expectModel(h, ctx.model, events);
  });
});

describe('no Stripe needed, no retries used up', () => {
  it('charge.refunded after refund.* is applied from our database while Stripe is down', async () => {
    const ctx = newStory(h, 'refund_then_charge');
    const pack = await buyPack(ctx, 'big');
    await dashboardRefund(ctx, pack, pack.amount, pack.credits);
    const events = await takeNewEvents(h);
    const chargeRefunded = events.filter((e) => e.type === 'charge.refunded');
    expect(chargeRefunded.length).toBe(1);
    for (const e of events.filter((x) => x.type !== 'charge.refunded')) await h.deliver(e);

    const outage = await stripeUnreachable(h);
    h.t.deps.stripe = outage.connection;
    try {
      const res = await h.deliver(chargeRefunded[0]!);
      expect(res.json()).toMatchObject({ status: 'processed' });
    } finally {
      h.t.deps.stripe = h.connection;
    }
    await expectModel(h, ctx.model, events);
  });

  it('a redelivery storm does not use up the retries of an event waiting for another', async () => {
    const ctx = newStory(h, 'storm');
    await subscribe(ctx, 'pro');
    const events = await takeNewEvents(h);
    // invoice_payment.paid arrives before the invoice.paid that records the payment, again and
    // again (Stripe redelivers): more arrivals than the event has retries.
    const linked = events.find((e) => e.type === 'invoice_payment.paid')!;
    for (let i = 0; i < MAX_PROCESSING_ATTEMPTS + 3; i++) {
      expect((await h.deliver(linked)).statusCode).toBe(200);
    }
    // The retry job's own attempt counts.
    await processDueEvents(pipelineContext(h.t.deps), { now: new Date(Date.now() + 86_400_000) });
    for (let i = 0; i < MAX_PROCESSING_ATTEMPTS; i++) await h.deliver(linked);
    const row = await h.prisma.stripeEvent.findUniqueOrThrow({ where: { id: linked.id } });
    expect(row).toMatchObject({ status: 'deferred', cause: 'invoice_not_seen_yet', attempts: 2 });
    expect(await h.prisma.eventProcessingAttempt.count({ where: { eventId: linked.id } })).toBeGreaterThan(
      2 * MAX_PROCESSING_ATTEMPTS,
    );

    await replay(h, events, { seed: SEED });
    await settle(h);
    await expectModel(h, ctx.model, events);
  });
});
