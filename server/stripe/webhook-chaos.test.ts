// Chaos: a generated Stripe history for many customers (pack purchases, delayed payments,
// subscription starts, renewals, a failed renewal that recovers, upgrades, dashboard refunds,
// disputes won and lost) is delivered shuffled, with duplicates, with concurrent duplicate
// deliveries, and with the first processing attempt of many events failing (before and after the
// handler ran, so the transaction rolls back). After the retry sweep the ledger must equal the one
// computed from the history alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unix } from '../../test/stripe/builders.ts';
import { createWebhookHarness, type WebhookHarness } from '../../test/stripe/harness.ts';
import { compareEntries, generateHistory, rng, type History } from '../../test/stripe/history.ts';
import type { EventHandler, HandlerMap } from '../modules/stripe-events/event-handler.ts';
import { processDueEvents } from '../modules/stripe-events/process-due-events.ts';
import { verifyLedger } from '../modules/ledger/verify-ledger.ts';
import { stripeHandlers } from './handlers/index.ts';
import { pipelineContext } from './pipeline.ts';

const SEED = Number(process.env.CHAOS_SEED ?? 20261121);
const CUSTOMERS = 40;
const SENDERS = 8;

/** Fails the first attempt of chosen events: half before the handler runs, half after it wrote. */
function flakyHandlers(failOnce: Map<string, 'before' | 'after'>): HandlerMap {
  const wrapped: Record<string, EventHandler<unknown, unknown>> = {};
  for (const [type, handler] of Object.entries(stripeHandlers) as Array<[string, EventHandler<unknown, unknown>]>) {
    wrapped[type] = {
      ...handler,
      async apply(tx, input) {
        const id = input.event.id;
        if (failOnce.get(id) === 'before' && failOnce.delete(id))
          throw new Error('injected failure before the handler');
        const outcome = await handler.apply(tx, input);
        // Consumed only once the handler succeeded (it may defer first, waiting for another event).
        if (failOnce.get(id) === 'after' && failOnce.delete(id)) {
          throw new Error('injected failure after the handler wrote (rolled back)');
        }
        return outcome;
      },
    };
  }
  return wrapped as HandlerMap;
}

let h: WebhookHarness;
let history: History;
const failOnce = new Map<string, 'before' | 'after'>();
const flaky = flakyHandlers(failOnce);
let injected = 0;
let sent = 0;

beforeAll(async () => {
  h = await createWebhookHarness({ handlers: flaky });
  history = generateHistory({ customers: CUSTOMERS, seed: SEED, start: unix(Date.now()) - 6 * 3600 });
});
afterAll(async () => {
  await h?.close();
});

