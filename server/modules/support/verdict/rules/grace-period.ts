// A renewal payment failed: the customer keeps the plan until the grace period ends, then drops to
// the default plan unless Stripe collects the invoice meanwhile.
import { planWords } from '../../../../contracts/catalog-names.ts';
import type { Finding } from '../../../../contracts/support.ts';
import type { CustomerHistory } from '../history.ts';
import { date, objectEvidence } from '../words.ts';

export function gracePeriod(h: CustomerHistory): Finding[] {
  return h.subscriptions
    .filter((s) => s.graceUntil && s.graceUntil > h.now)
    .map((s) => ({
      rule: 'grace-period',
      severity: 'warning' as const,
      title: `Renewal payment failed: in grace until ${date(s.graceUntil!)}`,
      explanation:
        `Stripe could not collect the renewal of ${s.id}${s.planKey ? ` (${planWords(h.catalogNames, s.planKey)})` : ''}. The customer keeps the plan until ${date(s.graceUntil!)}; ` +
        'if the invoice is still unpaid then, the plan drops to the default. Updating the card in the customer portal lets Stripe retry.',
      evidence: [objectEvidence(s.id)],
      repairs: [],
    }));
}
