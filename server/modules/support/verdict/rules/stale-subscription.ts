// A subscription that is active (here or in Stripe) while the customer's plan says otherwise, or
// whose state here differs from Stripe's: entitlements are missing or stale. Resync re-reads the
// subscription from Stripe and applies it as the newest state.
import { statusLabel } from '../../../../contracts/status-words.ts';
import { planWords } from '../../../../contracts/catalog-names.ts';
import type { Finding, Repair } from '../../../../contracts/support.ts';
import type { CustomerHistory } from '../history.ts';
import { objectEvidence } from '../words.ts';

const LIVE = new Set(['active', 'trialing', 'past_due']);

function resync(id: string): Repair {
  return {
    kind: 'resync_subscription',
    subscriptionId: id,
    label: 'Resync the subscription',
    effect: `Reads ${id} from Stripe now and applies it as the newest state: plan, period and entitlements follow.`,
  };
}

export function staleSubscription(h: CustomerHistory): Finding[] {
  const findings: Finding[] = [];
  const plan = h.entitlements.plan?.key ?? null;
  const named = (key: string) => planWords(h.catalogNames, key);
  const seen = new Set<string>();
  for (const remote of h.stripe.subscriptions) {
    seen.add(remote.id);
    const local = h.subscriptions.find((s) => s.id === remote.id);
    const remotePlan = remote.priceId ? (h.pricePlans[remote.priceId] ?? null) : null;
    if (!local && LIVE.has(remote.status)) {
      findings.push({
        rule: 'stale-subscription',
        severity: 'critical',
        title: `Stripe shows an ${remote.status} subscription we do not have`,
        explanation: `Stripe has ${remote.id} (${remote.status}${remotePlan ? `, ${named(remotePlan)}` : ''}) for this customer, but it is not in our records, so its entitlements and credits are missing.`,
        evidence: [objectEvidence(remote.id)],
        repairs: [resync(remote.id)],
      });
    } else if (
      local &&
      (local.status !== remote.status || (remote.priceId && local.stripePriceId !== remote.priceId))
    ) {
      findings.push({
        rule: 'stale-subscription',
        severity: 'warning',
        title: 'Subscription here differs from Stripe',
        explanation: `Stripe says ${remote.id} is ${statusLabel('subscription', remote.status)}${remote.priceId ? ` on ${remote.priceId}` : ''}; here it is ${statusLabel('subscription', local.status)}${local.stripePriceId ? ` on ${local.stripePriceId}` : ''}. An event was probably missed or applied out of order.`,
        evidence: [objectEvidence(remote.id)],
        repairs: [resync(remote.id)],
      });
    }
  }
  for (const local of h.subscriptions) {
    if (!LIVE.has(local.status) || !local.planKey || local.planKey === plan) continue;
    if (findings.some((f) => f.evidence.some((e) => e.id === local.id))) continue;
    findings.push({
      rule: 'stale-subscription',
      severity: 'warning',
      title: `Subscription to ${named(local.planKey)} is ${statusLabel('subscription', local.status)}, but entitlements follow ${plan ? named(plan) : 'no plan'}`,
      explanation: `${local.id} is ${statusLabel('subscription', local.status)} on ${named(local.planKey)}, yet the customer’s plan is ${plan ? named(plan) : 'not set'}, so features and monthly credits are stale.${seen.has(local.id) ? '' : ' Resync reads the current state from Stripe.'}`,
      evidence: [objectEvidence(local.id)],
      repairs: [resync(local.id)],
    });
  }
  return findings;
}
