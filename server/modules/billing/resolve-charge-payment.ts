// A refund or dispute names a charge (and usually its payment intent) that matches none of our
// payments: typically a subscription charge whose invoice_payment.paid has not been applied (or
// never came). Stripe knows the way: charge -> payment intent -> invoice payments -> invoice, and
// the invoice is how we know subscription payments. Read-only prepare phase; the apply phase
// links the ids it finds (find-payment.ts).
import type { PrepareContext } from '../stripe-events/event-handler.ts';
import type { ChargeRef } from './find-payment.ts';
import { stripeForPrepare } from '../stripe-events/stripe-access.ts';
import type { EventCause } from '../../contracts/event-causes.ts';
import { DeferEventError, StripeNeededError } from '../stripe-events/event-errors.ts';

export async function resolveChargePayment(ctx: PrepareContext, ref: ChargeRef): Promise<ChargeRef | null> {
  const or = [
    ...(ref.chargeId ? [{ chargeId: ref.chargeId }] : []),
    ...(ref.paymentIntentId ? [{ paymentIntentId: ref.paymentIntentId }] : []),
  ];
  // Without Stripe there is nobody to ask: the apply phase finds the payment or waits for it.
  if (!or.length || !ctx.stripe) return null;
  const task = `which invoice charge ${ref.chargeId ?? ref.paymentIntentId} paid`;
  // Answering a webhook, Stripe is never called: the apply phase reads the payment in the event's
  // transaction anyway, so it decides there (unknownPaymentError) instead of a read here first.
  if (ctx.inline) return { ...ref, askStripe: task };
  if (await ctx.prisma.payment.findFirst({ where: { OR: or }, select: { id: true } })) return null;
  const stripe = stripeForPrepare(ctx, task);
  if (!stripe) return null;
  let paymentIntentId = ref.paymentIntentId;
  if (!paymentIntentId && ref.chargeId) {
    const charge = await stripe.charges.retrieve(ref.chargeId);
    paymentIntentId =
      typeof charge.payment_intent === 'string' ? charge.payment_intent : (charge.payment_intent?.id ?? null);
  }
  if (!paymentIntentId) return null;
  const payments = await stripe.invoicePayments.list({
    payment: { type: 'payment_intent', payment_intent: paymentIntentId },
    limit: 10,
  });
  const paid = payments.data.find((p) => p.status === 'paid') ?? payments.data[0];
  const invoice = paid?.invoice;
  const invoiceId = typeof invoice === 'string' ? invoice : (invoice?.id ?? null);
  return { chargeId: ref.chargeId, paymentIntentId, invoiceId };
}

/** A charge-level object (refund, dispute) whose payment is unknown: when the lookup was left to
 * the apply phase (a webhook answer), Stripe is asked in the background (the event is deferred,
 * due at once); otherwise the event waits for the payment's own event (`cause`). */
export function unknownPaymentError(resolved: ChargeRef | null | undefined, cause: EventCause): DeferEventError {
  return resolved?.askStripe ? new StripeNeededError(resolved.askStripe) : new DeferEventError(cause);
}
