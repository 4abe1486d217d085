// The payment's charge as Stripe sees it now: its id (Creditdesk may only know the payment intent,
// or for an invoice neither: the invoice's InvoicePayment names them) and what was already refunded
// on it, so a refund made in Stripe's dashboard counts before its webhook arrives and the refundable
// balance is never overstated.
import type Stripe from 'stripe';
import type { Payment } from '../../generated/prisma/client.ts';
import { AppError } from '../../lib/app-error.ts';
import { stripeId } from '../billing/resolve-event-customer.ts';

export interface StripeChargeView {
  chargeId: string | null;
  paymentIntentId: string | null;
  amountRefunded: number;
}

type PaymentIds = Pick<Payment, 'chargeId' | 'paymentIntentId' | 'invoiceId'>;

export async function readStripeCharge(stripe: Stripe | null, payment: PaymentIds): Promise<StripeChargeView | null> {
  if (!stripe) return null;
  try {
    if (payment.chargeId) {
      const charge = await stripe.charges.retrieve(payment.chargeId);
      return {
        chargeId: charge.id,
        paymentIntentId: stripeId(charge.payment_intent),
        amountRefunded: charge.amount_refunded,
      };
    }
    let pi = payment.paymentIntentId;
    if (!pi && payment.invoiceId) {
      const paid = await stripe.invoicePayments.list({ invoice: payment.invoiceId, status: 'paid', limit: 10 });
      const first = paid.data.find((p) => p.payment?.payment_intent || p.payment?.charge);
      const charge = stripeId(first?.payment?.charge ?? null);
      if (charge) return readStripeCharge(stripe, { chargeId: charge, paymentIntentId: null, invoiceId: null });
      pi = stripeId(first?.payment?.payment_intent ?? null);
    }
    if (!pi) return null;
    const intent = await stripe.paymentIntents.retrieve(pi, { expand: ['latest_charge'] });
    const charge = intent.latest_charge && typeof intent.latest_charge === 'object' ? intent.latest_charge : null;
    return { chargeId: charge?.id ?? null, paymentIntentId: intent.id, amountRefunded: charge?.amount_refunded ?? 0 };
  } catch (err) {
    throw new AppError(
      'STRIPE_ERROR',
      `Could not read the charge from Stripe (${(err as Error).message}). Nothing was changed; retry in a moment.`,
    );
  }
}

/** The payment's ids, completed with what Stripe told (Creditdesk's own win when both know). */
export function withStripeIds<T extends Pick<Payment, 'chargeId' | 'paymentIntentId'>>(
  payment: T,
  view: StripeChargeView | null,
): T {
  return {
    ...payment,
    chargeId: payment.chargeId ?? view?.chargeId ?? null,
    paymentIntentId: payment.paymentIntentId ?? view?.paymentIntentId ?? null,
  };
}
