// A delivered event that we could not apply: the error in words, and the fix. An unknown price
// is told as what was bought and paid (from its cause code and detail, never the words), and needs
// the catalog first: reprocessing is offered only once the price is mapped (before that it could
// only fail again). Anything else can be reprocessed once its cause is fixed. Events merely
// waiting for their automatic retry say so.
import { unknownPriceOf, type EventCause } from '../../../../contracts/event-causes.ts';
import type { Evidence, Finding, Repair } from '../../../../contracts/support.ts';
import { priceName, suggestedKindOf, type PriceDetails } from '../../../catalog/describe-prices.ts';
import type { CustomerHistory, HistoryEvent } from '../history.ts';
import { date, eventEvidence, money, objectAmount, objectEvidence } from '../words.ts';

const STUCK_AFTER_MS = 5 * 60_000;

function reprocess(e: HistoryEvent): Repair {
  return {
    kind: 'reprocess_event',
    eventId: e.id,
    label: 'Reprocess the event',
    effect: `Runs ${e.type} (${e.id}) again. Whatever it grants is keyed on its Stripe object, so it can never be applied twice.`,
  };
}

export function failedEvent(h: CustomerHistory): Finding[] {
  const findings: Finding[] = [];
  // Events matched by email only are the unlinked-payment rule's; the rest are this customer's,
  // linked or not yet (a failure before the customer was resolved leaves the event unlinked).
  for (const e of h.openEvents.filter((x) => x.matchedBy !== 'email')) {
    const evidence = [eventEvidence(e), ...(e.objectId ? [objectEvidence(e.objectId)] : [])];
    const price = e.status === 'failed' ? unknownPriceOf(e.cause) : null;
    if (price) {
      findings.push(unknownPriceFinding(h, e, price, evidence));
    } else if (e.status === 'failed') {
      findings.push({
        rule: 'failed-event',
        severity: 'critical',
        title: `Stripe event delivered, but applying it failed: ${e.lastError ?? 'unknown error'}`,
        explanation: `${e.type} (${e.id}) from ${date(e.created)} reached us and was stored, but applying it failed after ${e.attempts} attempt${e.attempts === 1 ? '' : 's'}: “${e.lastError ?? 'no error recorded'}”. Nothing it should have done (credits, plan) has happened. Fix the cause, then reprocess.`,
        evidence,
        repairs: [reprocess(e)],
      });
    } else if (e.status === 'deferred') {
      findings.push({
        rule: 'failed-event',
        severity: 'waiting',
        title: `Stripe event waiting for its automatic retry${e.nextAttemptAt ? ` at ${date(e.nextAttemptAt)}` : ''}`,
        explanation: `${e.type} (${e.id}) could not be applied yet (attempt ${e.attempts}): “${e.lastError ?? 'waiting for a related event'}”. It is retried automatically; reprocess now if its cause is fixed.`,
        evidence,
        repairs: [reprocess(e)],
      });
    } else if (e.status === 'received' && h.now.getTime() - e.created.getTime() > STUCK_AFTER_MS) {
      findings.push({
        rule: 'failed-event',
        severity: 'warning',
        title: 'Stripe event received but not processed yet',
        explanation: `${e.type} (${e.id}) was stored on ${date(e.created)} but has not been applied. Processing may be stopped; reprocess it now.`,
        evidence,
        repairs: [reprocess(e)],
      });
    }
  }
  return findings;
}

/** "€12.00 one-time" / "€49.00 a month", when the price says. */
function priceTerms(d: PriceDetails | undefined): string | null {
  if (d?.unitAmount == null || !d.currency) return null;
  const amount = money(d.unitAmount, d.currency);
  return d.recurring ? `${amount} a ${d.interval ?? 'period'}` : `${amount} one-time`;
}

/** What the cause's detail recorded about the price, when neither Stripe nor a payload said more. */
function detailsFromCause(cause: EventCause | null): PriceDetails | undefined {
  if (cause?.code !== 'unknown_price') return undefined;
  const d = cause.detail;
  return {
    nickname: null,
    product: d.productId ?? null,
    productName: d.productName ?? null,
    unitAmount: d.amount ?? null,
    currency: d.currency ?? null,
    interval: null,
    recurring: d.priceType ? d.priceType === 'recurring' : null,
    active: null,
  };
}

function unknownPriceFinding(h: CustomerHistory, e: HistoryEvent, price: string, evidence: Evidence[]): Finding {
  const details = h.priceDetails[price] ?? detailsFromCause(e.cause);
  const name = priceName(details);
  const what = name ? `“${name}”` : `price ${price}`;
  const paid = objectAmount(e.object);
  const bought = paid ? `Paid ${money(paid.minor, paid.currency)} for ${what}` : `Bought ${what}`;
  const terms = priceTerms(details);
  const facts = `${e.type} (${e.id}) from ${date(e.created)} reached us; the price is ${price}${terms ? ` (${terms})` : ''}.`;
  if (h.mappedPrices.includes(price)) {
    return {
      rule: 'failed-event',
      severity: 'critical',
      title: `${bought}: the catalog sells it now, reprocess to apply the payment`,
      explanation: `${facts} It failed while the catalog did not sell the price; it does now, so reprocessing applies it (credits or plan) once.`,
      evidence,
      repairs: [reprocess(e)],
    };
  }
  const kind = suggestedKindOf(details);
  const as =
    kind === 'pack'
      ? ' as a credit pack (it is a one-time price)'
      : kind === 'plan'
        ? ' as a plan (it is a recurring price)'
        : '';
  return {
    rule: 'failed-event',
    severity: 'critical',
    title: `${bought}, which the catalog does not sell yet`,
    explanation: `${facts} No plan or credit pack in the catalog sells it, so nothing was granted. Reprocessing now would fail the same way: an admin adds the price to the catalog${as}, sees a dry run of the waiting payment, then applies it in the same step.`,
    evidence,
    repairs: [
      {
        kind: 'map_price',
        priceId: price,
        suggestedKind: kind,
        label: `Add ${name ? `“${name}”` : price} to the catalog`,
        effect: `An admin adds ${price} to the plan or credit pack it sells (or a new pack), dry run first; the waiting payment is then applied.`,
      },
    ],
  };
}
