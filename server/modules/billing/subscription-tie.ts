// Which of two subscription states from the same `created` second is the newer one. Stripe stamps
// events in whole seconds and delivers them in any order: Checkout creates a subscription
// `incomplete` and updates it `active` in the same second, a renewal can fail and be retried in
// one, a trial can end into `paused`. On a tie a state must never move the subscription backwards.
// In order of strength:
//   1. the same status: apply (other fields may have moved on); when the two states differ in what
//      they bill (price, period, cancel at period end: a plan change in the signup's second), the
//      snapshots cannot tell which is last, so Stripe is asked again (below);
//   2. the stored state left the incoming status (its event's previous_attributes.status): the
//      incoming state is older, skip (active <- past_due, then the past_due event: skip);
//   3. the incoming event left the stored status (previous_attributes.status): it is newer, apply;
//   4. otherwise the lifecycle order below: only a later state is applied.
// Step 4 decides when neither event says where it came from (a `.created` event, a re-read), and
// for a cycle in one second, where 2 and 3 contradict each other: then Stripe is asked again in
// the background job, never before the webhook's answer.

/** Stripe's subscription lifecycle, earliest first; the final states last. */
const LIFECYCLE = [
  'incomplete',
  'trialing',
  'paused',
  'active',
  'past_due',
  'unpaid',
  'incomplete_expired',
  'canceled',
] as const;

/** States a subscription never leaves. */
export const FINAL_SUBSCRIPTION_STATUSES: ReadonlySet<string> = new Set(['canceled', 'incomplete_expired']);

function rank(status: string): number {
  const i = (LIFECYCLE as readonly string[]).indexOf(status);
  // An unknown future status (open enum): treat as later than what we know, but before the final states.
  return i >= 0 ? i : LIFECYCLE.indexOf('unpaid') + 0.5;
}

export interface SubscriptionStateOnTie {
  status: string;
  /** previous_attributes.status of the event that brought this state; null when it named none. */
  statusBefore: string | null;
  /** What the state bills (price, period end, cancel at period end), to compare same-status states. */
  terms?: string;
}

export interface TieDecision {
  apply: boolean;
  /**
   * Both events say they came from the other's state (active -> past_due -> active, or
   * past_due -> active -> past_due, in one second): the two snapshots cannot tell which is last.
   * The lifecycle order decides for now and the subscription is re-read from Stripe in the
   * background (subscription-reread job).
   */
  ambiguous: boolean;
}

/** Whether `incoming`, stamped the same second as `stored`, should replace it. */
export function decideTie(stored: SubscriptionStateOnTie, incoming: SubscriptionStateOnTie): TieDecision {
  if (incoming.status === stored.status) {
    return { apply: true, ambiguous: stored.terms !== undefined && stored.terms !== incoming.terms };
  }
  const storedLeftIncoming = stored.statusBefore === incoming.status;
  const incomingLeftStored = incoming.statusBefore === stored.status;
  if (storedLeftIncoming && incomingLeftStored) {
    return { apply: rank(incoming.status) > rank(stored.status), ambiguous: true };
  }
  if (storedLeftIncoming) return { apply: false, ambiguous: false };
  if (incomingLeftStored) return { apply: true, ambiguous: false };
  return { apply: rank(incoming.status) > rank(stored.status), ambiguous: false };
}

/** The `terms` of a state: the price, period end and cancel-at-period-end it bills. */
export function subscriptionTerms(state: {
  priceId: string | null;
  periodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
}): string {
  return `${state.priceId ?? '-'}|${state.periodEnd?.getTime() ?? '-'}|${state.cancelAtPeriodEnd}`;
}

/** previous_attributes.status of an event, when it carries one. */
export function previousStatus(previousAttributes: Record<string, unknown> | null | undefined): string | null {
  const value = previousAttributes?.status;
  return typeof value === 'string' ? value : null;
}
