// A subscription's life: started (incomplete until its first invoice is paid), renewed each
// period (paid, or failed -> past_due), retried, canceled now or at period end.
import type Stripe from 'stripe';
import { addInterval } from '../clock.ts';
import { STRIPE_ITSELF, type Emulator, type Origin } from '../emulator.ts';
import { buildInvoice, type InvoiceLineInput } from '../objects/invoice.ts';
import { buildSubscription } from '../objects/subscription.ts';
import { invalidRequest } from '../wire/errors.ts';
import { attemptInvoicePayment, createInvoice, finalizeInvoice, updateSubscription } from './invoices.ts';
import type { AttemptMode } from './payments.ts';

export function nextPeriodEnd(start: number, price: Stripe.Price): number {
  const r = price.recurring;
  if (!r) throw invalidRequest(`Price ${price.id} is not recurring.`, 'price');
  return addInterval(start, r.interval as 'day' | 'week' | 'month' | 'year', r.interval_count);
}

export function paymentMethodFor(emu: Emulator, sub: Stripe.Subscription): Stripe.PaymentMethod | null {
  const customer = emu.store.get('customer', String(sub.customer));
  const id =
    (typeof sub.default_payment_method === 'string' ? sub.default_payment_method : null) ??
    (typeof customer?.invoice_settings.default_payment_method === 'string'
      ? customer.invoice_settings.default_payment_method
      : null);
  return id ? (emu.store.get('payment_method', id) ?? null) : null;
}

export interface StartInput {
  customer: Stripe.Customer;
  items: Array<{ price: Stripe.Price; quantity: number }>;
  oneTimeItems: Array<{ price: Stripe.Price; quantity: number }>;
  metadata: Record<string, string>;
  description: string | null;
  paymentMethod: string | null;
}

/** Creates the subscription (incomplete) and its finalized first invoice. */
export function startSubscription(
  emu: Emulator,
  input: StartInput,
  origin: Origin,
): { sub: Stripe.Subscription; invoice: Stripe.Invoice } {
  const first = input.items[0];
  if (!first) throw invalidRequest('Missing required param: items.', 'items');
  const start = emu.now();
  const end = nextPeriodEnd(start, first.price);
  const sub = emu.store.insert(
    'subscription',
    buildSubscription(emu, {
      customer: input.customer.id,
      currency: first.price.currency,
      items: input.items,
      metadata: input.metadata,
      description: input.description,
      defaultPaymentMethod: input.paymentMethod,
      periodStart: start,
      periodEnd: end,
    }),
  );
  const lines: InvoiceLineInput[] = [
    ...sub.items.data.map((si) => ({
      price: si.price,
      quantity: si.quantity ?? 1,
      period: { start, end },
      subscriptionItem: si.id,
      description: lineDescription(emu, si.price, si.quantity ?? 1),
    })),
    ...input.oneTimeItems.map((i) => ({
      price: i.price,
      quantity: i.quantity,
      period: { start, end: start },
      subscriptionItem: null,
      description: lineDescription(emu, i.price, i.quantity),
    })),
  ];
  // The first invoice exists when the subscription is created (latest_invoice is set on
  // customer.subscription.created), though its own event follows.
  const invoice = emu.store.insert(
    'invoice',
    buildInvoice(emu, {
      customer: input.customer,
      currency: sub.currency,
      subscription: sub,
      billingReason: 'subscription_create',
      lines,
      periodStart: start,
      periodEnd: start,
      metadata: {},
    }),
  );
  sub.latest_invoice = invoice.id;
  emu.emit('customer.subscription.created', sub, origin);
  emu.emit('invoice.created', invoice, origin);
  finalizeInvoice(emu, invoice, origin);
  return { sub, invoice };
}

export function lineDescription(emu: Emulator, price: Stripe.Price, quantity: number): string {
  const product = emu.store.get('product', String(price.product));
  const amount = ((price.unit_amount ?? 0) / 100).toFixed(2);
  const per = price.recurring ? ` / ${price.recurring.interval}` : '';
  return `${quantity} × ${product?.name ?? 'Item'} (at ${price.currency.toUpperCase()} ${amount}${per})`;
}

/** incomplete / past_due -> active after an invoice is paid. */
export function activate(emu: Emulator, sub: Stripe.Subscription, origin: Origin): void {
  if (sub.status === 'active' || sub.status === 'canceled') return;
  updateSubscription(emu, sub, origin, (s) => {
    s.status = 'active';
  });
}

/** After a failed renewal attempt, an active subscription is past_due. */
export function markPastDue(emu: Emulator, sub: Stripe.Subscription, origin: Origin): void {
  if (sub.status !== 'active') return;
  updateSubscription(emu, sub, origin, (s) => {
    s.status = 'past_due';
  });
}

