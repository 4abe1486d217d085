// Paid in Stripe, but the event never reached us: Stripe's records show a paid Checkout Session or
// invoice that we have neither a payment nor a stored event for.
import type { Finding } from '../../../../contracts/support.ts';
import type { CustomerHistory } from '../history.ts';
import { date, money, objectEvidence } from '../words.ts';

export function missingEvent(h: CustomerHistory): Finding[] {
  return h.stripe.paid
    .filter((p) => !p.knownLocally)
    .map((p) => ({
      rule: 'missing-event',
      severity: 'critical' as const,
      title: `Paid ${money(p.amount, p.currency)}, but Stripe’s notification never reached us`,
      explanation:
        `Stripe shows the ${p.kind === 'session' ? 'Checkout Session' : 'invoice'} ${p.id} paid on ${date(p.created)}, ` +
        `but we never received its event, so no credits were granted for it. ` +
        (p.eventId
          ? `Stripe still has the event (${p.eventId}): fetching it applies it exactly as a delivery would.`
          : `Stripe’s event list no longer has it (events are kept 30 days): fetching will look again; otherwise grant the credits manually with this id as the reason.`),
      evidence: [
        objectEvidence(p.id),
        ...(p.eventId ? [{ kind: 'event' as const, id: p.eventId, label: p.eventType ?? 'event' }] : []),
      ],
      repairs: [
        {
          kind: 'fetch_event' as const,
          objectId: p.id,
          eventId: p.eventId,
          label: 'Fetch and apply the event',
          effect: `Fetches ${p.eventId ?? `the event for ${p.id}`} from Stripe, stores it and applies it: the credits for ${money(p.amount, p.currency)} are granted once.`,
        },
      ],
    }));
}
