// A delayed payment method (SEPA debit, bank transfer...): the checkout is complete, the money is
// not there yet. Nothing to do: the credits come with checkout.session.async_payment_succeeded.
import type { Finding } from '../../../../contracts/support.ts';
import type { CustomerHistory } from '../history.ts';
import { date, money, objectEvidence } from '../words.ts';

const LATE_AFTER_MS = 14 * 86_400_000;

export function pendingPayment(h: CustomerHistory): Finding[] {
  return h.payments
    .filter((p) => p.status === 'pending')
    .map((p) => {
      const late = h.now.getTime() - p.createdAt.getTime() > LATE_AFTER_MS;
      const ref = p.checkoutSessionId ?? p.invoiceId ?? p.paymentIntentId;
      return {
        rule: 'pending-payment',
        severity: late ? ('warning' as const) : ('waiting' as const),
        title: late
          ? `Payment of ${money(p.amount, p.currency)} still pending after 14 days`
          : `Payment of ${money(p.amount, p.currency)} is pending: nothing to do yet`,
        explanation: late
          ? `The checkout${ref ? ` ${ref}` : ''} completed on ${date(p.createdAt)} with a payment method that confirms later, and the bank has still not confirmed. Check the payment in Stripe; credits are granted automatically if it succeeds.`
          : `The checkout${ref ? ` ${ref}` : ''} completed on ${date(p.createdAt)} with a payment method the bank confirms later (for example a SEPA debit, usually a few business days). The credits arrive automatically when the bank confirms; nothing needs to be done now.`,
        evidence: ref ? [objectEvidence(ref)] : [{ kind: 'payment' as const, id: p.id, label: 'payment' }],
        repairs: [],
      };
    });
}
