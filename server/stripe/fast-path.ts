// The webhook route's fast path: a new, paid credit-pack checkout.session.completed is stored and
// applied in one statement, and a repeat of one is recorded in one statement too
// (modules/stripe-events/ingest-pack-checkout.ts). It stands in for the production handler only: a
// replaced handler (tests inject failures into the map) always runs through the general pipeline,
// so what it does is what the test sees.
import type { Deps } from '../deps.ts';
import type { EventHandler, HandlerMap } from '../modules/stripe-events/event-handler.ts';
import type { IngestEventResult } from '../modules/stripe-events/ingest-event.ts';
import {
  ingestPackCheckout,
  packCheckoutInput,
  type PackCheckoutEvent,
} from '../modules/stripe-events/ingest-pack-checkout.ts';
import type { PipelineLogger } from '../modules/stripe-events/process-event.ts';
import { stripeHandlers } from './handlers/index.ts';
import { deploymentLivemode } from './pipeline.ts';

const TYPE = 'checkout.session.completed';

/**
 * What ingestEvent would have answered (a new event then already processed); null when the general
 * pipeline must take the event (nothing was written: not a case the fast path covers, or the
 * statement failed and rolled back).
 */
export async function tryFastPath(
  deps: Deps,
  handlers: HandlerMap,
  event: PackCheckoutEvent,
  rawJson: string,
  elapsedMs: number,
  log: PipelineLogger,
  requestId: string | null = null,
): Promise<IngestEventResult | null> {
  const handler = stripeHandlers[TYPE] as EventHandler<unknown, unknown> | undefined;
  if (event.type !== TYPE || !handler || handlers[TYPE] !== stripeHandlers[TYPE]) return null;
  // The other mode's events are refused by the general pipeline, with their cause.
  if (event.livemode !== deploymentLivemode(deps)) return null;
  const input = packCheckoutInput(event);
  if (!input) return null;
  const lockKeys = (handler.lockKeys?.(event.data.object) ?? []).filter((k): k is string => !!k);
  try {
    const result = await ingestPackCheckout(deps.prisma, { ...input, rawJson, lockKeys, elapsedMs, requestId });
    return result.outcome === 'stored' ? result.stored : null;
  } catch (err) {
    // Rolled back as a whole; the general pipeline stores the event and applies or retries it.
    log.warn({ err, eventId: event.id }, 'stripe webhook fast path failed; taking the general pipeline');
    return null;
  }
}
