// Stream replay on real PostgreSQL. A scenario plays a customer's story on the Stripe emulator
// (Checkout by card, renewals, Dashboard refunds, disputes...), which records every event exactly
// as it would send them, and states the outcome it expects: a MODEL of the ledger, plan and
// entitlements written from the story alone. The recorded stream is then delivered to the app
// shuffled with a seeded generator, each event 1-3 times (some copies concurrently; events of one
// Stripe action share their `created` second), the retry job settles what was deferred, and the
// result must equal the model. The app's Stripe connection can be swapped meanwhile ("Stripe
// unreachable", "Stripe hangs") to prove the webhook answer never waits on Stripe's API.
//
// Adding a scenario: write a function (ctx) => Promise<void> with the `story` helpers below (each
// helper drives the emulator and updates the model), and add it to a test's list.
import { createServer, type Server, type Socket } from 'node:net';
import type Stripe from 'stripe';
import { expect } from 'vitest';
import type { StripeConnection } from '../../server/deps.ts';
import { createCheckoutSession } from '../../server/modules/billing/create-checkout-session.ts';
import { processDueEvents } from '../../server/modules/stripe-events/process-due-events.ts';
import { rereadSubscriptions } from '../../server/modules/billing/reread-subscriptions.ts';
import type { ProcessResult } from '../../server/modules/stripe-events/process-event.ts';
import { ensureCustomer } from '../../server/modules/customers/ensure-customer.ts';
import { spendableCredits } from '../../server/modules/entitlements/check-access.ts';
import { verifyLedger } from '../../server/modules/ledger/verify-ledger.ts';
import { pipelineContext } from '../../server/stripe/pipeline.ts';
import { createEmulatorHarness, type CatalogKey, type EmulatorHarness } from './emulator-harness.ts';
import { compareEntries, rng } from './history.ts';

export const PACKS = { starter: { credits: 500, amount: 900 }, big: { credits: 2000, amount: 2900 } } as const;
export const PLANS = { pro: { credits: 1000, amount: 1900 }, max: { credits: 5000, amount: 4900 } } as const;

/** What a customer's story must end in, written from the story alone. */
export interface Model {
  userId: string;
  /** Non-zero ledger movements [type, credits] (freezes and releases move 0 credits). */
  entries: Array<[string, number]>;
  /** Effective plan key at the end ('free' = the catalog default). */
  plan: string;
  /** Credits a draw could take: unfrozen, unexpired lots. */
  available: number;
  /** Stripe refunds recorded for the customer [stripe id, status, creditsClawedBack]. */
  refunds: Array<[string, string, number]>;
  /** Disputes recorded for the customer (Disputes page, win rate, auto-block) [id, status, outcome]. */
  disputes: Array<[string, string, string | null]>;
  /** Payments [stripe reference, status, amountRefunded], reference = Checkout Session or invoice id. */
  payments: Array<[string, string, number]>;
}

export interface ReplayHarness extends EmulatorHarness {
  /** The app's own Stripe connection (the emulator), to restore after an outage variant. */
  connection: StripeConnection;
  seen: Set<string>;
}

export async function createReplayHarness(): Promise<ReplayHarness> {
  // As a server runs: the catalog kept in memory under a live change feed.
  const h = await createEmulatorHarness({ changeFeed: true });
  const connection = h.t.deps.stripe as StripeConnection;
  const replay: ReplayHarness = { ...h, connection, seen: new Set() };
  await takeNewEvents(replay); // the catalog set-up is not part of any story
  return replay;
}

/** Events the emulator recorded since the last call, oldest first (Stripe lists newest first). */
export async function takeNewEvents(h: ReplayHarness): Promise<Stripe.Event[]> {
  const fresh: Stripe.Event[] = [];
  for await (const e of h.stripe.events.list({ limit: 100 })) {
    if (h.seen.has(e.id)) continue;
    h.seen.add(e.id);
    fresh.push(e);
  }
  return fresh.reverse();
}

// ---------------------------------------------------------------------------------------------
// Stories: each helper plays one thing on the emulator and writes its expected effect in the model.

export interface StoryContext {
  h: ReplayHarness;
  model: Model;
  email: string;
}

export function newStory(h: ReplayHarness, name: string): StoryContext {
  const userId = `replay_${name}_${Math.random().toString(36).slice(2, 8)}`;
  return {
    h,
    email: `${userId}@example.com`,
    model: { userId, entries: [], plan: 'free', available: 0, refunds: [], disputes: [], payments: [] },
  };
}

