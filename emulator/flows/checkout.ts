// What happens when the customer pays on the hosted Checkout page. Events follow Stripe's order:
//   payment mode: [customer.created], payment_intent.created, charge.succeeded,
//     payment_intent.succeeded, checkout.session.completed (paid)
//   subscription mode: customer.created, customer.subscription.created, invoice.created,
//     invoice.finalized, payment_intent.created, charge.succeeded, payment_intent.succeeded,
//     invoice.paid, invoice.payment_succeeded, invoice_payment.paid,
//     customer.subscription.updated (active), checkout.session.completed (paid)
//   delayed methods: ... charge.pending, payment_intent.processing, checkout.session.completed
//     (unpaid); later charge.succeeded/failed, payment_intent.*, invoice.*,
//     checkout.session.async_payment_succeeded/failed
//   declined card: charge.failed, payment_intent.payment_failed; the session stays open.
// Events from the page's confirm call carry a request id and the page's idempotency key, as
// Stripe.js requests do; checkout.session.* events have no request (Stripe sends them itself).
import type Stripe from 'stripe';
import { STRIPE_ITSELF, type Emulator, type Origin } from '../emulator.ts';
import { newRequestId, newUuid } from '../ids.ts';
import { buildPaymentMethod, type CardDetails, type MethodKind } from '../objects/payment-method.ts';
import type { SessionInternals } from '../store.ts';
import { invalidRequest } from '../wire/errors.ts';
import { createCustomer } from './customers.ts';
import { attemptInvoicePayment, invoiceForPaymentIntent, markInvoiceFailed, markInvoicePaid } from './invoices.ts';
import { attemptPayment, createPaymentIntent, settleDelayedCharge, type AttemptMode } from './payments.ts';
import { activate, startSubscription } from './subscription-lifecycle.ts';

export const PAY_OUTCOMES = ['card_success', 'card_declined', 'delayed_success', 'delayed_failure'] as const;
export type PayOutcome = (typeof PAY_OUTCOMES)[number];

export interface PayOptions {
  email?: string | null;
  name?: string | null;
  /**
   * Delayed methods only: emulated seconds until the debit settles. 0 (default) settles right
   * after checkout.session.completed; null never settles on its own (use settlePayment).
   */
  settleAfterSeconds?: number | null;
  card?: CardDetails;
}

export interface PayResult {
  session: Stripe.Checkout.Session;
  payment_intent: Stripe.PaymentIntent | null;
  charge: Stripe.Charge | null;
  subscription: Stripe.Subscription | null;
  invoice: Stripe.Invoice | null;
  customer: Stripe.Customer | null;
  error: string | null;
}

function internalsOf(emu: Emulator, id: string): SessionInternals {
  return (
    emu.store.sessionInternals.get(id) ?? {
      paymentIntentMetadata: {},
      paymentIntentDescription: null,
      subscriptionMetadata: {},
      subscriptionDescription: null,
      invoiceMetadata: null,
      lastError: null,
    }
  );
}

function kindFor(outcome: PayOutcome): MethodKind {
  return outcome.startsWith('delayed') ? 'sepa_debit' : 'card';
}

function modeFor(outcome: PayOutcome): AttemptMode {
  if (outcome === 'card_declined') return 'decline';
  if (outcome === 'card_success') return 'succeed';
  return 'process';
}

function complete(
  emu: Emulator,
  session: Stripe.Checkout.Session,
  customer: Stripe.Customer | null,
  payer: { email: string | null; name: string | null },
  paid: boolean,
): void {
  session.status = 'complete';
  session.payment_status = paid ? 'paid' : 'unpaid';
  session.customer = customer?.id ?? null;
  session.customer_details = {
    address: null,
    business_name: null,
    email: payer.email,
    individual_name: null,
    name: payer.name,
    phone: null,
    tax_exempt: 'none',
    tax_ids: [],
  };
  emu.store.touch();
  emu.emit('checkout.session.completed', session, STRIPE_ITSELF);
}

