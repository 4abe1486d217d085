// checkout.session.completed / async_payment_succeeded / async_payment_failed / expired.
// A pack is granted once per session (ledger key grant:<cs_id>), whichever of these events brings
// payment_status=paid first; later ones replay. Subscription sessions only link the customer: the
// credits come with the subscription's paid invoices.
import { formatCredits } from '../../contracts/money.ts';
import { packWords } from '../../contracts/catalog-names.ts';
import type Stripe from 'stripe';
import type { Tx } from '../../db/tx.ts';
import type { Actor } from '../../lib/actor.ts';
import { findPriceMapping } from '../catalog/find-price-mapping.ts';
import { getPack, packExpiry } from '../catalog/get-pack.ts';
import { grantCredits } from '../ledger/grant-credits.ts';
import type { EventEnvelope, HandlerOutcome, PrepareContext } from '../stripe-events/event-handler.ts';
import { EventFailedError } from '../stripe-events/event-errors.ts';
import { resolveEventCustomer, stripeId } from './resolve-event-customer.ts';
import { stripeForPrepare } from '../stripe-events/stripe-access.ts';
import { priceSeen, unknownPrice, type PriceSeen } from '../stripe-events/unknown-price.ts';
import { enableAutoTopupFromCheckout } from '../topups/auto-topup-settings.ts';

export type CheckoutPhase = 'completed' | 'async_payment_succeeded' | 'async_payment_failed' | 'expired';

export interface LineItemPrice {
  priceId: string;
  quantity: number;
  /** What the line item says about the price, for the unknown-price cause. */
  seen?: PriceSeen;
}

const SETTLED = new Set(['paid', 'refunded', 'partially_refunded']);

/** Line items of a session that carries none of our metadata, if Stripe was reachable. */
export async function listSessionPrices(
  ctx: PrepareContext,
  session: Stripe.Checkout.Session,
): Promise<LineItemPrice[] | null> {
  if (session.metadata?.kind && session.metadata.key) return null;
  const embedded = session.line_items?.data;
  const stripe = embedded ? null : stripeForPrepare(ctx, `list the line items of ${session.id}`);
  const items =
    embedded ?? (stripe ? (await stripe.checkout.sessions.listLineItems(session.id, { limit: 100 })).data : null);
  if (!items) return null;
  return items
    .map((item) => ({
      priceId: item.price?.id ?? '',
      quantity: item.quantity ?? 1,
      seen: priceSeen(item.price, { productName: item.description }),
    }))
    .filter((item) => item.priceId);
}

async function packsBought(
  tx: Tx,
  session: Stripe.Checkout.Session,
  prices: LineItemPrice[] | null,
): Promise<Array<{ key: string; quantity: number }>> {
  const meta = session.metadata ?? {};
  if (meta.kind === 'pack' && meta.key) return [{ key: meta.key, quantity: 1 }];
  if (!prices) {
    throw new EventFailedError({ code: 'checkout_items_unknown', detail: { sessionId: session.id } });
  }
  const packs: Array<{ key: string; quantity: number }> = [];
  for (const item of prices) {
    const mapping = await findPriceMapping(tx, item.priceId);
    if (!mapping) throw new EventFailedError(unknownPrice(item.priceId, item.seen));
    if (mapping.kind !== 'pack')
      throw new EventFailedError({ code: 'price_not_a_pack', detail: { priceId: item.priceId } });
    packs.push({ key: mapping.pack.key, quantity: item.quantity });
  }
  if (!packs.length) throw new EventFailedError({ code: 'checkout_without_items', detail: { sessionId: session.id } });
  return packs;
}

/**
 * The user a session may be attached to by id. Our own sessions carry metadata.user_id. Anyone can
 * open a Payment Link with client_reference_id set to someone else's user id, so that id counts
 * only when the session's Stripe customer or email already belongs to that customer; otherwise the
 * session resolves through its Stripe customer or support's link, or waits as an unlinked payment
 * (a stranger's payment, and its disputes, never land on the named user's account).
 */
async function trustedUserId(tx: Tx, session: Stripe.Checkout.Session): Promise<string | null> {
  if (session.metadata?.user_id) return session.metadata.user_id;
  const claimed = session.client_reference_id;
  if (!claimed) return null;
  const named = await tx.customer.findUnique({ where: { externalId: claimed } });
  if (!named) return null;
  const stripeCustomerId = stripeId(session.customer);
  const email = (session.customer_details?.email ?? session.customer_email ?? '').trim().toLowerCase();
  const sameStripeCustomer = !!stripeCustomerId && named.stripeCustomerId === stripeCustomerId;
  const sameEmail = !!email && named.email.trim().toLowerCase() === email;
  return sameStripeCustomer || sameEmail ? claimed : null;
}

/** Where the buyer was when our checkout endpoint made the session (the product's backend told us). */
function purchaseOrigin(session: Stripe.Checkout.Session) {
  const meta = session.metadata ?? {};
  return {
    ...(meta.client_ip ? { purchaseIp: meta.client_ip } : {}),
    ...(meta.user_agent ? { purchaseUserAgent: meta.user_agent } : {}),
  };
}

