// What an invoice says in API 2026-10-28.endive, where the links moved: the subscription is under
// parent.subscription_details, the payment under payments[], the price under lines[].pricing.
import type Stripe from 'stripe';
import { stripeId } from './resolve-event-customer.ts';
import type { PriceSeen } from '../stripe-events/unknown-price.ts';

export interface InvoiceFacts {
  subscriptionId: string | null;
  /** Snapshot of the subscription's metadata at finalization (carries our user_id). */
  subscriptionMetadata: Record<string, string> | null;
  priceId: string | null;
  /** What the line says about that price (amount, currency, product), for an unknown-price cause. */
  priceSeen: PriceSeen;
  periodStart: Date | null;
  periodEnd: Date | null;
  paymentIntentId: string | null;
  chargeId: string | null;
}

export function invoiceFacts(invoice: Stripe.Invoice): InvoiceFacts {
  const details = invoice.parent?.subscription_details ?? null;
  const lines = invoice.lines?.data ?? [];
  const line = lines.find((l) => l.pricing?.price_details?.price) ?? lines[0];
  const price = line?.pricing?.price_details?.price ?? null;
  const payment = invoice.payments?.data?.find((p) => p.is_default) ?? invoice.payments?.data?.[0];
  return {
    subscriptionId: stripeId(details?.subscription ?? null),
    subscriptionMetadata: details?.metadata ?? null,
    priceId: stripeId(price),
    priceSeen: {
      amount: line?.amount ?? null,
      currency: line?.currency ?? invoice.currency ?? null,
      productId: line?.pricing?.price_details?.product ?? null,
      productName: line?.description ?? null,
      priceType: 'recurring',
    },
    periodStart: line?.period?.start ? new Date(line.period.start * 1000) : null,
    periodEnd: line?.period?.end ? new Date(line.period.end * 1000) : null,
    paymentIntentId: stripeId(payment?.payment?.payment_intent ?? null),
    chargeId: stripeId(payment?.payment?.charge ?? null),
  };
}
