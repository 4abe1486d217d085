// What the demo seed uses to play, against the Stripe emulator, everyone a real Stripe account
// hears from: the product's backend (customers, Checkout Sessions through the service API's
// module, usage), the paying customer (the hosted page), the bank (renewals, delayed debits,
// disputes) and Stripe's Dashboard (refunds). Webhooks reach the app over HTTP, signed, exactly as
// in production; nothing here writes what a webhook would have written.
//
// Every action first looks at Stripe's (or the ledger's) state and does only what is missing, so
// a seed that stopped half-way resumes and a second run changes nothing. An order is found again
// by its success URL (`?order=<key>`), the way a product ties a Checkout Session to its own order.
import type Stripe from 'stripe';
import type { Deps } from '../deps.ts';
import { loadEmulatorDriver, type EmulatorDriver } from '../dev/emulator-loader.ts';
import type { Customer } from '../generated/prisma/client.ts';
import type { Actor } from '../lib/actor.ts';
import { createCheckoutSession } from '../modules/billing/create-checkout-session.ts';
import { processDueEvents } from '../modules/stripe-events/process-due-events.ts';
import { rereadSubscriptions } from '../modules/billing/reread-subscriptions.ts';
import { ensureCustomer } from '../modules/customers/ensure-customer.ts';
import { expireLot } from '../modules/ledger/expire-lots.ts';
import { grantCredits } from '../modules/ledger/grant-credits.ts';
import { recordUsage } from '../modules/ledger/record-usage.ts';
import { reverseUsage } from '../modules/ledger/reverse-usage.ts';
import { pipelineContext } from '../stripe/pipeline.ts';

/** The emulator's control API, as far as the seed uses it (its EmulatorDriver, loaded lazily). */
export type EmulatorControl = Pick<
  EmulatorDriver,
  | 'payCheckoutSession'
  | 'advanceSubscription'
  | 'retryInvoice'
  | 'openDispute'
  | 'closeDispute'
  | 'refundFromDashboard'
  | 'suppressEvent'
  | 'removeFault'
  | 'waitForIdle'
  | 'flushDeliveries'
>;

export interface DemoPerson {
  /** The product's own user id (Customer.externalId). */
  externalId: string;
  email: string;
  name: string;
  /** The card they pay with; people who share a fingerprint share a card. */
  card?: { last4: string; brand: string; fingerprint?: string };
}

export type PayWith = 'card_success' | 'delayed_pending';

export interface Order {
  session: Stripe.Checkout.Session;
  paymentIntentId: string | null;
  chargeId: string | null;
  subscriptionId: string | null;
  invoiceId: string | null;
}

export const SEED_ACTOR: Actor = { type: 'system', id: 'demo-seed' };
/** The product's backend calling the service API (usage, customers). */
const PRODUCT_BACKEND: Actor = { type: 'service', id: 'demo-product-backend' };
export const ORDER_URL = 'https://ai-product.demo.example/billing/success?order=';
const CANCEL_URL = 'https://ai-product.demo.example/billing/cancel';
/** Generous on a busy 2-core machine; a healthy seed waits a few hundred milliseconds at most. */
const IDLE_TIMEOUT_MS = 60_000;
const DAY_MS = 86_400_000;

const idOf = (v: string | { id: string } | null | undefined): string | null =>
  typeof v === 'string' ? v : (v?.id ?? null);

export class DemoStripe {
  private sessions: Map<string, Stripe.Checkout.Session> | null = null;

  constructor(
    readonly deps: Deps,
    readonly stripe: Stripe,
    readonly driver: EmulatorControl,
  ) {}

  /** Null without the emulator: the Stripe history is only ever played against it. */
  static async connect(deps: Deps): Promise<DemoStripe | { skipped: string }> {
    if (!deps.stripe) return { skipped: 'no Stripe connection (`npm start` seeds the Stripe history)' };
    if (deps.stripe.mode !== 'emulator') {
      return { skipped: `real Stripe keys (${deps.stripe.mode} mode): no demo payments are made in a real account` };
    }
    // Through the dev loader, as in server/stripe/client.ts: production never loads the emulator's code.
    const EmulatorDriver = await loadEmulatorDriver();
    return new DemoStripe(
      deps,
      deps.stripe.client,
      EmulatorDriver.fromStripe(deps.stripe.client, deps.stripe.emulatorControlToken),
    );
  }

  get db() {
    return this.deps.prisma;
  }

  /** The product's backend registers its user (PUT /api/v1/customers/:externalId). */
  customer(p: DemoPerson): Promise<Customer> {
    return ensureCustomer(this.db, { externalId: p.externalId, email: p.email, name: p.name });
  }

