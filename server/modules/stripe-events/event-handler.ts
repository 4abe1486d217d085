// The contract between the event pipeline (ingest -> process) and the per-type handlers in
// server/stripe/handlers. The pipeline owns the transaction, the row lock on the stored event and
// the status machine; a handler only turns one Stripe object into effects.
import type Stripe from 'stripe';
import type { Db } from '../../db/client.ts';
import type { Tx } from '../../db/tx.ts';
import type { Actor } from '../../lib/actor.ts';

export type StripeEventType = Stripe.Event['type'];
export type StripeObjectOf<T extends StripeEventType> = Extract<Stripe.Event, { type: T }>['data']['object'];

/** The stored event as handlers see it (payload is the verified snapshot event). */
export interface EventEnvelope {
  id: string;
  type: string;
  created: Date;
  livemode: boolean;
  /** Customer linked to the event by support ("link customer"), used when the payload names none. */
  linkedCustomerId: string | null;
  /** The Idempotency-Key of the API request that caused the event (null when Stripe acted alone). */
  requestIdempotencyKey: string | null;
  previousAttributes: Record<string, unknown> | null;
}

export interface PrepareContext {
  prisma: Db;
  /** null when no Stripe connection is configured: handlers then work from the payload alone. */
  stripe: Stripe | null;
  /** true while a webhook is being answered: no Stripe calls (reach Stripe via stripeForPrepare). */
  inline?: boolean;
}

export interface ApplyInput<O, P> {
  event: EventEnvelope;
  object: O;
  prepared: P;
  actor: Actor;
  now: Date;
}

export interface HandlerOutcome {
  /** What happened, in words support can read ("granted 500 credits (pack starter)"). */
  summary: string;
  customerId?: string | null;
}

// Methods (not function properties) so a map of handlers with different object types type-checks.
export interface EventHandler<O, P = undefined> {
  /** Ids whose events must not be applied concurrently (customer, session, charge...). */
  lockKeys?(object: O): Array<string | null | undefined>;
  /** Network phase, outside the transaction (re-read an object, list line items). */
  prepare?(ctx: PrepareContext, object: O, event: EventEnvelope): Promise<P>;
  apply(tx: Tx, input: ApplyInput<O, P>): Promise<HandlerOutcome>;
}

export type HandlerMap = { [K in StripeEventType]?: EventHandler<StripeObjectOf<K>, unknown> };

export function defineHandler<T extends StripeEventType, P = undefined>(
  _type: T,
  handler: EventHandler<StripeObjectOf<T>, P>,
): EventHandler<StripeObjectOf<T>, P> {
  return handler;
}
