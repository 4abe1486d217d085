// charge.refunded carries the charge, not the refund: the refunds inside it (when Stripe included
// them, or as listed from Stripe in the prepare phase) are applied one by one through applyRefund,
// so this event and refund.created/updated about the same refund converge on one Refund row and
// one clawback. When refund.* events already applied every refund the charge shows, nothing is
// asked of Stripe (a Stripe outage must not turn an applied refund into a false alarm). If the
// charge shows more refunded than the refunds known so far, the event waits instead of guessing.
import type Stripe from 'stripe';
import type { Tx } from '../../db/tx.ts';
import type { Actor } from '../../lib/actor.ts';
import { applyRefund } from './apply-refund.ts';
import type { HandlerOutcome, PrepareContext } from '../stripe-events/event-handler.ts';
import { DeferEventError } from '../stripe-events/event-errors.ts';
import { findPaymentForCharge, type ChargeRef } from './find-payment.ts';
import { resolveChargePayment, unknownPaymentError } from './resolve-charge-payment.ts';
import { stripeId } from './resolve-event-customer.ts';
import { stripeForPrepare } from '../stripe-events/stripe-access.ts';
import { formatMoney } from '../../contracts/money.ts';

export interface ChargeRefundedPrepared {
  listed: Stripe.Refund[] | null;
  resolved: ChargeRef | null;
}

/** Refunds already recorded against this charge's payment (failed and canceled included). */
async function knownRefundedAmount(prisma: PrepareContext['prisma'], charge: Stripe.Charge): Promise<number | null> {
  const or = [
    { chargeId: charge.id },
    ...(stripeId(charge.payment_intent) ? [{ paymentIntentId: stripeId(charge.payment_intent)! }] : []),
  ];
  const payment = await prisma.payment.findFirst({ where: { OR: or }, select: { id: true } });
  if (!payment) return null;
  const known = await prisma.refund.aggregate({
    where: { paymentId: payment.id, stripeRefundId: { not: null } },
    _sum: { amount: true },
  });
  return known._sum.amount ?? 0;
}

export async function prepareChargeRefunded(
  ctx: PrepareContext,
  charge: Stripe.Charge,
): Promise<ChargeRefundedPrepared> {
  const resolved = await resolveChargePayment(ctx, {
    chargeId: charge.id,
    paymentIntentId: stripeId(charge.payment_intent),
  });
  if (charge.refunds?.data) return { listed: null, resolved };
  const known = await knownRefundedAmount(ctx.prisma, charge);
  if (known !== null && known >= charge.amount_refunded) return { listed: null, resolved };
  const stripe = stripeForPrepare(ctx, `list the refunds of charge ${charge.id}`);
  if (!stripe) return { listed: null, resolved };
  return { listed: (await stripe.refunds.list({ charge: charge.id, limit: 100 })).data, resolved };
}

export async function applyChargeRefunded(
  tx: Tx,
  input: { charge: Stripe.Charge; prepared: ChargeRefundedPrepared | null; actor: Actor },
): Promise<HandlerOutcome> {
  const { charge, actor } = input;
  const resolved = input.prepared?.resolved ?? null;
  const payment = await findPaymentForCharge(tx, {
    chargeId: charge.id,
    paymentIntentId: stripeId(charge.payment_intent),
    invoiceId: resolved?.invoiceId ?? null,
  });
  if (!payment) {
    throw unknownPaymentError(resolved, {
      code: 'payment_not_seen_yet',
      detail: { objectId: charge.id, chargeId: charge.id, paymentIntentId: stripeId(charge.payment_intent) },
    });
  }
  const refunds = charge.refunds?.data ?? input.prepared?.listed ?? [];
  const parts: string[] = [];
  for (const refund of refunds) {
    const result = await applyRefund(tx, { refund, requestIdempotencyKey: null, actor, resolved });
    parts.push(result.summary);
  }
  // Failed and canceled refunds count as accounted for: this snapshot may predate their failure.
  const known = await tx.refund.aggregate({
    where: { paymentId: payment.id, stripeRefundId: { not: null } },
    _sum: { amount: true },
  });
  const seen = known._sum.amount ?? 0;
  if (seen < charge.amount_refunded) {
    throw new DeferEventError({
      code: 'refunds_not_accounted',
      detail: { chargeId: charge.id, refunded: charge.amount_refunded, accounted: seen },
    });
  }
  if (!parts.length)
    parts.push(
      `charge ${charge.id}: ${formatMoney(charge.amount_refunded, charge.currency)} refunded, all refunds already applied`,
    );
  return { summary: parts.join('; '), customerId: payment.customerId };
}
