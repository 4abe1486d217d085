// The checker's side of maker-checker: a second finance user or an admin approves a refund that
// waits above the catalog's threshold. The maker can never approve their own request. Approval
// recomputes under the refund locks like a request does: if the figures moved since the approver
// looked (STALE, with the new figures), or the requested amount is now more than can be refunded
// (reject it and request again), nothing happens. Then the credits are clawed back, the row becomes
// pending, and after commit the refund goes to Stripe. Approving twice returns the same refund.
import { TX_OPTIONS } from '../../db/tx.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { recomputePaymentRefunds } from '../billing/apply-refund.ts';
import { formatMoney } from '../../contracts/money.ts';
import { calculateRefund, clawbackCreditsFor } from './calculate-refund.ts';
import {
  calculationJson,
  clawBackForRefund,
  confirmRefund,
  storedCalculation,
  type RefundDeps,
} from './confirm-refund.ts';
import { lockForRefund, loadRefundFigures } from './load-refund-figures.ts';
import { readStripeCharge, withStripeIds } from './read-stripe-charge.ts';
import type { RefundResult } from './request-refund.ts';

export async function approveRefund(
  deps: RefundDeps,
  input: { refundId: string; fingerprint: string; reason?: string | undefined },
  actor: Actor,
): Promise<RefundResult> {
  if (actor.type !== 'staff' || (actor.role !== 'finance' && actor.role !== 'admin')) {
    throw new AppError('FORBIDDEN', 'Refunds are approved by a finance user or an admin');
  }
  const found = await deps.prisma.refund.findUnique({ where: { id: input.refundId } });
  if (!found || found.origin !== 'creditdesk' || !found.paymentId)
    throw new AppError('NOT_FOUND', 'Refund request not found');
  if (found.requestedBy === actor.id) {
    throw new AppError('FORBIDDEN', 'You requested this refund: a second finance user or an admin must approve it');
  }
  if (found.status !== 'pending_approval') return settled(found, actor);
  if (!deps.stripe) throw new AppError('STRIPE_ERROR', 'Stripe is not configured: no refund can be sent');
  const payment = await deps.prisma.payment.findUniqueOrThrow({ where: { id: found.paymentId } });
  const charge = await readStripeCharge(deps.stripe, payment);

  const outcome = await deps.prisma.$transaction(async (tx) => {
    await lockForRefund(tx, withStripeIds(payment, charge));
    const current = await tx.refund.findUniqueOrThrow({ where: { id: found.id } });
    if (current.status !== 'pending_approval') return { refund: current, replayed: true };
    const { lot, figures } = await loadRefundFigures(tx, payment.id, { stripeRefunded: charge?.amountRefunded });
    const calc = calculateRefund(figures);
    if (calc.fingerprint !== input.fingerprint) {
      throw new AppError('STALE', 'The figures changed since you looked: check the new figures and approve again', {
        calculation: calc,
      });
    }
    if (calc.blockedReason) throw new AppError('UNPROCESSABLE', calc.blockedReason, { calculation: calc });
    if (current.amount > calc.proposal) {
      throw new AppError(
        'UNPROCESSABLE',
        `The request is for ${formatMoney(current.amount, current.currency)} but at most ${formatMoney(calc.proposal, calc.currency)} can be refunded now: reject it and request again`,
        { calculation: calc },
      );
    }
    const credits = clawbackCreditsFor(calc, current.amount);
    const previous = storedCalculation(current);
    let refund = await tx.refund.update({
      where: { id: current.id },
      data: {
        status: 'pending',
        approvedBy: actor.id,
        calculation: calculationJson({
          ...calc,
          amount: current.amount,
          creditsForAmount: credits,
          stripeTarget: previous.stripeTarget,
        }),
      },
    });
    refund = await clawBackForRefund(tx, { refund, lotId: lot?.id ?? null, credits, actor });
    await recomputePaymentRefunds(tx, payment);
    await recordAudit(tx, {
      actor,
      action: 'refund.approve',
      targetType: 'refund',
      targetId: refund.id,
      customerId: payment.customerId,
      before: { status: 'pending_approval', requestedBy: current.requestedBy },
      after: {
        status: refund.status,
        amount: refund.amount,
        currency: refund.currency,
        creditsToClawBack: credits,
        requestReason: current.reason,
      },
      reason: input.reason ?? current.reason,
    });
    return { refund, replayed: false };
  }, TX_OPTIONS);

  if (outcome.replayed) return settled(outcome.refund, actor);
  return { refund: await confirmRefund(deps, outcome.refund.id, actor), replayed: false };
}

/** Already decided: the same approver sees it again; anyone else is told who decided. */
function settled(refund: RefundResult['refund'], actor: Actor): RefundResult {
  if (refund.approvedBy === actor.id) return { refund, replayed: true };
  const what = refund.status === 'rejected' ? 'rejected' : 'approved';
  throw new AppError('CONFLICT', `This refund request was already ${what}`, {
    refundId: refund.id,
    status: refund.status,
  });
}
