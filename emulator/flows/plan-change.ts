// A mid-period plan change with `proration_behavior=always_invoice`: Stripe invoices the
// difference at once (billing_reason `subscription_update`) with two proration lines over
// [change, period end], "Unused time on <old>" (negative) and "Remaining time on <new>", and
// charges the default payment method. A downgrade's invoice totals <= 0: nothing is charged, it
// is paid at 0 (Stripe credits the customer balance, which the emulator does not model).
import type Stripe from 'stripe';
import type { Emulator, Origin } from '../emulator.ts';
import type { InvoiceLineInput } from '../objects/invoice.ts';
import { attemptInvoicePayment, createInvoice, finalizeInvoice, updateSubscription } from './invoices.ts';
import { activate, lineDescription, paymentMethodFor } from './subscription-lifecycle.ts';

export interface PriceChange {
  item: string;
  from: Stripe.Price;
  to: Stripe.Price;
  quantity: number;
}

function prorate(price: Stripe.Price, quantity: number, left: number, period: number): number {
  return Math.round(((price.unit_amount ?? 0) * quantity * left) / period);
}

export function invoicePlanChange(
  emu: Emulator,
  sub: Stripe.Subscription,
  changes: PriceChange[],
  origin: Origin,
): Stripe.Invoice | null {
  const first = sub.items.data[0];
  if (!changes.length || !first) return null;
  const now = emu.now();
  const { current_period_start: start, current_period_end: end } = first;
  const period = Math.max(1, end - start);
  const left = Math.max(0, end - now);
  const date = new Date(now * 1000).toISOString().slice(0, 10);
  const lines: InvoiceLineInput[] = changes.flatMap((c) => [
    {
      price: c.from,
      quantity: c.quantity,
      period: { start: now, end },
      subscriptionItem: c.item,
      description: `Unused time on ${lineDescription(emu, c.from, c.quantity)} after ${date}`,
      prorated: -prorate(c.from, c.quantity, left, period),
    },
    {
      price: c.to,
      quantity: c.quantity,
      period: { start: now, end },
      subscriptionItem: c.item,
      description: `Remaining time on ${lineDescription(emu, c.to, c.quantity)} after ${date}`,
      prorated: prorate(c.to, c.quantity, left, period),
    },
  ]);
  const customer = emu.store.require('customer', String(sub.customer));
  const invoice = createInvoice(
    emu,
    {
      customer,
      currency: sub.currency,
      subscription: sub,
      billingReason: 'subscription_update',
      lines,
      periodStart: now,
      periodEnd: now,
      metadata: {},
    },
    origin,
  );
  if (invoice.total < 0) {
    invoice.amount_due = 0;
    invoice.amount_remaining = 0;
  }
  updateSubscription(emu, sub, origin, (s) => {
    s.latest_invoice = invoice.id;
  });
  finalizeInvoice(emu, invoice, origin);
  if (invoice.amount_due === 0) {
    invoice.status = 'paid';
    invoice.status_transitions.paid_at = now;
    emu.emit('invoice.paid', invoice, origin);
    emu.emit('invoice.payment_succeeded', invoice, origin);
    return invoice;
  }
  const { pi } = attemptInvoicePayment(emu, invoice, paymentMethodFor(emu, sub), 'succeed', origin);
  if (pi.status === 'succeeded') activate(emu, sub, origin);
  return invoice;
}
