// Finance confirms a refund from the calculator. In one flow: read Stripe's refunded figure, then
// under the refund locks recompute; if anything changed since the preview the request is refused
// with STALE and the new figures. Otherwise the refund row is written with its calculation and,
// unless it needs approval, the credits it pays for are clawed back in the same transaction; after
// commit the refund goes to Stripe (confirm-refund.ts).
// The request id (made when the dialog opened) is the idempotency key, here and at Stripe: a double
// click, a retry or a replayed request returns the same refund. A second tab has its own request
// id but the first refund changed the figures, so it gets STALE, never a second refund.
import { statusLabel } from '../../contracts/status-words.ts';
import { TX_OPTIONS } from '../../db/tx.ts';
import type { Refund } from '../../generated/prisma/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { recomputePaymentRefunds } from '../billing/apply-refund.ts';
import { getRules } from '../catalog/get-rules.ts';
import { formatMoney } from '../../contracts/money.ts';
import { calculateRefund, clawbackCreditsFor } from './calculate-refund.ts';
import {
  calculationJson,
  clawBackForRefund,
  confirmRefund,
  refundIdempotencyKey,
  stripeTargetOf,
  type RefundDeps,
  type StoredCalculation,
} from './confirm-refund.ts';
import { linkPaymentIds } from '../billing/find-payment.ts';
import { lockForRefund, loadRefundFigures } from './load-refund-figures.ts';
import { needsApproval } from './needs-approval.ts';
import { readStripeCharge, withStripeIds } from './read-stripe-charge.ts';

export type StripeRefundReason = 'requested_by_customer' | 'duplicate' | 'fraudulent';

export interface RequestRefundInput {
  paymentId: string;
  amount: number;
  reason: string;
  stripeReason: StripeRefundReason;
  requestId: string;
  /** The calculation's fingerprint the dialog showed. */
  fingerprint: string;
}

export interface RefundResult {
  refund: Refund;
  /** The request id had been seen: nothing new was done (an unfinished Stripe step may be resumed). */
  replayed: boolean;
}

/** Stripe's step may be retried when it never got a clear answer, or has been silent a while. */
const RESUME_AFTER_MS = 60_000;