export function cancelSubscriptionNow(
  emu: Emulator,
  sub: Stripe.Subscription,
  origin: Origin,
  reason: Stripe.Subscription.CancellationDetails.Reason,
  extra: { comment?: string | null; feedback?: Stripe.Subscription.CancellationDetails.Feedback | null } = {},
): Stripe.Subscription {
  if (sub.status === 'canceled') {
    throw invalidRequest(`No such subscription: '${sub.id}'`, 'id', 'resource_missing');
  }
  const now = emu.now();
  sub.status = 'canceled';
  sub.canceled_at = sub.canceled_at ?? now;
  sub.ended_at = now;
  sub.cancellation_details = {
    comment: extra.comment ?? sub.cancellation_details?.comment ?? null,
    feedback: extra.feedback ?? sub.cancellation_details?.feedback ?? null,
    feedback_option: null,
    reason,
  };
  emu.store.touch();
  emu.emit('customer.subscription.deleted', sub, origin);
  return sub;
}

export function scheduleCancel(emu: Emulator, sub: Stripe.Subscription, atPeriodEnd: boolean, origin: Origin): void {
  const end = sub.items.data[0]?.current_period_end ?? null;
  updateSubscription(emu, sub, origin, (s) => {
    s.cancel_at_period_end = atPeriodEnd;
    s.cancel_at = atPeriodEnd ? end : null;
    s.canceled_at = atPeriodEnd ? emu.now() : null;
    s.cancellation_details = {
      comment: null,
      feedback: null,
      feedback_option: null,
      reason: atPeriodEnd ? 'cancellation_requested' : null,
    };
  });
}

export type RenewalOutcome = 'paid' | 'failed';

/**
 * Moves the subscription into its next period, as Stripe does when a period ends: a
 * `subscription_cycle` invoice is created, finalized and charged to the default payment method.
 * A subscription set to cancel at period end is canceled instead.
 */
export function advanceSubscription(
  emu: Emulator,
  sub: Stripe.Subscription,
  outcome: RenewalOutcome,
): { sub: Stripe.Subscription; invoice: Stripe.Invoice | null } {
  const origin = STRIPE_ITSELF;
  if (sub.status === 'canceled' || sub.status === 'incomplete_expired') {
    throw invalidRequest(`Subscription ${sub.id} is ${sub.status}; it has no next period.`, 'subscription');
  }
  if (sub.status === 'incomplete') {
    throw invalidRequest(
      `Subscription ${sub.id} is incomplete: its first invoice is unpaid, so it has no next period yet.`,
      'subscription',
    );
  }
  if (sub.cancel_at_period_end) {
    return { sub: cancelSubscriptionNow(emu, sub, origin, 'cancellation_requested'), invoice: null };
  }
  const oldStart = sub.items.data[0]?.current_period_start ?? emu.now();
  const start = sub.items.data[0]?.current_period_end ?? emu.now();
  const customer = emu.store.require('customer', String(sub.customer));
  const lines: InvoiceLineInput[] = sub.items.data.map((si) => ({
    price: si.price,
    quantity: si.quantity ?? 1,
    period: { start, end: nextPeriodEnd(start, si.price) },
    subscriptionItem: si.id,
    description: lineDescription(emu, si.price, si.quantity ?? 1),
  }));
  const invoice = createInvoice(
    emu,
    {
      customer,
      currency: sub.currency,
      subscription: sub,
      billingReason: 'subscription_cycle',
      lines,
      // A renewal invoice's own period is the period that just ended; lines carry the new one.
      periodStart: oldStart,
      periodEnd: start,
      metadata: {},
    },
    origin,
  );
  updateSubscription(emu, sub, origin, (s) => {
    for (const si of s.items.data) {
      si.current_period_start = start;
      si.current_period_end = nextPeriodEnd(start, si.price);
    }
    s.latest_invoice = invoice.id;
  });
  finalizeInvoice(emu, invoice, origin);
  const mode: AttemptMode = outcome === 'paid' ? 'succeed' : 'decline';
  const { pi } = attemptInvoicePayment(emu, invoice, paymentMethodFor(emu, sub), mode, origin);
  if (pi.status === 'succeeded') activate(emu, sub, origin);
  else markPastDue(emu, sub, origin);
  return { sub, invoice };
}

/** Another attempt on an open invoice (Smart Retries, or the customer updating their card). */
export function retryInvoice(
  emu: Emulator,
  invoice: Stripe.Invoice,
  outcome: RenewalOutcome,
  origin: Origin,
): Stripe.Invoice {
  const subId = invoice.parent?.subscription_details?.subscription;
  const sub = typeof subId === 'string' ? emu.store.get('subscription', subId) : undefined;
  const customer = emu.store.require('customer', String(invoice.customer));
  const pmId = sub ? paymentMethodFor(emu, sub)?.id : customer.invoice_settings.default_payment_method;
  const pm = typeof pmId === 'string' ? (emu.store.get('payment_method', pmId) ?? null) : null;
  const { pi } = attemptInvoicePayment(emu, invoice, pm, outcome === 'paid' ? 'succeed' : 'decline', origin);
  if (sub && pi.status === 'succeeded') activate(emu, sub, origin);
  if (sub && pi.status !== 'succeeded') markPastDue(emu, sub, origin);
  return invoice;
}
