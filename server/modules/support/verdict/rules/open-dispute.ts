// An open dispute: money at risk, credits frozen, a deadline for evidence.
import type { Finding } from '../../../../contracts/support.ts';
import type { CustomerHistory } from '../history.ts';
import { credits, date, money, objectEvidence } from '../words.ts';

const OPEN = new Set(['warning_needs_response', 'needs_response', 'under_review', 'warning_under_review']);

export function openDispute(h: CustomerHistory): Finding[] {
  return h.disputes
    .filter((d) => OPEN.has(d.status))
    .map((d) => ({
      rule: 'open-dispute',
      severity: 'warning' as const,
      title: `Dispute open on ${money(d.amount, d.currency)} (${d.reason.replaceAll('_', ' ')})`,
      explanation:
        `The payer disputed charge ${d.chargeId} on ${date(d.stripeCreated)}. ` +
        (d.frozenCredits ? `${credits(d.frozenCredits)} credits from that purchase are frozen until it closes. ` : '') +
        (d.evidenceDueBy && !d.submittedAt
          ? `Evidence is due by ${date(d.evidenceDueBy)} (Disputes page).`
          : d.submittedAt
            ? 'Evidence was submitted; waiting for the bank.'
            : ''),
      evidence: [objectEvidence(d.id), objectEvidence(d.chargeId)],
      repairs: [],
    }));
}