export async function requestRefund(deps: RefundDeps, input: RequestRefundInput, actor: Actor): Promise<RefundResult> {
  if (actor.type !== 'staff') throw new AppError('FORBIDDEN', 'Refunds are requested by staff');
  const reason = input.reason.trim();
  if (reason.length < 5) throw new AppError('VALIDATION', 'Say why in a few words (5 characters or more)');
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0) {
    throw new AppError('VALIDATION', 'The amount must be a whole number of minor units above 0');
  }
  const key = refundIdempotencyKey(input.requestId);
  const seen = await deps.prisma.refund.findUnique({ where: { idempotencyKey: key } });
  if (seen) return replay(deps, seen, input, actor);

  if (!deps.stripe) throw new AppError('STRIPE_ERROR', 'Stripe is not configured: no refund can be sent');
  const payment = await deps.prisma.payment.findUnique({ where: { id: input.paymentId } });
  if (!payment) throw new AppError('NOT_FOUND', 'Payment not found');
  if (payment.status !== 'paid' && payment.status !== 'partially_refunded') {
    throw new AppError(
      'UNPROCESSABLE',
      `Only paid payments can be refunded; this one is ${statusLabel('payment', payment.status)}`,
    );
  }
  const charge = await readStripeCharge(deps.stripe, payment);
  const known = withStripeIds(payment, charge);
  const target = stripeTargetOf(known);
  if (!target || !payment.customerId) {
    throw new AppError('UNPROCESSABLE', 'This payment has no Stripe charge or payment intent on record to refund');
  }
  const rules = await getRules(deps.prisma);

  const outcome = await deps.prisma.$transaction(async (tx) => {
    await lockForRefund(tx, known);
    const again = await tx.refund.findUnique({ where: { idempotencyKey: key } });
    if (again) return { refund: again, replayed: true };
    const waiting = await tx.refund.findFirst({ where: { paymentId: payment.id, status: 'pending_approval' } });
    if (waiting) {
      throw new AppError(
        'CONFLICT',
        `A refund of ${formatMoney(waiting.amount, waiting.currency)} for this payment is already waiting for approval: approve or reject it first`,
        { refundId: waiting.id },
      );
    }
    await linkPaymentIds(tx, payment, known);
    const { lot, figures } = await loadRefundFigures(tx, payment.id, { stripeRefunded: charge?.amountRefunded });
    const calc = calculateRefund(figures);
    if (calc.fingerprint !== input.fingerprint) {
      throw new AppError(
        'STALE',
        'The figures changed since the calculation was shown: check the new figures and confirm again',
        {
          calculation: calc,
        },
      );
    }
    if (calc.blockedReason) throw new AppError('UNPROCESSABLE', calc.blockedReason, { calculation: calc });
    if (input.amount > calc.proposal) {
      throw new AppError(
        'UNPROCESSABLE',
        `At most ${formatMoney(calc.proposal, calc.currency)} can be refunded for this payment (${calc.formula})`,
        { calculation: calc },
      );
    }
    const credits = clawbackCreditsFor(calc, input.amount);
    const stored: StoredCalculation = {
      ...calc,
      amount: input.amount,
      creditsForAmount: credits,
      stripeTarget: target,
    };
    // Decided under the refund locks, so concurrent requests see each other's refunds.
    const waitsForApproval = needsApproval(rules, {
      amount: input.amount,
      currency: payment.currency,
      alreadyRefunded: figures.alreadyRefunded,
    });
    let refund = await tx.refund.create({
      data: {
        paymentId: payment.id,
        customerId: payment.customerId,
        amount: input.amount,
        currency: payment.currency,
        status: waitsForApproval ? 'pending_approval' : 'pending',
        origin: 'creditdesk',
        reason,
        stripeReason: input.stripeReason,
        calculation: calculationJson(stored),
        requestedBy: actor.id,
        idempotencyKey: key,
      },
    });
    if (!waitsForApproval) {
      refund = await clawBackForRefund(tx, { refund, lotId: lot?.id ?? null, credits, actor });
      await recomputePaymentRefunds(tx, payment);
    }
    await recordAudit(tx, {
      actor,
      action: 'refund.request',
      targetType: 'refund',
      targetId: refund.id,
      customerId: payment.customerId,
      after: {
        amount: refund.amount,
        currency: refund.currency,
        status: refund.status,
        stripeReason: refund.stripeReason,
        creditsToClawBack: credits,
        formula: calc.formula,
        target: target.id,
      },
      reason,
    });
    return { refund, replayed: false };
  }, TX_OPTIONS);

  if (outcome.replayed) return replay(deps, outcome.refund, input, actor);
  if (outcome.refund.status !== 'pending') return outcome;
  return { refund: await confirmRefund(deps, outcome.refund.id, actor), replayed: false };
}

/** The same request again: the refund as it stands, after resuming a Stripe step left unfinished. */
async function replay(
  deps: RefundDeps,
  refund: Refund,
  input: RequestRefundInput,
  actor: Actor,
): Promise<RefundResult> {
  if (refund.paymentId !== input.paymentId || refund.amount !== input.amount) {
    throw new AppError('CONFLICT', 'This request id was already used for a different refund', { refundId: refund.id });
  }
  const unfinished = refund.status === 'pending' && !refund.stripeRefundId;
  const quiet = Date.now() - refund.updatedAt.getTime() > RESUME_AFTER_MS;
  if (unfinished && (refund.error !== null || quiet)) {
    return { refund: await confirmRefund(deps, refund.id, actor), replayed: true };
  }
  return { refund, replayed: true };
}
