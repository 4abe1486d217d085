// A delivered event that we could not apply: the error in words, and the fix. An unknown price
// (cause code, never the words) needs the catalog first; anything else can be reprocessed once its
// cause is fixed. Events that are merely waiting for their automatic retry say so.
import { unknownPriceOf } from '../../../../contracts/event-causes.ts';
import type { Finding, Repair } from '../../../../contracts/support.ts';
import type { CustomerHistory, HistoryEvent } from '../history.ts';
import { date, eventEvidence, objectEvidence } from '../words.ts';

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
    if (e.status === 'failed') {
      const price = unknownPriceOf(e.cause);
      const mapped = price !== null && h.mappedPrices.includes(price);
      const repairs: Repair[] = [];
      if (price && !mapped) {
        repairs.push({
          kind: 'map_price',
          priceId: price,
          label: `Map ${price} in the catalog`,
          effect: `An admin maps ${price} to the plan or credit pack it sells; then reprocess this event.`,
        });
      }
      repairs.push(reprocess(e));
      findings.push({
        rule: 'failed-event',
        severity: 'critical',
        title: `Stripe event delivered, but applying it failed: ${e.lastError ?? 'unknown error'}`,
        explanation:
          `${e.type} (${e.id}) from ${date(e.created)} reached us and was stored, but applying it failed after ${e.attempts} attempt${e.attempts === 1 ? '' : 's'}: “${e.lastError ?? 'no error recorded'}”. Nothing it should have done (credits, plan) has happened. ` +
          (price
            ? mapped
              ? `The price ${price} is mapped in the catalog now, so reprocessing will apply it.`
              : `The price ${price} is not mapped to any plan or credit pack in the catalog: map it first, then reprocess.`
            : 'Fix the cause, then reprocess.'),
        evidence,
        repairs,
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
