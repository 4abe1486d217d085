// refund.created / updated / failed, charge.refund.updated, and the refunds inside charge.refunded.
// Refunds Creditdesk started are recognised (metadata creditdesk_refund_id, or the Idempotency-Key
// we sent, echoed in event.request) and only have their status mirrored: the refunds module already
// clawed their credits back. Refunds made elsewhere (Stripe dashboard) are recorded and claw back
// the credits they pay for, by the same rule as a Creditdesk refund (refund-clawback-credits.ts),
// once (ledger key refund_clawback:<re_id>).
// A refund that fails or is canceled gives the clawed-back credits back (refund_restore:<re_id>).
import type Stripe from 'stripe';
import type { Tx } from '../../db/tx.ts';
import type { Payment, Refund } from '../../generated/prisma/client.ts';
import type { RefundStatus } from '../../generated/prisma/enums.ts';
import type { Actor } from '../../lib/actor.ts';
import { clawbackLot } from '../ledger/clawback-lot.ts';
import { restoreCredits } from '../ledger/restore-credits.ts';
import type { HandlerOutcome } from '../stripe-events/event-handler.ts';
import { DeferEventError } from '../stripe-events/event-errors.ts';
import { findPaymentForCharge, isSettled, type ChargeRef } from './find-payment.ts';
import { refundClawbackCredits } from './refund-clawback-credits.ts';
import { unknownPaymentError } from './resolve-charge-payment.ts';
import { stripeId } from './resolve-event-customer.ts';
import { recordOutboundEvent } from '../outbound/record-outbound-event.ts';
import { formatCredits, formatMoney } from '../../contracts/money.ts';
import { statusLabel } from '../../contracts/status-words.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MONEY_MOVING: ReadonlySet<RefundStatus> = new Set(['pending', 'succeeded']);
const FINAL: ReadonlySet<RefundStatus> = new Set(['failed', 'canceled']);

function mapStatus(status: string | null): RefundStatus {
  switch (status) {
    case 'succeeded':
      return 'succeeded';
    case 'failed':
      return 'failed';
    case 'canceled':
      return 'canceled';
    default:
      // pending, requires_action and any future value: money is on its way out.
      return 'pending';
  }
}

/** Status after this observation: failed/canceled are final, and succeeded never goes back to pending. */
function nextStatus(current: RefundStatus, incoming: RefundStatus): RefundStatus {
  if (FINAL.has(current)) return current;
  if (current === 'succeeded' && incoming === 'pending') return current;
  return incoming;
}

async function findCreditdeskRefund(
  tx: Tx,
  refund: Stripe.Refund,
  requestIdempotencyKey: string | null,
): Promise<Refund | null> {
  const byStripeId = await tx.refund.findUnique({ where: { stripeRefundId: refund.id } });
  if (byStripeId) return byStripeId;
  const metaId = refund.metadata?.creditdesk_refund_id;
  if (metaId && UUID.test(metaId)) {
    const byMeta = await tx.refund.findUnique({ where: { id: metaId } });
    if (byMeta) return byMeta;
  }
  if (requestIdempotencyKey) {
    const byKey = await tx.refund.findUnique({ where: { idempotencyKey: requestIdempotencyKey } });
    if (byKey) return byKey;
  }
  return null;
}

/** The payment's refunded amount (its pending and succeeded refunds, at most what was paid) and,
 * once it was paid, its status: paid, partially_refunded or refunded. One statement. */
export async function recomputePaymentRefunds(tx: Tx, payment: Pick<Payment, 'id'>): Promise<void> {
  await tx.$executeRaw`
    UPDATE payment p
       SET amount_refunded = r.refunded,
           status = CASE WHEN p.status IN ('paid', 'refunded', 'partially_refunded')
                         THEN (CASE WHEN r.refunded <= 0 THEN 'paid'
                                    WHEN r.refunded >= p.amount THEN 'refunded'
                                    ELSE 'partially_refunded' END)::"PaymentStatus"
                         ELSE p.status END,
           updated_at = ${new Date()}::timestamptz
      FROM (SELECT LEAST(COALESCE(sum(f.amount), 0), pay.amount)::int AS refunded
              FROM payment pay
              LEFT JOIN refund f ON f.payment_id = pay.id AND f.status IN ('pending', 'succeeded')
             WHERE pay.id = ${payment.id}::uuid
             GROUP BY pay.amount) AS r
     WHERE p.id = ${payment.id}::uuid`;
}

