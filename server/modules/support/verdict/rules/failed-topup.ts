// An automatic top-up failed (card declined, authentication needed, no card) or hit the monthly
// cap: further top-ups are paused until the customer updates the card or support saves the
// settings again. Say so in the words the customer needs.
import type { Finding } from '../../../../contracts/support.ts';
import { topupFailureWords } from '../../timeline/outbound-items.ts';
import type { CustomerHistory } from '../history.ts';
import { date } from '../words.ts';

export function failedTopup(h: CustomerHistory): Finding[] {
  const latest = h.topup?.latest;
  const setting = h.topup?.setting;
  if (!latest || !setting?.pausedAt || !['failed', 'capped'].includes(latest.status)) return [];
  const words = topupFailureWords({ failure_code: latest.failureCode, credits: latest.credits }, (n) =>
    n.toLocaleString('en-US'),
  );
  return [
    {
      rule: 'failed-topup',
      severity: 'warning',
      title: `Automatic top-ups paused since ${date(setting.pausedAt)}`,
      explanation:
        `${words.charAt(0).toUpperCase()}${words.slice(1)}.` +
        (latest.failureMessage ? ` Stripe said: “${latest.failureMessage}”.` : '') +
        ' Once the customer has a working card (or the cap is raised), saving the auto top-up settings resumes them.',
      evidence: latest.paymentIntentId
        ? [{ kind: 'payment', id: latest.paymentIntentId, label: 'payment intent' }]
        : [],
      repairs: [],
    },
  ];
}
