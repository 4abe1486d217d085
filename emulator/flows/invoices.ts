// Subscription invoices: draft -> finalized (open) -> paid, or a failed attempt that leaves it
// open with a next attempt scheduled. Payments go through a PaymentIntent and an
// InvoicePayment, the 2026 way (invoice.payments instead of invoice.payment_intent).
import type Stripe from 'stripe';
import type { Emulator, Origin } from '../emulator.ts';
import { previousAttributes, snapshot } from '../objects/diff.ts';
import { buildInvoice, buildInvoicePayment, type InvoiceInput } from '../objects/invoice.ts';
import { invalidRequest } from '../wire/errors.ts';
import { attemptPayment, createPaymentIntent, type AttemptMode } from './payments.ts';

/** Stripe's default Smart Retries spacing for the next attempt after a failure. */
const NEXT_ATTEMPT_SECONDS = 3 * 86_400;

export function createInvoice(emu: Emulator, input: InvoiceInput, origin: Origin): Stripe.Invoice {
  const inv = emu.store.insert('invoice', buildInvoice(emu, input));
  emu.emit('invoice.created', inv, origin);
  return inv;
}

export function finalizeInvoice(emu: Emulator, inv: Stripe.Invoice, origin: Origin): void {
  const customer = emu.store.require('customer', String(inv.customer));
  const now = emu.now();
  inv.status = 'open';
  inv.number = `${customer.invoice_prefix}-${String(customer.next_invoice_sequence ?? 1).padStart(4, '0')}`;
  customer.next_invoice_sequence = (customer.next_invoice_sequence ?? 1) + 1;
  inv.status_transitions.finalized_at = now;
  inv.effective_at = now;
  inv.automatically_finalizes_at = null;
  inv.hosted_invoice_url = `${emu.baseUrl}/invoices/${inv.id}`;
  inv.invoice_pdf = `${emu.baseUrl}/invoices/${inv.id}/pdf`;
  emu.emit('invoice.finalized', inv, origin);
}

/** The PaymentIntent behind an invoice, created on the first attempt. */
export function invoicePaymentIntent(emu: Emulator, inv: Stripe.Invoice, origin: Origin): Stripe.PaymentIntent {
  const existing = emu.store
    .all('invoice_payment')
    .find((p) => p.invoice === inv.id && p.status === 'open' && p.payment.type === 'payment_intent');
  const piId = existing?.payment.payment_intent;
  if (typeof piId === 'string') return emu.store.require('payment_intent', piId);
  const pi = createPaymentIntent(
    emu,
    {
      amount: inv.amount_due,
      currency: inv.currency,
      customer: typeof inv.customer === 'string' ? inv.customer : null,
      description: inv.billing_reason === 'subscription_create' ? 'Subscription creation' : 'Subscription update',
      metadata: {},
      payment_method_types: ['card', 'sepa_debit'],
    },
    origin,
  );
  emu.store.insert('invoice_payment', buildInvoicePayment(emu, inv, pi.id));
  return pi;
}

export function markInvoicePaid(emu: Emulator, inv: Stripe.Invoice, pi: Stripe.PaymentIntent, origin: Origin): void {
  const now = emu.now();
  inv.status = 'paid';
  inv.amount_paid = inv.amount_due;
  inv.amount_remaining = 0;
  inv.next_payment_attempt = null;
  inv.status_transitions.paid_at = now;
  const payment = emu.store
    .all('invoice_payment')
    .find((p) => p.invoice === inv.id && p.payment.payment_intent === pi.id);
  if (payment) {
    payment.status = 'paid';
    payment.amount_paid = inv.amount_due;
    payment.status_transitions.paid_at = now;
  }
  emu.emit('invoice.paid', inv, origin);
  emu.emit('invoice.payment_succeeded', inv, origin);
  if (payment) emu.emit('invoice_payment.paid', payment, origin);
}

export function markInvoiceFailed(emu: Emulator, inv: Stripe.Invoice, origin: Origin): void {
  inv.next_payment_attempt = inv.attempt_count < 4 ? emu.now() + NEXT_ATTEMPT_SECONDS : null;
  emu.emit('invoice.payment_failed', inv, origin);
}

/**
 * One payment attempt on an open invoice. `process` leaves the invoice open while a delayed
 * debit settles (see settleInvoicePayment). Returns the PaymentIntent and charge (null when
 * there was no payment method to charge).
 */
export function attemptInvoicePayment(
  emu: Emulator,
  inv: Stripe.Invoice,
  pm: Stripe.PaymentMethod | null,
  mode: AttemptMode,
  origin: Origin,
): { pi: Stripe.PaymentIntent; charge: Stripe.Charge | null } {
  if (inv.status !== 'open')
    throw invalidRequest(`Invoice is already ${inv.status}.`, 'invoice', 'invoice_not_editable');
  const pi = invoicePaymentIntent(emu, inv, origin);
  inv.attempted = true;
  inv.attempt_count += 1;
  if (!pm) {
    markInvoiceFailed(emu, inv, origin);
    return { pi, charge: null };
  }
  const charge = attemptPayment(emu, pi, pm, mode, origin);
  if (pi.status === 'succeeded') markInvoicePaid(emu, inv, pi, origin);
  else if (pi.status === 'requires_payment_method') markInvoiceFailed(emu, inv, origin);
  return { pi, charge };
}

export function invoiceForPaymentIntent(emu: Emulator, piId: string): Stripe.Invoice | undefined {
  const payment = emu.store.all('invoice_payment').find((p) => p.payment.payment_intent === piId);
  return payment ? emu.store.get('invoice', String(payment.invoice)) : undefined;
}

/** Emits customer.subscription.updated if `mutate` changed the subscription. */
export function updateSubscription(
  emu: Emulator,
  sub: Stripe.Subscription,
  origin: Origin,
  mutate: (s: Stripe.Subscription) => void,
): void {
  const before = snapshot(sub);
  mutate(sub);
  const prev = previousAttributes(before, sub);
  if (prev) {
    emu.store.touch();
    emu.emit('customer.subscription.updated', sub, origin, prev);
  }
}
