// A refund or dispute names a charge (and usually its payment intent) that matches none of our
// payments: typically a subscription charge whose invoice_payment.paid has not been applied (or
// never came). Stripe knows the way: charge -> payment intent -> invoice payments -> invoice, and
// the invoice is how we know subscription payments. Read-only prepare phase; the apply phase
// links the ids it finds (find-payment.ts).
import type { PrepareContext } from '../stripe-events/event-handler.ts';
import type { ChargeRef } from './find-payment.ts';
import { stripeForPrepare } from '../stripe-events/stripe-access.ts';

export async function resolveChargePayment(ctx: PrepareContext, ref: ChargeRef): Promise<ChargeRef | null> {
  const or = [
    ...(ref.chargeId ? [{ chargeId: ref.chargeId }] : []),
    ...(ref.paymentIntentId ? [{ paymentIntentId: ref.paymentIntentId }] : []),
  ];
  if (!or.length) return null;
  if (await ctx.prisma.payment.findFirst({ where: { OR: or }, select: { id: true } })) return null;
  const stripe = stripeForPrepare(ctx, `which invoice charge ${ref.chargeId ?? ref.paymentIntentId} paid`);
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