export async function applyRefund(
  tx: Tx,
  input: {
    refund: Stripe.Refund;
    requestIdempotencyKey: string | null;
    actor: Actor;
    /** What Stripe said about an unknown charge (background job only). */
    resolved?: ChargeRef | null;
  },
): Promise<HandlerOutcome> {
  const { refund, actor } = input;
  const payment = await findPaymentForCharge(tx, {
    chargeId: stripeId(refund.charge),
    paymentIntentId: stripeId(refund.payment_intent),
    invoiceId: input.resolved?.invoiceId ?? null,
  });
  if (!payment) {
    throw unknownPaymentError(input.resolved, {
      code: 'payment_not_seen_yet',
      detail: {
        objectId: refund.id,
        chargeId: stripeId(refund.charge),
        paymentIntentId: stripeId(refund.payment_intent),
      },
    });
  }
  if (!isSettled(payment)) {
    throw new DeferEventError({ code: 'payment_not_settled', detail: { objectId: refund.id, paymentId: payment.id } });
  }
  const incoming = mapStatus(refund.status);
  let row = await findCreditdeskRefund(tx, refund, input.requestIdempotencyKey);
  const parts: string[] = [];
  if (row) {
    const status = nextStatus(row.status, incoming);
    row = await tx.refund.update({
      where: { id: row.id },
      data: {
        stripeRefundId: row.stripeRefundId ?? refund.id,
        status,
        stripeReason: refund.reason ?? row.stripeReason,
        error: refund.failure_reason ?? row.error,
      },
    });
    parts.push(
      `${row.origin === 'creditdesk' ? 'Creditdesk' : 'mirrored'} refund ${refund.id} is ${statusLabel('refund', status)}`,
    );
  } else {
    row = await tx.refund.create({
      data: {
        stripeRefundId: refund.id,
        paymentId: payment.id,
        customerId: payment.customerId,
        amount: refund.amount,
        currency: refund.currency,
        status: incoming,
        origin: 'stripe_dashboard',
        stripeReason: refund.reason,
        reason: 'Refunded outside Creditdesk (Stripe dashboard or API)',
        idempotencyKey: `stripe:${refund.id}`,
        error: refund.failure_reason ?? null,
      },
    });
    parts.push(`refund ${refund.id} made outside Creditdesk recorded (${statusLabel('refund', incoming)})`);
  }

  if (row.origin !== 'creditdesk' && MONEY_MOVING.has(row.status) && row.creditsClawedBack === 0 && payment.lotId) {
    const lot = await tx.creditLot.findUniqueOrThrow({ where: { id: payment.lotId } });
    const credits = refundClawbackCredits({
      refundAmount: row.amount,
      paidAmount: payment.amount,
      grantedCredits: lot.granted,
      remainingCredits: lot.remaining,
    });
    if (credits > 0) {
      const result = await clawbackLot(tx, {
        lotId: lot.id,
        credits,
        type: 'refund_clawback',
        idempotencyKey: `refund_clawback:${refund.id}`,
        reason: `Refund ${refund.id} of ${formatMoney(row.amount, row.currency)} made outside Creditdesk`,
        actor,
        upToRemaining: true,
        reference: refund.id,
        referenceType: 'refund',
      });
      const taken = result ? -result.entry.credits : 0;
      row = await tx.refund.update({ where: { id: row.id }, data: { creditsClawedBack: taken } });
      parts.push(`${formatCredits(taken)} unused credits clawed back`);
    } else {
      parts.push('no unused credits to claw back');
    }
  }

  if (row.status === 'succeeded') {
    // Once per Stripe refund, however many events report it succeeded (source key).
    await recordOutboundEvent(tx, {
      type: 'refund.completed',
      customerId: row.customerId,
      sourceKey: `refund.completed:${refund.id}`,
      data: {
        refundId: refund.id,
        paymentId: payment.id,
        amount: row.amount,
        currency: row.currency,
        creditsClawedBack: row.creditsClawedBack,
        origin: row.origin,
      },
    });
  }

  if (FINAL.has(row.status) && row.creditsClawedBack > 0 && payment.lotId) {
    const result = await restoreCredits(tx, {
      lotId: payment.lotId,
      credits: row.creditsClawedBack,
      type: 'refund_restore',
      idempotencyKey: `refund_restore:${refund.id}`,
      reason: `Refund ${refund.id} ${row.status}: clawed-back credits restored`,
      actor,
      reference: refund.id,
      referenceType: 'refund',
    });
    parts.push(
      result.replayed ? 'credits already restored' : `${formatCredits(row.creditsClawedBack)} credits restored`,
    );
  }

  // `payment` is current: nothing above writes the payment row (findPaymentForCharge returned it
  // after linking its ids).
  await recomputePaymentRefunds(tx, payment);
  return { summary: parts.join('; '), customerId: payment.customerId };
}
