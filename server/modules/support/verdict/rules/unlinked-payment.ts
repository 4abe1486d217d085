// A payment that reached us without a user id (a payment link, a session created outside the
// product) or naming a Stripe customer we do not know: nobody got its credits. It is matched to
// this customer by the payer's email or Stripe customer id; linking it and reprocessing applies it.
import type { Finding } from '../../../../contracts/support.ts';
import type { CustomerHistory } from '../history.ts';
import { date, eventEvidence, money, objectAmount, objectEvidence, payerEmail } from '../words.ts';

export function unlinkedPayment(h: CustomerHistory): Finding[] {
  return h.openEvents
    .filter((e) => e.matchedBy === 'email')
    .map((e) => {
      const email = payerEmail(e.object);
      const amount = objectAmount(e.object);
      const stripeCustomer = typeof e.object.customer === 'string' ? e.object.customer : null;
      const how = `the payer’s email (${email ?? h.customer.email}) is this customer’s`;
      return {
        rule: 'unlinked-payment',
        severity: 'critical' as const,
        title: `A payment${amount ? ` of ${money(amount.minor, amount.currency)}` : ''} reached us without a user id`,
        explanation:
          `${e.type} (${e.id}) from ${date(e.created)} carries no user id we know${stripeCustomer ? ` and names Stripe customer ${stripeCustomer}, linked to nobody here` : ''}, ` +
          `so it could not be applied to anyone${e.lastError ? ` (“${e.lastError}”)` : ''}. It belongs to this customer: ${how}. ` +
          'Linking it to this customer and reprocessing grants what was paid for.',
        evidence: [eventEvidence(e), ...(e.objectId ? [objectEvidence(e.objectId)] : [])],
        repairs: [
          {
            kind: 'link_and_reprocess' as const,
            eventId: e.id,
            label: 'Link to this customer and reprocess',
            effect: `Ties ${e.id}${stripeCustomer && !h.customer.stripeCustomerId ? ` and Stripe customer ${stripeCustomer}` : ''} to ${h.customer.email}, then applies the event${amount ? ` (${money(amount.minor, amount.currency)})` : ''}.`,
          },
        ],
      };
    });
}