async function checkout(ctx: StoryContext, what: { pack: CatalogKey } | { plan: CatalogKey }) {
  const { h, model } = ctx;
  await ensureCustomer(h.prisma, { externalId: model.userId, email: ctx.email });
  const session = await createCheckoutSession(
    { prisma: h.prisma, stripe: h.stripe },
    { customerId: model.userId, ...what, successUrl: 'https://app.example/ok', cancelUrl: 'https://app.example/no' },
  );
  const paid = await h.driver.payCheckoutSession(session.id, 'card_success', { email: ctx.email });
  if (paid.error) throw new Error(`emulator refused to pay ${session.id}: ${paid.error}`);
  return paid;
}

export interface Purchase {
  ref: string;
  chargeId: string;
  paymentIntentId: string;
  credits: number;
  amount: number;
}

/** A credit pack bought by card through Checkout. */
export async function buyPack(ctx: StoryContext, key: keyof typeof PACKS): Promise<Purchase> {
  const paid = await checkout(ctx, { pack: key });
  const { credits, amount } = PACKS[key];
  ctx.model.entries.push(['purchase', credits]);
  ctx.model.available += credits;
  ctx.model.payments.push([paid.session.id, 'paid', 0]);
  return { ref: paid.session.id, chargeId: paid.charge!.id, paymentIntentId: paid.payment_intent!.id, credits, amount };
}

export interface Subscribed {
  subscriptionId: string;
  plan: keyof typeof PLANS;
  /** The latest paid invoice's purchase (its charge carries the period's credits). */
  latest: Purchase;
}

async function chargeOfInvoice(h: ReplayHarness, invoiceId: string): Promise<{ charge: string; pi: string }> {
  const payments = await h.stripe.invoicePayments.list({ invoice: invoiceId, limit: 10 });
  const paid = payments.data.find((p) => p.status === 'paid');
  const pi = paid?.payment.payment_intent;
  const piId = typeof pi === 'string' ? pi : pi?.id;
  if (!piId) throw new Error(`invoice ${invoiceId} has no paid payment intent`);
  const intent = await h.stripe.paymentIntents.retrieve(piId);
  const charge = typeof intent.latest_charge === 'string' ? intent.latest_charge : intent.latest_charge?.id;
  if (!charge) throw new Error(`payment intent ${piId} has no charge`);
  return { charge, pi: piId };
}

/** The period's credits of a paid subscription invoice, expected in the model. */
async function periodPaid(ctx: StoryContext, plan: keyof typeof PLANS, invoiceId: string): Promise<Purchase> {
  const { credits, amount } = PLANS[plan];
  ctx.model.entries.push(['subscription_grant', credits]);
  ctx.model.available += credits;
  ctx.model.payments.push([invoiceId, 'paid', 0]);
  const { charge, pi } = await chargeOfInvoice(ctx.h, invoiceId);
  return { ref: invoiceId, chargeId: charge, paymentIntentId: pi, credits, amount };
}

/** A plan bought through Checkout (subscription mode), first invoice paid by card. */
export async function subscribe(ctx: StoryContext, plan: keyof typeof PLANS): Promise<Subscribed> {
  const paid = await checkout(ctx, { plan });
  const invoiceId = paid.invoice?.id ?? (paid.subscription?.latest_invoice as string);
  ctx.model.plan = plan;
  const latest = await periodPaid(ctx, plan, invoiceId);
  return { subscriptionId: paid.subscription!.id, plan, latest };
}

/** The bank renews the subscription: `paid` at once, `failed then paid` after a retry, or `never paid`. */
export async function renew(ctx: StoryContext, sub: Subscribed, outcome: 'paid' | 'failed_then_paid' | 'never_paid') {
  const advanced = await ctx.h.driver.advanceSubscription(sub.subscriptionId, {
    outcome: outcome === 'paid' ? 'paid' : 'failed',
  });
  const invoice = advanced.invoice;
  if (!invoice?.id) throw new Error(`renewal of ${sub.subscriptionId} made no invoice`);
  if (outcome === 'failed_then_paid') await ctx.h.driver.retryInvoice(invoice.id, 'paid');
  if (outcome === 'never_paid') {
    // The open invoice is recorded as a failed payment; the customer keeps the plan during grace.
    ctx.model.payments.push([invoice.id, 'failed', 0]);
    return;
  }
  sub.latest = await periodPaid(ctx, sub.plan, invoice.id);
}