export async function applyCheckoutSession(
  tx: Tx,
  input: {
    session: Stripe.Checkout.Session;
    phase: CheckoutPhase;
    event: EventEnvelope;
    actor: Actor;
    prices: LineItemPrice[] | null;
  },
): Promise<HandlerOutcome> {
  const { session, phase, event, actor } = input;
  const customer = await resolveEventCustomer(tx, {
    userId: await trustedUserId(tx, session),
    email: session.customer_details?.email ?? session.customer_email,
    name: session.customer_details?.name,
    stripeCustomerId: session.customer,
    linkedCustomerId: event.linkedCustomerId,
  });

  if (phase === 'expired') {
    const updated = await tx.payment.updateMany({
      where: { checkoutSessionId: session.id, status: 'pending' },
      data: { status: 'failed' },
    });
    return {
      summary: `checkout session ${session.id} expired${updated.count ? '; pending payment marked failed' : ''}`,
      customerId: customer?.id ?? null,
    };
  }
  if (!customer) throw new EventFailedError({ code: 'customer_unknown', detail: {} });

  if (session.mode === 'subscription') {
    const subscriptionId = stripeId(session.subscription);
    return {
      summary: `subscription checkout ${session.id} linked to customer ${customer.externalId}${subscriptionId ? ` (${subscriptionId})` : ''}; credits come with its paid invoices`,
      customerId: customer.id,
    };
  }
  if (session.mode !== 'payment') {
    return { summary: `checkout session in ${session.mode} mode: nothing to apply`, customerId: customer.id };
  }

  const packs = await packsBought(tx, session, input.prices);
  let credits = 0;
  let expiresAt: Date | null = null;
  const packNames: Record<string, string> = {};
  for (const bought of packs) {
    const pack = await getPack(tx, bought.key);
    if (!pack) throw new EventFailedError({ code: 'pack_unknown', detail: { packKey: bought.key } });
    credits += pack.credits * bought.quantity;
    packNames[pack.key] = pack.name;
    // Expiry counts from the purchase (the event), not from when we happened to process it.
    const at = packExpiry(pack, event.created);
    if (at && (!expiresAt || at < expiresAt)) expiresAt = at;
  }
  const catalogKey = packs.map((p) => p.key).join(',');
  const boughtPacks = packWords({ plans: {}, packs: packNames }, catalogKey);
  const paid = session.payment_status === 'paid' || session.payment_status === 'no_payment_required';
  const amount = session.amount_total ?? 0;
  const currency = session.currency ?? 'usd';
  const paymentIntentId = stripeId(session.payment_intent);

  const existing = await tx.payment.findUnique({ where: { checkoutSessionId: session.id } });
  const nextStatus =
    existing && SETTLED.has(existing.status)
      ? existing.status
      : paid
        ? 'paid'
        : phase === 'async_payment_failed'
          ? 'failed'
          : 'pending';
  const grant = paid
    ? await grantCredits(tx, {
        customerId: customer.id,
        credits,
        type: 'purchase',
        source: 'pack_purchase',
        costBasis: 'paid',
        amountPaid: amount,
        currency,
        stripeReference: session.id,
        expiresAt,
        idempotencyKey: `grant:${session.id}`,
        reason: `Bought ${boughtPacks} (Checkout ${session.id})`,
        actor,
        reference: session.id,
        referenceType: 'checkout_session',
      })
    : null;
  const granted = grant ? { lotId: grant.lot.id, creditsGranted: grant.entry.credits } : {};
  if (existing) {
    await tx.payment.update({
      where: { id: existing.id },
      data: {
        status: nextStatus,
        customerId: existing.customerId ?? customer.id,
        ...(paymentIntentId && !existing.paymentIntentId ? { paymentIntentId } : {}),
        ...granted,
        ...(grant && !existing.paidAt ? { paidAt: event.created } : {}),
        ...(existing.purchaseIp || existing.purchaseUserAgent ? {} : purchaseOrigin(session)),
      },
    });
  } else {
    await tx.payment.create({
      data: {
        customerId: customer.id,
        kind: 'pack',
        catalogKey,
        checkoutSessionId: session.id,
        paymentIntentId,
        amount,
        currency,
        status: nextStatus,
        ...granted,
        ...(grant ? { paidAt: event.created } : {}),
        ...purchaseOrigin(session),
      },
    });
  }

  // Bought with "auto top-up" on: the card is saved, so automatic top-ups start (paid only).
  if (grant && session.metadata?.auto_topup === '1') await enableAutoTopupFromCheckout(tx, customer.id);

  if (!grant) {
    return {
      summary:
        phase === 'async_payment_failed'
          ? `async payment for ${session.id} failed: no credits granted`
          : `checkout ${session.id} completed unpaid (delayed payment method): payment pending, credits follow async_payment_succeeded`,
      customerId: customer.id,
    };
  }
  return {
    summary: grant.replayed
      ? `credits for ${session.id} were already granted (entry ${grant.entry.id}): nothing added`
      : `granted ${formatCredits(credits)} credits (${boughtPacks}) to ${customer.externalId} for ${session.id}`,
    customerId: customer.id,
  };
}
