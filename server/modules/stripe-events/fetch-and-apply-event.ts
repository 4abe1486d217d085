// Support's "fetch missing event and apply": events Stripe has (it keeps 30 days) that never reached
// us are stored as delivered manually and applied, exactly like a webhook delivery. Either one
// event by id (GET /v1/events/{id}), or every event about one Stripe object (cs_, in_, pi_, ch_,
// sub_...), found by listing recent events of the types that carry such an object.
import type Stripe from 'stripe';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { ingestEvent } from './ingest-event.ts';
import { processEvent, type PipelineContext, type ProcessResult } from './process-event.ts';

export interface FetchedEventResult extends ProcessResult {
  type: string;
  /** false when the event was already stored (it was reprocessed instead). */
  fetched: boolean;
}

const TYPES_BY_PREFIX: Record<string, string[]> = {
  cs_: ['checkout.session.*'],
  in_: ['invoice.*'],
  sub_: ['customer.subscription.*', 'invoice.*'],
  pi_: ['checkout.session.*', 'charge.*', 'refund.*', 'radar.early_fraud_warning.*', 'invoice.*'],
  ch_: ['charge.*', 'refund.*', 'radar.early_fraud_warning.*'],
  re_: ['refund.*', 'charge.refund.updated', 'charge.refunded'],
  dp_: ['charge.dispute.*'],
  du_: ['charge.dispute.*'],
};

function stripeError(err: unknown, what: string): AppError {
  const status = (err as { statusCode?: number }).statusCode;
  if (status === 404) return new AppError('NOT_FOUND', `Stripe has no ${what} (events older than 30 days are gone)`);
  return new AppError('STRIPE_ERROR', `Stripe did not answer for ${what}: ${(err as Error).message}`);
}

/** Does this event's object concern `objectId` (as its id or as a link to it)? */
function concerns(event: Stripe.Event, objectId: string): boolean {
  const o = event.data.object as unknown as Record<string, unknown>;
  const link = (v: unknown) => (typeof v === 'string' ? v : (v as { id?: string } | null)?.id);
  if (o.id === objectId) return true;
  for (const field of ['payment_intent', 'charge', 'subscription', 'invoice']) {
    if (link(o[field]) === objectId) return true;
  }
  const parent = o.parent as { subscription_details?: { subscription?: unknown } } | undefined;
  return link(parent?.subscription_details?.subscription) === objectId;
}

async function listEventsAbout(stripe: Stripe, objectId: string): Promise<Stripe.Event[]> {
  const prefix = Object.keys(TYPES_BY_PREFIX).find((p) => objectId.startsWith(p));
  if (!prefix) throw new AppError('VALIDATION', `Cannot look up events for "${objectId}": unsupported Stripe id`);
  const found: Stripe.Event[] = [];
  for (const type of TYPES_BY_PREFIX[prefix] ?? []) {
    const ofType: Stripe.Event[] = [];
    try {
      let scanned = 0;
      for await (const event of stripe.events.list({ type, limit: 100 })) {
        if (concerns(event, objectId)) ofType.push(event);
        if (++scanned >= 5000) break;
      }
    } catch (err) {
      throw stripeError(err, `events of ${objectId}`);
    }
    // Stripe lists newest first, and events of one second (completed, then succeeded) share their
    // `created`: reversed, the stable sort below keeps them in the order they happened.
    found.push(...ofType.reverse());
  }
  return [...new Map(found.map((e) => [e.id, e])).values()].sort((a, b) => a.created - b.created);
}

export async function fetchMissingEvents(
  ctx: PipelineContext,
  input: { eventId?: string | null; objectId?: string | null; actor: Actor; reason?: string | null },
): Promise<FetchedEventResult[]> {
  const stripe = ctx.stripe;
  if (!stripe) throw new AppError('STRIPE_ERROR', 'Stripe is not configured');
  let events: Stripe.Event[];
  if (input.eventId) {
    try {
      events = [await stripe.events.retrieve(input.eventId)];
    } catch (err) {
      throw stripeError(err, `event ${input.eventId}`);
    }
  } else if (input.objectId) {
    // An object id alone: every recent event about it.
    events = await listEventsAbout(stripe, input.objectId);
    if (!events.length) {
      throw new AppError('NOT_FOUND', `Stripe has no event about ${input.objectId} in the last 30 days`);
    }
  } else {
    throw new AppError('VALIDATION', 'Give an event id or a Stripe object id');
  }

  const results: FetchedEventResult[] = [];
  for (const event of events) {
    const stored = await ingestEvent(ctx.prisma, {
      event,
      rawJson: JSON.stringify(event),
      objectId: (event.data.object as { id?: string }).id ?? null,
      handled: Object.hasOwn(ctx.handlers, event.type),
      source: 'manual',
    });
    const result = await processEvent(ctx, event.id, { force: stored.duplicate, actorId: input.actor.id });
    results.push({ ...result, type: event.type, fetched: !stored.duplicate });
  }
  const customerIds = await ctx.prisma.stripeEvent.findMany({
    where: { id: { in: results.map((r) => r.eventId) }, customerId: { not: null } },
    select: { customerId: true },
  });
  await recordAudit(ctx.prisma, {
    actor: input.actor,
    action: 'stripe_event.fetch',
    targetType: input.eventId ? 'stripe_event' : 'stripe_object',
    targetId: input.eventId ?? input.objectId ?? null,
    customerId: customerIds[0]?.customerId ?? null,
    after: results.map((r) => ({
      eventId: r.eventId,
      type: r.type,
      fetched: r.fetched,
      status: r.status,
      error: r.error ?? null,
    })),
    reason: input.reason ?? null,
  });
  return results;
}
