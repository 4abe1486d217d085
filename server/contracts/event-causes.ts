// Why a stored Stripe event is failed or deferred, as data: a closed code plus the detail a repair
// needs (the price to map, the object waited for). The pipeline stores the code and detail on the
// event (stripe_event.cause / cause_detail); verdicts, the price-mapping helper and the web read
// them, never the words. The words for people are made here, from the code, and nowhere else, so
// rewording one cannot break a rule that acts on it. Shared by server and web (imports zod only).
import { z } from 'zod';

const id = z.string().min(1).max(255);
const text = z.string().max(500);

const cause = <C extends string, D extends z.ZodRawShape>(code: C, detail: D) =>
  z.object({ code: z.literal(code), detail: z.object(detail) });

const eventCauseSchema = z.discriminatedUnion('code', [
  // Needs a person: retrying cannot help until the catalog or a link changes.
  /** A price no plan or pack maps. What the payload tells about it helps an admin map it. */
  cause('unknown_price', {
    priceId: id,
    /** Unit amount (minor units) and currency of the price, when the payload carries them. */
    amount: z.number().int().nullish(),
    currency: z.string().max(10).nullish(),
    productId: id.nullish(),
    /** Product name or price nickname / line description, when the payload carries one. */
    productName: text.nullish(),
    /** recurring (a plan's price) or one_time (a pack's), when the payload says. */
    priceType: z.enum(['recurring', 'one_time']).nullish(),
  }),
  cause('price_not_a_pack', { priceId: id }),
  cause('price_not_a_plan', { priceId: id }),
  cause('checkout_items_unknown', { sessionId: id }),
  cause('checkout_without_items', { sessionId: id }),
  cause('customer_unknown', {}),
  cause('pack_unknown', { packKey: id }),
  cause('plan_unknown', { planKey: id }),
  cause('invoice_plan_unknown', { invoiceId: id }),
  /** A live event on a test deployment or the reverse: stored, never applied. */
  cause('livemode_mismatch', { eventLivemode: z.boolean() }),
  /** The payload has not the shape we read for this type (another API version, a missing field). */
  cause('payload_unreadable', { apiVersion: z.string().max(50).nullish(), missing: text }),
  // Waiting: the related event usually arrives meanwhile, and the retry job tries again.
  cause('customer_not_linked_yet', { stripeCustomerId: id.nullish() }),
  cause('payment_not_seen_yet', { objectId: id, chargeId: id.nullish(), paymentIntentId: id.nullish() }),
  cause('payment_not_settled', { objectId: id, paymentId: id }),
  cause('subscription_not_seen_yet', { subscriptionId: id }),
  /** invoice_payment.paid before the invoice.paid that records the payment. */
  cause('invoice_not_seen_yet', { invoiceId: id, invoicePaymentId: id }),
  /** Work that needs Stripe's API, never done before a webhook's answer: the retry job does it. */
  cause('stripe_call_pending', { task: text }),
  cause('refunds_not_accounted', {
    chargeId: id,
    refunded: z.number().int(),
    accounted: z.number().int(),
  }),
  // Transient: the details are in the server log under this reference, never in the database text.
  /** A call to Stripe's API failed (unreachable, timed out, refused); errorType is the SDK's class. */
  cause('stripe_error', { correlationId: id, errorType: z.string().max(100).nullish() }),
  cause('internal_error', { correlationId: id }),
]);

export type EventCause = z.infer<typeof eventCauseSchema>;
export type EventCauseCode = EventCause['code'];
export type EventCauseOf<C extends EventCauseCode> = Extract<EventCause, { code: C }>;

/** A stored code and detail as a cause, or null when absent or not one we know (an old row). */
export function readEventCause(code: string | null | undefined, detail: unknown): EventCause | null {
  if (!code) return null;
  const parsed = eventCauseSchema.safeParse({ code, detail: detail ?? {} });
  return parsed.success ? parsed.data : null;
}

/** The price an unknown-price cause names, if it is one. */
export function unknownPriceOf(cause: EventCause | null | undefined): string | null {
  return cause?.code === 'unknown_price' ? cause.detail.priceId : null;
}

/** The cause in words for support (the failed queue, the event page, a verdict). */
export function describeEventCause(c: EventCause): string {
  switch (c.code) {
    case 'unknown_price':
      return `unknown price ${c.detail.priceId}`;
    case 'price_not_a_pack':
      return `price ${c.detail.priceId} is a plan price, not a credit pack`;
    case 'price_not_a_plan':
      return `price ${c.detail.priceId} is a credit pack price, not a plan`;
    case 'checkout_items_unknown':
      return `cannot tell what session ${c.detail.sessionId} bought: no kind/key metadata and its line items could not be listed`;
    case 'checkout_without_items':
      return `session ${c.detail.sessionId} has no line items`;
    case 'customer_unknown':
      return 'no customer';
    case 'pack_unknown':
      return `unknown credit pack ${c.detail.packKey}`;
    case 'plan_unknown':
      return `unknown plan ${c.detail.planKey}`;
    case 'invoice_plan_unknown':
      return `no plan known for invoice ${c.detail.invoiceId}`;
    case 'livemode_mismatch':
      return c.detail.eventLivemode
        ? 'a live-mode event reached this test-mode deployment: stored, not applied'
        : 'a test-mode event reached this live-mode deployment: stored, not applied';
    case 'payload_unreadable':
      return `the payload cannot be read${c.detail.apiVersion ? ` (API version ${c.detail.apiVersion})` : ''}: ${c.detail.missing}`;
    case 'customer_not_linked_yet':
      return `no customer linked to Stripe customer ${c.detail.stripeCustomerId ?? 'unknown'} yet (waiting for its checkout session)`;
    case 'payment_not_seen_yet':
      return `${c.detail.objectId} arrived before its payment ${c.detail.chargeId ?? c.detail.paymentIntentId ?? ''}`.trimEnd();
    case 'payment_not_settled':
      return `${c.detail.objectId}: payment ${c.detail.paymentId} is not settled yet (its success event has not arrived)`;
    case 'subscription_not_seen_yet':
      return `subscription ${c.detail.subscriptionId} not seen yet`;
    case 'invoice_not_seen_yet':
      return `invoice payment ${c.detail.invoicePaymentId}: invoice ${c.detail.invoiceId} not applied yet`;
    case 'stripe_call_pending':
      return `needs Stripe's API (${c.detail.task}): left to the background job`;
    case 'refunds_not_accounted':
      return `charge ${c.detail.chargeId} shows ${c.detail.refunded} refunded but only ${c.detail.accounted} is accounted for by known refunds`;
    case 'stripe_error':
      return `a call to Stripe failed${c.detail.errorType ? ` (${c.detail.errorType})` : ''}; retried automatically (reference ${c.detail.correlationId} in the server log)`;
    case 'internal_error':
      return `an internal error stopped it; retried automatically (reference ${c.detail.correlationId} in the server log)`;
    default: {
      const never: never = c;
      return String(never);
    }
  }
}
