// The calculator as the dialog shows it: the payment, the figures and formula, the proposal, the
// credits a given amount takes back, and whether it will wait for approval. Reads Stripe's refunded
// figure when it can (a dashboard refund whose webhook is late still counts); a request recomputes
// everything under its locks anyway.
import { statusLabel } from '../../contracts/status-words.ts';
import { isAppError } from '../../lib/app-error.ts';
import { AppError } from '../../lib/app-error.ts';
import { getRules } from '../catalog/get-rules.ts';
import { calculateRefund, clawbackCreditsFor, type RefundCalculation } from './calculate-refund.ts';
import { stripeTargetOf, type RefundDeps, type StripeTarget } from './confirm-refund.ts';
import { loadRefundFigures } from './load-refund-figures.ts';
import { needsApproval } from './needs-approval.ts';
import { readStripeCharge, withStripeIds, type StripeChargeView } from './read-stripe-charge.ts';

export interface RefundPreview {
  paymentId: string;
  customer: { id: string; email: string; externalId: string } | null;
  kind: string;
  catalogKey: string | null;
  paymentStatus: string;
  ids: {
    checkoutSessionId: string | null;
    invoiceId: string | null;
    paymentIntentId: string | null;
    chargeId: string | null;
  };
  stripeTarget: StripeTarget | null;
  calculation: RefundCalculation;
  /** The amount asked about (clamped to 1..proposal), or the proposal. */
  amount: number;
  creditsForAmount: number;
  needsApproval: boolean;
  approval: { above: number; currency: string };
  /** false when Stripe could not be asked: the figures use what Creditdesk knows. */
  stripeChecked: boolean;
  waitingRequest: { id: string; amount: number; currency: string } | null;
}

export async function previewRefund(
  deps: RefundDeps,
  input: { paymentId: string; amount?: number | null },
): Promise<RefundPreview> {
  const payment = await deps.prisma.payment.findUnique({
    where: { id: input.paymentId },
    include: { customer: { select: { id: true, email: true, externalId: true } } },
  });
  if (!payment) throw new AppError('NOT_FOUND', 'Payment not found');
  let charge: StripeChargeView | null = null;
  try {
    charge = await readStripeCharge(deps.stripe, payment);
  } catch (err) {
    if (!isAppError(err)) throw err;
  }
  const [{ figures }, rules, waiting] = await Promise.all([
    loadRefundFigures(deps.prisma, payment.id, { stripeRefunded: charge?.amountRefunded }),
    getRules(deps.prisma),
    deps.prisma.refund.findFirst({ where: { paymentId: payment.id, status: 'pending_approval' } }),
  ]);
  const calculation = calculateRefund(figures);
  const known = withStripeIds(payment, charge);
  const target = stripeTargetOf(known);
  if (payment.status !== 'paid' && payment.status !== 'partially_refunded' && !calculation.blockedReason) {
    calculation.blockedReason =
      payment.status === 'refunded'
        ? 'This payment has been refunded in full already.'
        : `Only paid payments can be refunded; this one is ${statusLabel('payment', payment.status)}.`;
  } else if (!target && !calculation.blockedReason) {
    calculation.blockedReason = 'This payment has no Stripe charge or payment intent on record to refund.';
  }
  const asked = input.amount ?? calculation.proposal;
  const amount = Math.max(Math.min(asked, calculation.proposal), calculation.proposal > 0 ? 1 : 0);
  return {
    paymentId: payment.id,
    customer: payment.customer,
    kind: payment.kind,
    catalogKey: payment.catalogKey,
    paymentStatus: payment.status,
    ids: {
      checkoutSessionId: payment.checkoutSessionId,
      invoiceId: payment.invoiceId,
      paymentIntentId: known.paymentIntentId,
      chargeId: known.chargeId,
    },
    stripeTarget: target,
    calculation,
    amount,
    creditsForAmount: clawbackCreditsFor(calculation, amount),
    needsApproval:
      amount > 0 &&
      needsApproval(rules, { amount, currency: payment.currency, alreadyRefunded: calculation.alreadyRefunded }),
    approval: { above: rules.refundApprovalAbove, currency: rules.refundApprovalCurrency },
    stripeChecked: charge !== null,
    waitingRequest: waiting ? { id: waiting.id, amount: waiting.amount, currency: waiting.currency } : null,
  };
}