export function payCheckoutSession(
  emu: Emulator,
  sessionId: string,
  outcome: PayOutcome,
  opts: PayOptions = {},
): PayResult {
  const session = emu.store.require('checkout.session', sessionId);
  if (session.status !== 'open') {
    throw invalidRequest(`This Checkout Session is ${session.status}; it can no longer be paid.`, 'session');
  }
  if (session.expires_at <= emu.now()) {
    expireSession(emu, session, STRIPE_ITSELF);
    throw invalidRequest('This Checkout Session has expired.', 'session');
  }
  const internals = internalsOf(emu, session.id);
  const page: Origin = { id: newRequestId(), idempotency_key: newUuid() };
  const existing = typeof session.customer === 'string' ? emu.store.require('customer', session.customer) : null;
  const payer = {
    email: opts.email ?? session.customer_email ?? existing?.email ?? 'customer@example.com',
    name: opts.name ?? existing?.name ?? null,
  };
  const result: PayResult = {
    session,
    payment_intent: null,
    charge: null,
    subscription: null,
    invoice: null,
    customer: existing,
    error: null,
  };
  const mode = modeFor(outcome);
  const declined = mode === 'decline';

  let customer = existing;
  const needsCustomer = session.mode === 'subscription' || session.customer_creation === 'always';
  if (!customer && needsCustomer && !declined) {
    customer = createCustomer(emu, { email: payer.email, name: payer.name }, page);
    result.customer = customer;
  }
  const pm = emu.store.insert(
    'payment_method',
    buildPaymentMethod(emu, kindFor(outcome), payer, customer?.id ?? null, opts.card),
  );

  if (session.mode === 'payment') {
    const pi =
      typeof session.payment_intent === 'string'
        ? emu.store.require('payment_intent', session.payment_intent)
        : createPaymentIntent(
            emu,
            {
              amount: session.amount_total ?? 0,
              currency: session.currency ?? 'usd',
              customer: customer?.id ?? null,
              description: internals.paymentIntentDescription,
              metadata: { ...internals.paymentIntentMetadata },
              payment_method_types: session.payment_method_types,
              receipt_email: null,
              setup_future_usage: internals.paymentIntentSetupFutureUsage ?? null,
            },
            page,
          );
    if (customer && !pi.customer) pi.customer = customer.id;
    session.payment_intent = pi.id;
    result.payment_intent = pi;
    result.charge = attemptPayment(emu, pi, pm, mode, page);
    if (pi.status === 'requires_payment_method') {
      internals.lastError = pi.last_payment_error?.message ?? 'Your card was declined.';
      emu.store.sessionInternals.set(session.id, internals);
      result.error = internals.lastError;
      return result;
    }
    // A card saved for later (setup_future_usage) becomes the customer's default, as Stripe's
    // dashboard shows it; off-session charges (automatic top-ups) use it.
    if (internals.paymentIntentSetupFutureUsage && customer && !('deleted' in customer)) {
      (customer as Stripe.Customer).invoice_settings.default_payment_method = pm.id;
      emu.store.touch();
    }
    complete(emu, session, customer, payer, pi.status === 'succeeded');
  } else {
    if (declined) {
      // Checkout checks the card before it creates the subscription: nothing is created and
      // the customer stays on the page.
      internals.lastError = 'Your card was declined.';
      emu.store.sessionInternals.set(session.id, internals);
      result.error = internals.lastError;
      return result;
    }
    const c = customer as Stripe.Customer;
    c.invoice_settings.default_payment_method = pm.id;
    const lines = emu.store.sessionLineItems.get(session.id) ?? [];
    const { sub, invoice } = startSubscription(
      emu,
      {
        customer: c,
        items: lines
          .filter((l) => l.price?.recurring)
          .map((l) => ({ price: l.price as Stripe.Price, quantity: l.quantity ?? 1 })),
        oneTimeItems: lines
          .filter((l) => l.price && !l.price.recurring)
          .map((l) => ({ price: l.price as Stripe.Price, quantity: l.quantity ?? 1 })),
        metadata: { ...internals.subscriptionMetadata },
        description: internals.subscriptionDescription,
        paymentMethod: pm.id,
      },
      page,
    );
    session.subscription = sub.id;
    session.invoice = invoice.id;
    result.subscription = sub;
    result.invoice = invoice;
    const { pi, charge } = attemptInvoicePayment(emu, invoice, pm, mode, page);
    result.payment_intent = pi;
    result.charge = charge;
    if (pi.status === 'succeeded') activate(emu, sub, page);
    complete(emu, session, c, payer, pi.status === 'succeeded');
  }

  if (mode === 'process') {
    const pi = result.payment_intent as Stripe.PaymentIntent;
    const settleOutcome = outcome === 'delayed_success' ? 'succeeded' : 'failed';
    const after = opts.settleAfterSeconds === undefined ? 0 : opts.settleAfterSeconds;
    if (after === 0) settlePayment(emu, pi.id, settleOutcome);
    else if (after !== null) {
      emu.clock.after(after, () => {
        const current = emu.store.get('payment_intent', pi.id);
        if (current?.status !== 'processing') return;
        try {
          settlePayment(emu, pi.id, settleOutcome);
        } catch (err) {
          emu.config.log.error({ err, payment_intent: pi.id }, 'stripe emulator: scheduled settlement failed');
        }
      });
    }
  }
  return result;
}

/**
 * Ends a processing (delayed) payment and everything waiting on it: the invoice and
 * subscription, and the Checkout Session's async_payment_* event.
 */
export function settlePayment(emu: Emulator, piId: string, outcome: 'succeeded' | 'failed'): Stripe.PaymentIntent {
  const pi = emu.store.require('payment_intent', piId);
  if (pi.status !== 'processing') {
    throw invalidRequest(
      `PaymentIntent ${pi.id} is ${pi.status}; only processing payments can settle.`,
      'payment_intent',
    );
  }
  const origin = STRIPE_ITSELF;
  settleDelayedCharge(emu, pi, outcome, origin);
  const invoice = invoiceForPaymentIntent(emu, pi.id);
  if (invoice) {
    const subId = invoice.parent?.subscription_details?.subscription;
    const sub = typeof subId === 'string' ? emu.store.get('subscription', subId) : undefined;
    if (outcome === 'succeeded') {
      markInvoicePaid(emu, invoice, pi, origin);
      if (sub) activate(emu, sub, origin);
    } else {
      markInvoiceFailed(emu, invoice, origin);
    }
  }
  const session = emu.store
    .all('checkout.session')
    .find((s) => s.payment_intent === pi.id || (invoice && s.invoice === invoice.id));
  if (session) {
    if (outcome === 'succeeded') session.payment_status = 'paid';
    emu.store.touch();
    emu.emit(
      outcome === 'succeeded' ? 'checkout.session.async_payment_succeeded' : 'checkout.session.async_payment_failed',
      session,
      origin,
    );
  }
  return pi;
}

export function expireSession(
  emu: Emulator,
  session: Stripe.Checkout.Session,
  origin: Origin,
): Stripe.Checkout.Session {
  if (session.status !== 'open') {
    throw invalidRequest('Only Checkout Sessions with a status in ["open"] can be expired.', 'session');
  }
  session.status = 'expired';
  session.url = null;
  emu.store.touch();
  emu.emit('checkout.session.expired', session, origin);
  return session;
}