/** A refund made in Stripe's Dashboard; `credits` is what the model expects to be clawed back. */
export async function dashboardRefund(ctx: StoryContext, p: Purchase, amount: number, credits: number) {
  const refund = await ctx.h.driver.refundFromDashboard(p.chargeId, amount);
  const refunded = (ctx.model.payments.find(([ref]) => ref === p.ref)?.[2] ?? 0) + amount;
  setPayment(ctx, p.ref, refunded >= p.amount ? 'refunded' : 'partially_refunded', refunded);
  if (credits) ctx.model.entries.push(['refund_clawback', -credits]);
  ctx.model.available -= credits;
  ctx.model.refunds.push([refund.id, 'succeeded', credits]);
  return refund;
}

/** A chargeback opened by the bank, then decided: won releases the frozen credits, lost claws back. */
export async function dispute(ctx: StoryContext, p: Purchase, outcome: 'won' | 'lost' | 'open', remaining = p.credits) {
  const opened = await ctx.h.driver.openDispute(p.chargeId, 'fraudulent');
  if (outcome === 'open') {
    ctx.model.available -= remaining;
    ctx.model.disputes.push([opened.id, 'needs_response', null]);
    return opened;
  }
  await ctx.h.driver.closeDispute(opened.id, outcome);
  if (outcome === 'lost' && remaining > 0) {
    ctx.model.entries.push(['dispute_clawback', -remaining]);
    ctx.model.available -= remaining;
  }
  ctx.model.disputes.push([opened.id, outcome, outcome]);
  return opened;
}

/**
 * A mid-period plan change billed at once (`proration_behavior=always_invoice`, billing_reason
 * `subscription_update`). An upgrade grants the prorated difference of the period's credits once:
 * floor((new plan's credits - old plan's) x time left / the period), time left being the proration
 * line's period; a downgrade grants nothing and takes nothing back. Either way the plan changes.
 */
export async function changePlan(ctx: StoryContext, sub: Subscribed, to: keyof typeof PLANS) {
  const { h, model } = ctx;
  const item = (await h.stripe.subscriptions.retrieve(sub.subscriptionId)).items.data[0]!;
  const updated = await h.stripe.subscriptions.update(sub.subscriptionId, {
    items: [{ id: item.id, price: h.prices[to] }],
    proration_behavior: 'always_invoice',
  });
  const invoice = await h.stripe.invoices.retrieve(String(updated.latest_invoice));
  if (invoice.billing_reason !== 'subscription_update' || invoice.status !== 'paid') {
    throw new Error(
      `plan change of ${sub.subscriptionId} left ${invoice.id} ${invoice.status} (${invoice.billing_reason})`,
    );
  }
  const remaining = invoice.lines.data.find((l) => l.amount > 0)?.period;
  const diff = PLANS[to].credits - PLANS[sub.plan].credits;
  const period = item.current_period_end - item.current_period_start;
  const credits = diff > 0 && remaining ? Math.floor((diff * (remaining.end - remaining.start)) / period) : 0;
  if (credits) {
    model.entries.push(['subscription_grant', credits]);
    model.available += credits;
  }
  model.payments.push([invoice.id, 'paid', 0]);
  model.plan = to;
  sub.plan = to;
  if (!invoice.amount_paid) return { invoice, credits, purchase: null };
  const { charge, pi } = await chargeOfInvoice(h, invoice.id);
  const purchase: Purchase = {
    ref: invoice.id,
    chargeId: charge,
    paymentIntentId: pi,
    credits,
    amount: invoice.amount_paid,
  };
  return { invoice, credits, purchase };
}

/** Cancel at period end, then the period ends: back to the free plan (credits stay until they expire). */
export async function cancelAtPeriodEnd(ctx: StoryContext, sub: Subscribed) {
  await ctx.h.driver.cancelSubscription(sub.subscriptionId, { atPeriodEnd: true });
  await ctx.h.driver.advanceSubscription(sub.subscriptionId);
  ctx.model.plan = 'free';
}