  /** A product and one price for it, found by the product's id and the price's lookup key. */
  async price(input: {
    productId: string;
    name: string;
    lookupKey: string;
    amount: number;
    interval?: 'month' | 'year';
  }): Promise<Stripe.Price> {
    const found = await this.stripe.prices.list({ lookup_keys: [input.lookupKey], limit: 1 });
    if (found.data[0]) return found.data[0];
    try {
      await this.stripe.products.retrieve(input.productId);
    } catch {
      await this.stripe.products.create({ id: input.productId, name: input.name });
    }
    return this.stripe.prices.create({
      product: input.productId,
      currency: 'eur',
      unit_amount: input.amount,
      lookup_key: input.lookupKey,
      nickname: input.name,
      ...(input.interval ? { recurring: { interval: input.interval } } : {}),
    });
  }

  /** Every Checkout Session in the emulator by its order key, read once per seed run. */
  private async orders(): Promise<Map<string, Stripe.Checkout.Session>> {
    if (this.sessions) return this.sessions;
    const byOrder = new Map<string, Stripe.Checkout.Session>();
    for await (const s of this.stripe.checkout.sessions.list({ limit: 100 })) {
      if (s.success_url?.startsWith(ORDER_URL)) byOrder.set(s.success_url.slice(ORDER_URL.length), s);
    }
    this.sessions = byOrder;
    return byOrder;
  }

  /** The product's checkout for a pack or a plan (createCheckoutSession, as POST /api/v1/checkout-sessions). */
  order(
    p: DemoPerson,
    key: string,
    item: { pack: string } | { plan: string },
    opts: { payWith?: PayWith; suppressCompletion?: boolean } = {},
  ): Promise<Order> {
    return this.placeOrder(
      p,
      key,
      async () => {
        const created = await createCheckoutSession(
          { prisma: this.db, stripe: this.stripe },
          { customerId: p.externalId, ...item, successUrl: ORDER_URL + key, cancelUrl: CANCEL_URL },
        );
        return this.stripe.checkout.sessions.retrieve(created.id);
      },
      opts,
    );
  }

  /** A Checkout Session made outside the product (a payment link, a marketing page, a new price). */
  foreignOrder(
    p: DemoPerson,
    key: string,
    params: Omit<Stripe.Checkout.SessionCreateParams, 'success_url' | 'cancel_url'>,
    opts: { payWith?: PayWith } = {},
  ): Promise<Order> {
    return this.placeOrder(
      p,
      key,
      () => this.stripe.checkout.sessions.create({ ...params, success_url: ORDER_URL + key, cancel_url: CANCEL_URL }),
      opts,
    );
  }

  private async placeOrder(
    p: DemoPerson,
    key: string,
    create: () => Promise<Stripe.Checkout.Session>,
    opts: { payWith?: PayWith; suppressCompletion?: boolean },
  ): Promise<Order> {
    const orders = await this.orders();
    let session = orders.get(key) ?? null;
    if (!session) {
      session = await create();
      orders.set(key, session);
    }
    if (session.status === 'open') {
      // Stripe will never deliver this session's completion: the "paid, no credits" case.
      const fault = opts.suppressCompletion
        ? await this.driver.suppressEvent({ type: 'checkout.session.completed', object: session.id })
        : null;
      try {
        const paid = await this.driver.payCheckoutSession(
          session.id,
          opts.payWith === 'delayed_pending' ? 'delayed_success' : 'card_success',
          {
            email: p.email,
            name: p.name,
            ...(p.card ? { card: p.card } : {}),
            // A SEPA debit the bank has not confirmed yet (and will not, until someone settles it).
            ...(opts.payWith === 'delayed_pending' ? { settleAfterSeconds: null } : {}),
          },
        );
        if (paid.error) throw new Error(`demo seed: paying ${session.id} for ${p.email} failed: ${paid.error}`);
        await this.idle();
      } finally {
        if (fault) await this.driver.removeFault(fault.id);
      }
    }
    const current = await this.stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
    orders.set(key, current);
    const pi = typeof current.payment_intent === 'object' ? current.payment_intent : null;
    return {
      session: current,
      paymentIntentId: idOf(current.payment_intent),
      chargeId: idOf(pi?.latest_charge),
      subscriptionId: idOf(current.subscription),
      invoiceId: idOf(current.invoice),
    };
  }

  /** Ends billing periods until the subscription has `invoices` invoices (the first one included). */
  async renew(subscriptionId: string, invoices: number, outcome: 'paid' | 'failed' = 'paid'): Promise<Stripe.Invoice> {
    let list = await this.invoicesOf(subscriptionId);
    while (list.length < invoices) {
      await this.driver.advanceSubscription(subscriptionId, { outcome });
      await this.idle();
      list = await this.invoicesOf(subscriptionId);
    }
    return list[invoices - 1]!;
  }

  /** Another attempt on an unpaid invoice, this time paid (the customer updated their card). */
  async recover(invoice: Stripe.Invoice): Promise<void> {
    const current = await this.stripe.invoices.retrieve(invoice.id!);
    if (current.status !== 'open') return;
    await this.driver.retryInvoice(current.id!, 'paid');
    await this.idle();
  }