describe(`chaos delivery (seed ${SEED})`, () => {
  it('delivers the shuffled history with duplicates, concurrency and failing first attempts', async () => {
    const r = rng(SEED);
    for (const e of history.events) if (r.chance(0.3)) failOnce.set(e.id as string, r.chance(0.5) ? 'before' : 'after');
    injected = failOnce.size;
    // Units of delivery: most events once, some twice later on, some as a burst of concurrent copies.
    const units: Array<{ event: Record<string, unknown>; copies: number }> = [];
    for (const e of history.events) {
      units.push({ event: e, copies: r.chance(0.2) ? r.int(2, 4) : 1 });
      if (r.chance(0.3)) units.push({ event: e, copies: 1 });
    }
    const queue = r.shuffle(units);
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: SENDERS }, async () => {
        for (let unit = queue.shift(); unit; unit = queue.shift()) {
          const responses = await Promise.all(Array.from({ length: unit.copies }, () => h.deliver(unit.event)));
          for (const res of responses) statuses.push(res.statusCode);
          sent += unit.copies;
        }
      }),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(injected).toBeGreaterThan(history.events.length / 5);
    const fired = injected - failOnce.size;
    expect(fired).toBeGreaterThan(injected / 2);
    expect(await h.prisma.eventProcessingAttempt.count({ where: { outcome: 'error' } })).toBe(fired);
    // Thousands of deliveries on a 2-core machine: 20-30 s alone, over a minute while the rest of the
    // suite runs beside it; the default 60 s limit would fail a correct run.
  }, 180_000);

  it('the retry sweep settles every event', async () => {
    // The sweep runs the same (flaky) handlers as the route: injected failures may fire here too.
    const ctx = pipelineContext(h.t.deps, flaky);
    for (let round = 0; round < 40; round++) {
      const results = await processDueEvents(ctx, { now: new Date(Date.now() + 365 * 86_400_000), limit: 1000 });
      if (!results.length) break;
    }
    const unsettled = await h.prisma.stripeEvent.findMany({
      where: { status: { notIn: ['processed', 'ignored'] } },
      select: { id: true, type: true, status: true, lastError: true },
    });
    expect(unsettled).toEqual([]);
    // Failures still pending after the deliveries fired during the sweep, and were recorded too.
    expect(failOnce.size).toBe(0);
    expect(await h.prisma.eventProcessingAttempt.count({ where: { outcome: 'error' } })).toBe(injected);
    expect(await h.prisma.stripeEvent.count()).toBe(history.events.length);
    expect(await h.prisma.webhookDelivery.count()).toBe(sent);
    expect(await h.prisma.webhookDelivery.count({ where: { duplicate: false } })).toBe(history.events.length);
  });

  it('ends with exactly the ledger the history implies, for every customer', async () => {
    expect(await verifyLedger(h.prisma)).toEqual([]);
    for (const model of history.expected) {
      const customer = await h.prisma.customer.findUniqueOrThrow({ where: { externalId: model.userId } });
      const entries = await h.prisma.ledgerEntry.findMany({ where: { customerId: customer.id, credits: { not: 0 } } });
      const actual = entries.map((e) => [e.type, e.credits] as [string, number]).sort(compareEntries);
      expect({ user: model.userId, entries: actual, balance: customer.balance }).toEqual({
        user: model.userId,
        entries: model.entries,
        balance: model.balance,
      });
      expect({ user: model.userId, plan: customer.planKey ?? 'free' }).toEqual({
        user: model.userId,
        plan: model.plan,
      });
      for (const p of model.payments) {
        const payment = await h.prisma.payment.findFirstOrThrow({
          where: { OR: [{ checkoutSessionId: p.ref }, { invoiceId: p.ref }] },
        });
        expect({ ref: p.ref, status: payment.status, amountRefunded: payment.amountRefunded }).toEqual(p);
      }
      for (const d of model.disputes) {
        const row = await h.prisma.dispute.findUniqueOrThrow({ where: { id: d.id }, include: { payment: true } });
        expect(row.status).toBe(d.outcome);
        const lot = await h.prisma.creditLot.findUniqueOrThrow({ where: { id: row.payment?.lotId as string } });
        if (d.outcome === 'won') expect(lot.frozen).toBe(false);
        else expect(lot.remaining).toBe(0);
      }
      const subs = await h.prisma.subscription.findMany({ where: { customerId: customer.id } });
      for (const s of subs)
        expect({ id: s.id, status: s.status, graceUntil: s.graceUntil }).toEqual({
          id: s.id,
          status: 'active',
          graceUntil: null,
        });
    }
  });

  it('the generated history covers every scenario', () => {
    const types = new Set(history.events.map((e) => e.type));
    for (const t of [
      'checkout.session.completed',
      'checkout.session.async_payment_succeeded',
      'invoice.paid',
      'invoice.payment_failed',
      'customer.subscription.updated',
      'refund.created',
      'charge.refunded',
      'charge.dispute.closed',
    ]) {
      expect(types).toContain(t);
    }
    const outcomes = history.expected.flatMap((c) => c.disputes.map((d) => d.outcome));
    expect(outcomes).toContain('won');
    expect(outcomes).toContain('lost');
  });
});