function setPayment(ctx: StoryContext, ref: string, status: string, refunded: number) {
  const row = ctx.model.payments.find(([r]) => r === ref);
  if (!row) throw new Error(`model: no payment ${ref}`);
  row[1] = status;
  row[2] = refunded;
}

// ---------------------------------------------------------------------------------------------
// Delivery.

export interface ReplayOptions {
  seed: number;
  /** Parallel senders (Stripe delivers many events at once). */
  senders?: number;
  /** false: deliver in the stream's order, one sender (copies still 1-3, some concurrent). */
  shuffle?: boolean;
}

export interface ReplayReport {
  deliveries: number;
  statuses: number[];
  /** Pairs of distinct events sharing a `created` second in the stream (must be > 0 to mean anything). */
  sameSecondPairs: number;
}

/** Delivers the stream shuffled; each event 1-3 times, the copies of some sent concurrently. */
export async function replay(h: ReplayHarness, events: Stripe.Event[], options: ReplayOptions): Promise<ReplayReport> {
  const r = rng(options.seed);
  const units: Array<{ event: Stripe.Event; copies: number }> = [];
  for (const e of events) {
    const copies = r.int(1, 3);
    if (copies > 1 && r.chance(0.5))
      units.push({ event: e, copies }); // a concurrent burst
    else for (let i = 0; i < copies; i++) units.push({ event: e, copies: 1 });
  }
  const ordered = options.shuffle === false;
  const queue = ordered ? units : r.shuffle(units);
  const statuses: number[] = [];
  let deliveries = 0;
  await Promise.all(
    Array.from({ length: ordered ? 1 : (options.senders ?? 4) }, async () => {
      for (let unit = queue.shift(); unit; unit = queue.shift()) {
        const { event, copies } = unit;
        const responses = await Promise.all(Array.from({ length: copies }, () => h.deliver(event)));
        deliveries += copies;
        for (const res of responses) statuses.push(res.statusCode);
      }
    }),
  );
  const seconds = new Map<number, number>();
  for (const e of events) seconds.set(e.created, (seconds.get(e.created) ?? 0) + 1);
  const sameSecondPairs = [...seconds.values()].reduce((sum, n) => sum + (n * (n - 1)) / 2, 0);
  return { deliveries, statuses, sameSecondPairs };
}

/** The background jobs (event retry, subscription re-read), run until nothing is due ("now" far
 * ahead so every backoff has elapsed). */
export async function settle(h: ReplayHarness, rounds = 20): Promise<ProcessResult[]> {
  const all: ProcessResult[] = [];
  for (let i = 0; i < rounds; i++) {
    const ctx = pipelineContext(h.t.deps);
    const results = await processDueEvents(ctx, { now: new Date(Date.now() + 30 * 86_400_000), limit: 1000 });
    await rereadSubscriptions({ prisma: h.prisma, stripe: ctx.stripe });
    all.push(...results);
    if (!results.length || results.every((res) => res.status !== 'deferred' && res.status !== 'received')) break;
  }
  return all;
}

/** Events not settled (deferred, received or failed), with their errors, for a readable failure. */
export async function unsettledEvents(h: ReplayHarness, events?: Stripe.Event[]) {
  return h.prisma.stripeEvent.findMany({
    where: { status: { notIn: ['processed', 'ignored'] }, ...(events ? { id: { in: events.map((e) => e.id) } } : {}) },
    select: { id: true, type: true, status: true, lastError: true },
  });
}

/** What the database says about the model's customer, in the model's shape. */
export async function actualOf(h: ReplayHarness, model: Model): Promise<Model> {
  const customer = await h.prisma.customer.findUniqueOrThrow({ where: { externalId: model.userId } });
  const [entries, refunds, disputes, payments] = await Promise.all([
    h.prisma.ledgerEntry.findMany({ where: { customerId: customer.id, credits: { not: 0 } } }),
    h.prisma.refund.findMany({ where: { customerId: customer.id } }),
    h.prisma.dispute.findMany({ where: { customerId: customer.id } }),
    h.prisma.payment.findMany({ where: { customerId: customer.id } }),
  ]);
  return {
    userId: model.userId,
    entries: entries.map((e) => [e.type, e.credits] as [string, number]).sort(compareEntries),
    plan: customer.planKey ?? 'free',
    available: await spendableCredits(h.prisma, customer.id),
    refunds: refunds
      .map((x) => [x.stripeRefundId ?? '', x.status, x.creditsClawedBack] as [string, string, number])
      .sort(),
    disputes: disputes.map((d) => [d.id, d.status, d.outcome] as [string, string, string | null]).sort(),
    payments: payments
      .map((p) => [p.checkoutSessionId ?? p.invoiceId ?? '', p.status, p.amountRefunded] as [string, string, number])
      .sort(),
  };
}

