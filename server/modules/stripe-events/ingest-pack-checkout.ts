// The fast path for the event behind nearly every purchase: a new checkout.session.completed for a
// paid credit pack, with the metadata our own Checkout Sessions carry. One statement (the database
// function stripe_ingest_pack_checkout) stores the event and its delivery, grants the pack through
// the ledger, records the payment and the processing attempt, and commits: one round trip and one
// commit instead of an ingest plus a processing transaction of nine statements. A repeat delivery
// is recorded as ingestEvent records one, also in one statement.
//
// It must leave exactly what ingestEvent + processEvent + applyCheckoutSession leave for the same
// event (server/stripe/fast-path.test.ts compares the two). Whatever it does not cover answers
// `fallback` with nothing written, and the caller runs the general pipeline.
import type Stripe from 'stripe';
import { pgPool, type Db } from '../../db/client.ts';
import type { EventStatus } from '../../generated/prisma/enums.ts';
import type { IngestEventResult } from './ingest-event.ts';
import { stripeId } from '../billing/resolve-event-customer.ts';

export interface PackCheckoutEvent {
  id: string;
  type: string;
  created: number;
  livemode: boolean;
  api_version?: string | null;
  data: { object: unknown };
}

/** What the database function reads besides the payload (all taken from the verified event). */
export interface PackCheckoutInput {
  id: string;
  type: string;
  apiVersion: string | null;
  created: number;
  livemode: boolean;
  sessionId: string;
  userId: string;
  stripeCustomerId: string | null;
  email: string | null;
  packKey: string;
  paymentIntentId: string | null;
  amount: number | null;
  currency: string | null;
  /** From our checkout endpoint's session metadata (client_ip / user_agent), for dispute evidence. */
  purchaseIp: string | null;
  purchaseUserAgent: string | null;
}

/** `stored`: as ingestEvent would answer, the event already processed unless it was a repeat. */
export type PackCheckoutResult =
  { outcome: 'stored'; stored: IngestEventResult } | { outcome: 'fallback'; reason: string };

/**
 * The function's input when the event is a completed, paid, single-pack checkout that names its
 * customer (applyCheckoutSession's common case); null for anything else.
 */
export function packCheckoutInput(event: PackCheckoutEvent): PackCheckoutInput | null {
  if (event.type !== 'checkout.session.completed') return null;
  const session = event.data.object as Stripe.Checkout.Session;
  const meta = session.metadata ?? {};
  // Only our own sessions (metadata.user_id) take the fast path: a bare client_reference_id is a
  // claim anyone can make, checked by the general path (applyCheckoutSession.trustedUserId).
  const userId = meta.user_id;
  const paid = session.payment_status === 'paid' || session.payment_status === 'no_payment_required';
  const amount = session.amount_total ?? null;
  if (
    typeof session.id !== 'string' ||
    session.mode !== 'payment' ||
    !paid ||
    meta.kind !== 'pack' ||
    !meta.key ||
    // Auto top-up sign-ups also turn the setting on: the general path (applyCheckoutSession) does that.
    meta.auto_topup === '1' ||
    !userId ||
    // The ledger's own limits (assertEntryText, grantCredits): left to the general path to report.
    `grant:${session.id}`.length > 255 ||
    (amount !== null && (!Number.isSafeInteger(amount) || amount < 0))
  ) {
    return null;
  }
  return {
    id: event.id,
    type: event.type,
    apiVersion: event.api_version ?? null,
    created: event.created,
    livemode: event.livemode,
    sessionId: session.id,
    userId,
    stripeCustomerId: stripeId(session.customer),
    email: session.customer_details?.email ?? session.customer_email ?? null,
    packKey: meta.key,
    paymentIntentId: stripeId(session.payment_intent),
    amount,
    currency: session.currency ?? null,
    purchaseIp: meta.client_ip ?? null,
    purchaseUserAgent: meta.user_agent ?? null,
  };
}

/** What the function answers (ids as text: bigint does not survive JSON numbers). */
interface Answer {
  status: 'stored' | 'fallback';
  deliveryId?: string;
  duplicate?: boolean;
  eventStatus?: EventStatus;
  reason?: string;
}

export async function ingestPackCheckout(
  db: Db,
  input: PackCheckoutInput & {
    /** The exact JSON text Stripe signed; stored as is. */
    rawJson: string;
    /** The handler's lock keys: the same advisory locks the general pipeline takes. */
    lockKeys: string[];
    /** Time spent on this arrival so far (verification), recorded on the delivery. */
    elapsedMs: number;
    /** The delivering request's id, stored on the event (stripe_event.request_id's default). */
    requestId?: string | null;
  },
): Promise<PackCheckoutResult> {
  const { rawJson, purchaseIp, purchaseUserAgent, requestId, ...fields } = input;
  // Straight on the pool: a single statement needs no transaction, and Prisma's per-query work
  // would cost more than the round trip itself. Unnamed (not prepared): the embedded database
  // shares one session between connections, where a named statement would collide.
  // The request id reaches the event row through a trigger (migration stripe_event_request_id)
  // reading a setting local to this statement's transaction: set first (a volatile FROM item runs
  // before the select list), gone when the statement ends, so no other statement sees it.
  const { rows } = await pgPool(db).query<{ r: Answer }>(
    `SELECT stripe_ingest_pack_checkout($1::jsonb, $2::jsonb) AS r
       FROM (SELECT set_config('creditdesk.request_id', COALESCE($3::text, ''), true)) AS request`,
    [JSON.stringify({ ...fields, elapsedMs: Math.round(fields.elapsedMs) }), rawJson, requestId ?? null],
  );
  const r = rows[0]?.r;
  if (r?.status === 'stored' && r.deliveryId && r.eventStatus) {
    // The purchase's IP and device: evidence only, so a second statement (the payment row exists
    // now) rather than another argument to the SQL function; the first recorded value stays.
    if (purchaseIp || purchaseUserAgent) {
      await pgPool(db).query(
        `UPDATE payment SET purchase_ip = COALESCE(purchase_ip, $2), purchase_user_agent = COALESCE(purchase_user_agent, $3)
          WHERE checkout_session_id = $1`,
        [fields.sessionId, purchaseIp, purchaseUserAgent],
      );
    }
    return {
      outcome: 'stored',
      stored: { deliveryId: BigInt(r.deliveryId), duplicate: r.duplicate === true, status: r.eventStatus },
    };
  }
  return { outcome: 'fallback', reason: r?.reason ?? 'no answer' };
}
