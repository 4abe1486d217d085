// Shared by invoice.paid / invoice.payment_succeeded / invoice.payment_failed.
import type Stripe from 'stripe';
import { applyInvoicePaid } from '../../modules/billing/apply-invoice-paid.ts';
import { applyInvoicePaymentFailed } from '../../modules/billing/apply-invoice-payment-failed.ts';
import type { EventHandler } from '../../modules/stripe-events/event-handler.ts';
import { rereadUnknownSubscription } from '../../modules/billing/find-subscription-for-invoice.ts';
import { invoiceFacts } from '../../modules/billing/invoice-facts.ts';
import { ids, userKey } from './lock-keys.ts';

type Reread = Awaited<ReturnType<typeof rereadUnknownSubscription>>;

function base(): Pick<EventHandler<Stripe.Invoice, Reread>, 'lockKeys' | 'prepare'> {
  return {
    lockKeys: (invoice) => {
      const facts = invoiceFacts(invoice);
      return [
        ...ids(invoice.id, facts.subscriptionId, invoice.customer, facts.paymentIntentId),
        userKey(facts.subscriptionMetadata?.user_id),
      ];
    },
    prepare: (ctx, invoice) => rereadUnknownSubscription(ctx, invoiceFacts(invoice).subscriptionId),
  };
}

export function invoicePaidHandler(): EventHandler<Stripe.Invoice, Reread> {
  return {
    ...base(),
    apply: (tx, { object, event, actor, now, prepared }) =>
      applyInvoicePaid(tx, { invoice: object, event, actor, now, reread: prepared }),
  };
}

export function invoicePaymentFailedHandler(): EventHandler<Stripe.Invoice, Reread> {
  return {
    ...base(),
    apply: (tx, { object, event, now, prepared }) =>
      applyInvoicePaymentFailed(tx, { invoice: object, event, now, reread: prepared }),
  };
}
