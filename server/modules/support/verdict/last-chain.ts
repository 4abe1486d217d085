// The newest settled payment followed to its credits: payment -> the events that carried it ->
// the ledger entry that granted them. Shown when nothing is wrong, as proof of the happy path.
import { boughtWords } from '../../../contracts/catalog-names.ts';
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

/** A refunded payment reads as refunded, not as a plain "Paid" (issue 16). */
function refundWords(p: CustomerHistory['payments'][number]): string {
  if (p.status === 'refunded') return ` (refunded in full)`;
  if (p.status === 'partially_refunded') {
    return p.amountRefunded > 0 ? ` (${money(p.amountRefunded, p.currency)} refunded)` : ' (partly refunded)';
  }
  return '';
}

export function lastPaymentChain(h: CustomerHistory): ChainStep[] | null {
  const payment = h.payments.find((p) => SETTLED.has(p.status));
  if (!payment) return null;
  const ids = [payment.checkoutSessionId, payment.invoiceId, payment.paymentIntentId, payment.chargeId].filter(
    (x): x is string => !!x,
  );
  // Plans and packs by name, the key only where the catalog no longer has it.
  const bought = boughtWords(h.catalogNames, payment);
  const head = payment.checkoutSessionId ?? payment.invoiceId ?? payment.paymentIntentId ?? payment.id;
  const steps: ChainStep[] = [
    {
      kind: payment.invoiceId ? 'invoice' : payment.checkoutSessionId ? 'session' : 'payment',
      id: head,
      label: `Paid ${money(payment.amount, payment.currency)}${bought ? ` for ${bought}` : ''}${refundWords(payment)}`,
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
