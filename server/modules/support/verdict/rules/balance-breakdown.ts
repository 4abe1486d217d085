// "Why is my balance 40?": where the credits went, from the ledger's own totals. A finding when
// something other than usage took credits (expiry, clawbacks, freezes, negative adjustments), or
// when the balance disagrees with its lots (which would be our bug, not the customer's).
import type { BalanceBreakdown, Finding } from '../../../../contracts/support.ts';
import type { CustomerHistory } from '../history.ts';
import { credits, date, money } from '../words.ts';

export function computeBreakdown(h: CustomerHistory): BalanceBreakdown {
  const t = (type: keyof CustomerHistory['entryTotals']) => h.entryTotals[type]?.credits ?? 0;
  // Usage net of reversals, as the usage rows say (a reversed request is not consumed).
  const consumed = h.consumedByFeature.reduce((sum, f) => sum + f.credits, 0);
  return {
    balance: h.customer.balance,
    granted: t('grant') + t('purchase') + t('subscription_grant'),
    consumedByFeature: h.consumedByFeature,
    consumed,
    expired: -t('expiration'),
    clawedBack: -(t('refund_clawback') + t('dispute_clawback')),
    frozen: h.lots.filter((l) => l.frozen).reduce((sum, l) => sum + l.remaining, 0),
    adjusted: t('manual_adjustment') + t('refund_restore'),
  };
}

export function balanceBreakdown(h: CustomerHistory): Finding[] {
  const b = computeBreakdown(h);
  const inLots = h.lots.reduce((sum, l) => sum + l.remaining, 0);
  if (inLots !== b.balance) {
    return [
      {
        rule: 'balance-breakdown',
        severity: 'critical',
        title: 'The balance does not match the credit lots',
        explanation: `The balance shows ${credits(b.balance)} credits but the customer’s lots hold ${credits(inLots)}. This is an internal inconsistency: do not adjust by hand; report it to engineering with this customer id.`,
        evidence: [],
        repairs: [],
        breakdown: b,
      },
    ];
  }
  const taken = b.expired + b.clawedBack + b.frozen + Math.max(0, -b.adjusted);
  if (taken === 0) return [];
  const parts = [
    `${credits(b.granted)} granted`,
    b.adjusted > 0 ? `${credits(b.adjusted)} added by hand` : null,
    `${credits(b.consumed)} used${b.consumedByFeature.length ? ` (${b.consumedByFeature.map((f) => `${f.feature} ${credits(f.credits)}`).join(', ')})` : ''}`,
    b.expired ? `${credits(b.expired)} expired` : null,
    b.clawedBack ? `${credits(b.clawedBack)} clawed back ${clawbackCauses(h)}` : null,
    b.adjusted < 0 ? `${credits(-b.adjusted)} removed by manual adjustment` : null,
  ].filter(Boolean);
  const expiring = h.lots
    .filter((l) => l.expiresAt && l.expiresAt > h.now && !l.frozen)
    .sort((a, c) => a.expiresAt!.getTime() - c.expiresAt!.getTime());
  // A balance that is all frozen reads as "has credits" yet nothing can be spent: say so first.
  const spendable = b.balance - b.frozen;
  const allFrozen = b.frozen > 0 && spendable <= 0;
  return [
    {
      rule: 'balance-breakdown',
      severity: allFrozen ? 'warning' : 'info',
      title: allFrozen
        ? `Spendable credits: 0 — all ${credits(b.balance)} credits of the balance are frozen by an open dispute`
        : `Balance ${credits(b.balance)}: not only usage took credits`,
      explanation:
        `${parts.join(', ')}. ` +
        (b.frozen
          ? `${credits(b.frozen)} of the balance are frozen by an open dispute and cannot be spent until it closes. `
          : '') +
        (expiring.length ? `Next to expire: ${credits(expiring[0]!.remaining)} credits. ` : '') +
        'Credits are spent soonest-expiry first, free before paid.',
      evidence: [],
      repairs: [],
      breakdown: b,
    },
  ];
}

/** Which refunds took the clawed-back credits, by name: "after refund re_… (€6.00, 600 credits, 2026-…)". */
function clawbackCauses(h: CustomerHistory): string {
  const refunds = h.payments
    .flatMap((p) => p.refunds)
    .filter((r) => r.creditsClawedBack > 0)
    .sort((a, c) => c.createdAt.getTime() - a.createdAt.getTime());
  if (!refunds.length) return 'after refunds or lost disputes';
  const named = refunds
    .slice(0, 3)
    .map(
      (r) =>
        `refund ${r.stripeRefundId ?? r.id} (${money(r.amount, r.currency)}${r.origin === 'stripe_dashboard' ? ' from the Stripe Dashboard' : ''}, ${credits(r.creditsClawedBack)} credits, ${date(r.createdAt)})`,
    );
  const more = refunds.length > 3 ? ` and ${refunds.length - 3} more` : '';
  return `after ${named.join(', ')}${more}`;
}
