// The verdict: load the customer's history (and what Stripe says), run every rule, and state the
// answer first. Rules are pure; judge() is what the unit tests drive with built histories.
import type Stripe from 'stripe';
import type { DbOrTx } from '../../../db/tx.ts';
import type { Finding, Severity, Verdict } from '../../../contracts/support.ts';
import { unknownPriceOf } from '../../../contracts/event-causes.ts';
import { describePrices } from '../../catalog/describe-prices.ts';
import type { CustomerHistory } from './history.ts';
import { lastPaymentChain } from './last-chain.ts';
import { loadHistory } from './load-history.ts';
import { loadStripeView } from './load-stripe-view.ts';
import { computeBreakdown } from './rules/balance-breakdown.ts';
import { RULES } from './rules/index.ts';

const ORDER: Record<Severity, number> = { critical: 0, warning: 1, waiting: 2, info: 3 };

export function judge(h: CustomerHistory): Verdict {
  const findings: Finding[] = RULES.flatMap((rule) => rule(h)).sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
  const top = findings[0];
  const status = !top
    ? 'ok'
    : top.severity === 'critical'
      ? 'action'
      : top.severity === 'warning'
        ? 'attention'
        : top.severity === 'waiting'
          ? 'waiting'
          : 'ok';
  return {
    status,
    headline: status === 'ok' ? 'Nothing is wrong with this account' : top!.title,
    findings,
    breakdown: computeBreakdown(h),
    lastChain: lastPaymentChain(h),
    stripe: { checked: h.stripe.checked, note: h.stripe.note },
    checkedAt: h.now,
  };
}

export async function getVerdict(
  db: DbOrTx,
  input: { customerId: string; stripe: Stripe | null; now?: Date },
): Promise<Verdict> {
  const history = await loadHistory(db, input.customerId, input.now ?? new Date());
  const stripe = await loadStripeView(db, input.stripe, history.customer);
  const remotePrices = stripe.subscriptions
    .map((s) => s.priceId)
    .filter((p): p is string => !!p && !(p in history.pricePlans));
  // Stripe's own word (with the product's name) over a payload's copy of the price.
  const unknownPrices = history.openEvents.map((e) => unknownPriceOf(e.cause)).filter((p): p is string => !!p);
  const [prices, described] = await Promise.all([
    remotePrices.length ? db.catalogPrice.findMany({ where: { stripePriceId: { in: remotePrices } } }) : [],
    unknownPrices.length && input.stripe ? describePrices(db, input.stripe, unknownPrices) : new Map(),
  ]);
  return judge({
    ...history,
    stripe,
    priceDetails: { ...history.priceDetails, ...Object.fromEntries(described) },
    pricePlans: { ...history.pricePlans, ...Object.fromEntries(prices.map((p) => [p.stripePriceId, p.planKey])) },
  });
}
