// payment_intent.succeeded for an automatic top-up (metadata.creditdesk_auto_topup): the credits
// arrive here like any purchase — a paid lot and a Payment (so refunds and disputes find it) — and
// the product hears topup.succeeded. Other PaymentIntents (Checkout's) are left to their handlers.
import { formatCredits } from '../../contracts/money.ts';
import type Stripe from 'stripe';
import type { Tx } from '../../db/tx.ts';
import type { Actor } from '../../lib/actor.ts';
import type { HandlerOutcome } from '../stripe-events/event-handler.ts';
import { packWords } from '../../contracts/catalog-names.ts';
import { loadCatalogNames } from '../catalog/catalog-names.ts';
import { grantCredits } from '../ledger/grant-credits.ts';
import { recordOutboundEvent } from '../outbound/record-outbound-event.ts';

export async function applyTopupPayment(
  tx: Tx,
  input: { paymentIntent: Stripe.PaymentIntent; actor: Actor; at: Date },
): Promise<HandlerOutcome> {
  const pi = input.paymentIntent;
  const topupId = pi.metadata?.creditdesk_auto_topup;
  if (!topupId) return { summary: `payment intent ${pi.id}: not an automatic top-up (Checkout handles it)` };
  const topup = await tx.autoTopup.findUnique({ where: { id: topupId } });
  if (!topup) return { summary: `payment intent ${pi.id}: top-up ${topupId} is unknown here` };
  const credits = topup.credits ?? Number(pi.metadata.credits ?? 0);
  const pack = packWords(await loadCatalogNames(tx), topup.packKey);
  const grant = await grantCredits(tx, {
    customerId: topup.customerId,
    credits,
    type: 'purchase',
    source: 'pack_purchase',
    costBasis: 'paid',
    amountPaid: pi.amount_received || pi.amount,
    currency: pi.currency,
    stripeReference: pi.id,
    idempotencyKey: `grant:${pi.id}`,
    reason: `Automatic top-up: ${pack} (${pi.id})`,
    actor: input.actor,
    reference: pi.id,
    referenceType: 'payment_intent',
  });
  await tx.payment.upsert({
    where: { paymentIntentId: pi.id },
    create: {
      customerId: topup.customerId,
      kind: 'pack',
      catalogKey: topup.packKey,
      paymentIntentId: pi.id,
      chargeId: typeof pi.latest_charge === 'string' ? pi.latest_charge : (pi.latest_charge?.id ?? null),
      amount: pi.amount_received || pi.amount,
      currency: pi.currency,
      status: 'paid',
      lotId: grant.lot.id,
      creditsGranted: credits,
      paidAt: input.at,
    },
    update: {},
  });
  await tx.autoTopup.update({
    where: { id: topup.id },
    data: { status: 'succeeded', paymentIntentId: pi.id, failureCode: null, failureMessage: null },
  });
  await recordOutboundEvent(tx, {
    type: 'topup.succeeded',
    customerId: topup.customerId,
    sourceKey: `topup.succeeded:${topup.id}`,
    data: {
      topupId: topup.id,
      paymentIntentId: pi.id,
      pack: topup.packKey,
      credits,
      amount: pi.amount_received || pi.amount,
      currency: pi.currency,
      balance: grant.entry.balanceAfter,
    },
  });
  return {
    summary: grant.replayed
      ? `automatic top-up ${topup.id} was already credited`
      : `automatic top-up: granted ${formatCredits(credits)} credits (${pack}) for ${pi.id}`,
    customerId: topup.customerId,
  };
}