  /** Oldest first. */
  private async invoicesOf(subscriptionId: string): Promise<Stripe.Invoice[]> {
    const all: Stripe.Invoice[] = [];
    for await (const inv of this.stripe.invoices.list({ subscription: subscriptionId, limit: 100 })) all.push(inv);
    return all.sort((a, b) => a.created - b.created || (a.number ?? '').localeCompare(b.number ?? ''));
  }

  /** A refund made in Stripe's Dashboard, outside the app, up to `amount` refunded in total. */
  async dashboardRefund(
    chargeId: string,
    amount: number,
    reason: 'requested_by_customer' | 'duplicate' = 'requested_by_customer',
  ): Promise<void> {
    const charge = await this.stripe.charges.retrieve(chargeId);
    if (charge.amount_refunded >= amount) return;
    await this.driver.refundFromDashboard(chargeId, amount - charge.amount_refunded, { reason });
    await this.idle();
  }

  /** The card holder's bank opens a dispute on the charge (once); optionally the bank decides it. */
  async dispute(chargeId: string, reason: string, decision?: 'won' | 'lost'): Promise<Stripe.Dispute> {
    let dispute = (await this.stripe.disputes.list({ charge: chargeId, limit: 1 })).data[0];
    if (!dispute) {
      dispute = await this.driver.openDispute(chargeId, reason);
      await this.idle();
    }
    if (decision && dispute.status !== 'won' && dispute.status !== 'lost') {
      dispute = await this.driver.closeDispute(dispute.id, decision);
      await this.idle();
    }
    return dispute;
  }

  /** One use reported by the product (POST /api/v1/usage); replays under the same key. */
  use(
    p: DemoPerson,
    key: string,
    feature: string,
    metadata: Record<string, string>,
    credits?: number,
  ): Promise<unknown> {
    return recordUsage(this.db, {
      externalId: p.externalId,
      feature,
      idempotencyKey: `demo:${p.externalId}:${key}`,
      ...(credits !== undefined ? { credits } : {}),
      metadata,
      actor: PRODUCT_BACKEND,
    });
  }

  /** The product gives a failed generation's credits back (POST /api/v1/usage/:key/reverse). */
  reverse(p: DemoPerson, key: string, reason: string): Promise<unknown> {
    return reverseUsage(this.db, { idempotencyKey: `demo:${p.externalId}:${key}`, reason, actor: PRODUCT_BACKEND });
  }

  /**
   * Welcome credits granted at sign-up that ran out before being used: a free lot whose expiry
   * has passed, expired the way the credit-expiry job does it. Dates hang on the customer's
   * creation, so a re-run replays the same grant.
   */
  async expiredWelcome(customer: Customer, credits: number): Promise<void> {
    const grant = await grantCredits(this.db, {
      customerId: customer.id,
      credits,
      type: 'grant',
      source: 'promo',
      costBasis: 'free',
      expiresAt: new Date(customer.createdAt.getTime() - DAY_MS),
      idempotencyKey: `demo:${customer.externalId}:welcome`,
      reason: 'Welcome credits (valid 14 days)',
      actor: SEED_ACTOR,
    });
    await expireLot(this.db, { lotId: grant.lot.id, reason: 'Welcome credits expired' });
  }

  /** Waits until the emulator has delivered everything it is sending (each is applied before its 2xx). */
  async idle(): Promise<void> {
    if (!(await this.driver.waitForIdle({ timeoutMs: IDLE_TIMEOUT_MS }))) {
      throw new Error(`demo seed: the Stripe emulator was still delivering webhooks after ${IDLE_TIMEOUT_MS / 1000} s`);
    }
  }

  /**
   * Nothing in flight on either side: deliveries that failed get their retries now (instead of
   * after Stripe's backoff), and events our pipeline deferred are tried now (instead of by the
   * retry job's schedule). Bounded: an event that keeps failing stays for support to see.
   */
  async settle(): Promise<{ rounds: number; stillDue: string[] }> {
    const ctx = pipelineContext(this.deps);
    let rounds = 0;
    for (; rounds < 5; rounds++) {
      await this.idle();
      const flushed = await this.driver.flushDeliveries();
      await this.idle();
      // "Now" a day ahead: every deferred retry is due, and events stored but never attempted count
      // as orphaned (nothing is in flight any more).
      const due = await processDueEvents(ctx, { now: new Date(Date.now() + DAY_MS) });
      // The subscription-reread job's work too: same-second contradictions re-read from Stripe.
      const reread = await rereadSubscriptions({ prisma: this.db, stripe: ctx.stripe });
      if (!flushed.flushed && !due.length && !reread.length) break;
    }
    const stillDue = await this.db.stripeEvent.findMany({
      where: { status: { in: ['received', 'deferred'] } },
      select: { id: true },
    });
    return { rounds, stillDue: stillDue.map((e) => e.id) };
  }
}