export function sortedModel(model: Model): Model {
  return {
    ...model,
    entries: [...model.entries].sort(compareEntries),
    refunds: [...model.refunds].sort(),
    disputes: [...model.disputes].sort(),
    payments: [...model.payments].sort(),
  };
}

/** The whole check: nothing left unsettled, ledger consistent, model met. */
export async function expectModel(h: ReplayHarness, model: Model, events?: Stripe.Event[]): Promise<void> {
  expect(await unsettledEvents(h, events)).toEqual([]);
  expect(await verifyLedger(h.prisma)).toEqual([]);
  expect(await actualOf(h, model)).toEqual(sortedModel(model));
}

/**
 * The stream with the refund's own events forced into one order around `charge.refunded`:
 * `refund_first` puts every charge.refunded after all refund.* / charge.refund.* events,
 * `charge_first` before them. Everything else keeps its place.
 */
export function forceRefundOrder(events: Stripe.Event[], order: 'refund_first' | 'charge_first'): Stripe.Event[] {
  const isRefund = (e: Stripe.Event) => e.type.startsWith('refund.') || e.type.startsWith('charge.refund.');
  const charge = events.filter((e) => e.type === 'charge.refunded');
  const refunds = events.filter(isRefund);
  const rest = events.filter((e) => e.type !== 'charge.refunded' && !isRefund(e));
  if (!charge.length || !refunds.length) throw new Error('forceRefundOrder: the stream has no refund');
  return [...rest, ...(order === 'refund_first' ? [...refunds, ...charge] : [...charge, ...refunds])];
}

export type Story = (ctx: StoryContext) => Promise<unknown>;

/**
 * Plays `story` on the emulator, delivers the recorded stream (`reorder` first, then shuffled
 * unless told otherwise, each event 1-3 times), settles the background jobs and checks the model.
 */
export async function playStory(
  h: ReplayHarness,
  name: string,
  story: Story,
  options: ReplayOptions & { reorder?: (events: Stripe.Event[]) => Stripe.Event[] },
): Promise<{ ctx: StoryContext; events: Stripe.Event[]; report: ReplayReport }> {
  const ctx = newStory(h, name.replace(/\W+/g, '_'));
  await story(ctx);
  const recorded = await takeNewEvents(h);
  const events = options.reorder ? options.reorder(recorded) : recorded;
  const report = await replay(h, events, options);
  expect(report.statuses.every((s) => s === 200)).toBe(true);
  expect(report.deliveries).toBeGreaterThan(events.length); // some events arrived more than once
  await settle(h);
  await expectModel(h, ctx.model, events);
  return { ctx, events, report };
}

// ---------------------------------------------------------------------------------------------
// Stripe outages for the app's connection (the story keeps driving the emulator directly).

export interface Outage {
  connection: StripeConnection;
  /** Requests that reached the outage's server (always 0 for a refused port). */
  requests(): number;
  stop(): Promise<void>;
}

/** The SDK pointed at `port` on loopback with a short timeout: the pipeline's Stripe, broken. */
function brokenConnection(h: ReplayHarness, port: number): StripeConnection {
  const StripeCtor = h.stripe.constructor as new (key: string, config: Stripe.StripeConfig) => Stripe;
  const client = new StripeCtor('sk_test_outage', {
    host: '127.0.0.1',
    port,
    protocol: 'http',
    timeout: 500,
    maxNetworkRetries: 0,
    telemetry: false,
  });
  return { ...h.connection, client, pipelineClient: client };
}

/** A loopback port where nothing listens: every call is refused at once. */
export async function stripeUnreachable(h: ReplayHarness): Promise<Outage> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { connection: brokenConnection(h, port), requests: () => 0, stop: async () => {} };
}

/** A server that accepts connections and never answers. */
export async function stripeHangs(h: ReplayHarness): Promise<Outage> {
  const sockets = new Set<Socket>();
  let requests = 0;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('data', () => requests++);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    connection: brokenConnection(h, port),
    requests: () => requests,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
