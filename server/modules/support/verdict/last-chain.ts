// The newest settled payment followed to its credits: payment -> the events that carried it ->
// the ledger entry that granted them. Shown when nothing is wrong, as proof of the happy path.
import type { ChainStep } from '../../../contracts/support.ts';
import type { CustomerHistory } from './history.ts';
import { credits, money } from './words.ts';

const SETTLED = new Set(['paid', 'partially_refunded', 'refunded']);
const CARRIERS = new Set([
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'invoice.paid',
  'invoice.payment_succeeded',
]);

export function lastPaymentChain(h: CustomerHistory): ChainStep[] | null {
  const payment = h.payments.find((p) => SETTLED.has(p.status));
  if (!payment) return null;
  const ids = [payment.checkoutSessionId, payment.invoiceId, payment.paymentIntentId, payment.chargeId].filter(
    (x): x is string => !!x,
  );
  const head = payment.checkoutSessionId ?? payment.invoiceId ?? payment.paymentIntentId ?? payment.id;
  const steps: ChainStep[] = [
    {
      kind: payment.invoiceId ? 'invoice' : payment.checkoutSessionId ? 'session' : 'payment',
      id: head,
      label: `Paid ${money(payment.amount, payment.currency)}${payment.catalogKey ? ` for ${payment.catalogKey}` : ''}`,
      at: payment.paidAt ?? payment.createdAt,
    },
  ];
  // Only the events that carry the payment to its credits (not every charge or intent update).
  const carriers = h.paymentEvents.filter((x) => x.objectId && ids.includes(x.objectId) && CARRIERS.has(x.type));
  for (const e of carriers.slice(-2)) {
    steps.push({ kind: 'event', id: e.id, label: `${e.type}: ${e.status}`, at: e.processedAt ?? e.created });
  }
  const grant = h.grants.find((g) => ids.includes(g.reference));
  steps.push(
    grant
      ? { kind: 'entry', id: grant.entryId, label: `${credits(grant.credits)} credits granted`, at: grant.createdAt }
      : {
          kind: 'entry',
          id: '',
          label: payment.creditsGranted
            ? `${credits(payment.creditsGranted)} credits granted`
            : 'No credits for this payment',
          at: null,
        },
  );
  return steps;
}
