// invoice.paid (and invoice.payment_succeeded, which replays it): the period's included credits,
// granted once per invoice (ledger key grant:<in_id>) for the first invoice and each renewal; they
// expire at the end of the period unless the plan rolls over; a paid mid-period upgrade grants the
// prorated difference (upgrade-credits.ts). A paid invoice newer than the
// failure that opened a grace period ends it.
import { formatCredits } from '../../contracts/money.ts';
import type Stripe from 'stripe';
import type { Tx } from '../../db/tx.ts';
import type { Actor } from '../../lib/actor.ts';
import { loadPlanName } from '../catalog/catalog-names.ts';
import { findPriceMapping } from '../catalog/find-price-mapping.ts';
import { getPlan } from '../catalog/get-plan.ts';
import { grantCredits } from '../ledger/grant-credits.ts';
import type { EventEnvelope, HandlerOutcome } from '../stripe-events/event-handler.ts';
import { EventFailedError } from '../stripe-events/event-errors.ts';
import { findSubscriptionForInvoice } from './find-subscription-for-invoice.ts';
import { invoiceFacts } from './invoice-facts.ts';
import { syncCustomerPlan } from './sync-customer-plan.ts';
import { grantUpgradeCredits } from './upgrade-credits.ts';
import { unknownPrice } from '../stripe-events/unknown-price.ts';

const GRANTING_REASONS = new Set(['subscription_create', 'subscription_cycle']);

export async function applyInvoicePaid(
  tx: Tx,
  input: {
    invoice: Stripe.Invoice;
    event: EventEnvelope;
    actor: Actor;
    now: Date;
    reread: { subscription: Stripe.Subscription; readAt: Date } | null;
  },
): Promise<HandlerOutcome> {
  const { invoice, event, actor, now } = input;
  const facts = invoiceFacts(invoice);
  if (!facts.subscriptionId)
    return { summary: `invoice ${invoice.id} is not a subscription invoice: nothing to grant` };
  const sub = await findSubscriptionForInvoice(tx, {
    subscriptionId: facts.subscriptionId,
    reread: input.reread,
    linkedCustomerId: event.linkedCustomerId,
    now,
  });

  let planKey = sub.planKey;
  if (facts.priceId) {
    const mapping = await findPriceMapping(tx, facts.priceId);
    if (!mapping) throw new EventFailedError(unknownPrice(facts.priceId, facts.priceSeen));
    if (mapping.kind !== 'plan')
      throw new EventFailedError({ code: 'price_not_a_plan', detail: { priceId: facts.priceId } });
    planKey = mapping.plan.key;
  }
  if (!planKey) throw new EventFailedError({ code: 'invoice_plan_unknown', detail: { invoiceId: invoice.id } });
  const plan = await getPlan(tx, planKey);
  if (!plan) throw new EventFailedError({ code: 'plan_unknown', detail: { planKey } });

  const paidAt = invoice.status_transitions?.paid_at
    ? new Date(invoice.status_transitions.paid_at * 1000)
    : event.created;
  const paymentData = {
    customerId: sub.customerId,
    kind: 'subscription',
    catalogKey: planKey,
    subscriptionId: sub.id,
    amount: invoice.amount_paid,
    currency: invoice.currency,
    paidAt,
    ...(facts.paymentIntentId ? { paymentIntentId: facts.paymentIntentId } : {}),
    ...(facts.chargeId ? { chargeId: facts.chargeId } : {}),
  };
  // Where the buyer was when our checkout endpoint made the subscription's session: its metadata
  // (client_ip / user_agent) rides on the subscription, and the invoice carries a snapshot of it.
  // Dispute evidence and Visa CE 3.0 matching read it from the payment, as for packs.
  const meta = facts.subscriptionMetadata ?? {};
  const origin = {
    ...(meta.client_ip ? { purchaseIp: meta.client_ip } : {}),
    ...(meta.user_agent ? { purchaseUserAgent: meta.user_agent } : {}),
  };
  const existing = await tx.payment.findUnique({ where: { invoiceId: invoice.id } });
  const reason = invoice.billing_reason ?? 'unknown';
  // The period's credits are granted first, so the payment row is written once, with its lot.
  const grant =
    GRANTING_REASONS.has(reason) && plan.monthlyCredits > 0
      ? await grantCredits(tx, {
          customerId: sub.customerId,
          credits: plan.monthlyCredits,
          type: 'subscription_grant',
          source: 'subscription_period',
          costBasis: 'paid',
          amountPaid: invoice.amount_paid,
          currency: invoice.currency,
          stripeReference: invoice.id,
          expiresAt: plan.rollover ? null : (facts.periodEnd ?? sub.currentPeriodEnd),
          idempotencyKey: `grant:${invoice.id}`,
          reason: `${plan.name} plan credits for the period${reason === 'subscription_create' ? ' (first invoice)' : ' (renewal)'}`,
          actor,
          reference: invoice.id,
          referenceType: 'invoice',
        })
      : null;
  const granted = grant ? { lotId: grant.lot?.id ?? existing?.lotId ?? null, creditsGranted: grant.entry.credits } : {};
  const payment = existing
    ? await tx.payment.update({
        where: { id: existing.id },
        data: {
          ...paymentData,
          ...(existing.purchaseIp || existing.purchaseUserAgent ? {} : origin),
          status: existing.status === 'refunded' || existing.status === 'partially_refunded' ? existing.status : 'paid',
          ...granted,
        },
      })
    : await tx.payment.create({
        data: { ...paymentData, ...origin, invoiceId: invoice.id, status: 'paid', ...granted },
      });

  const parts: string[] = [];
  if (grant) {
    parts.push(
      grant.replayed
        ? `credits for ${invoice.id} were already granted: nothing added`
        : `granted ${formatCredits(plan.monthlyCredits)} ${plan.name} plan credits for ${invoice.id}`,
    );
  } else if (reason === 'subscription_update') {
    parts.push(await grantUpgradeCredits(tx, { invoice, sub, payment, actor }));
  } else {
    parts.push(`invoice ${invoice.id} paid (billing_reason ${reason}): no period credits for this kind of invoice`);
  }

  if (sub.graceStartedAt && event.created >= sub.graceStartedAt) {
    await tx.subscription.update({ where: { id: sub.id }, data: { graceUntil: null, graceStartedAt: null } });
    parts.push('grace period ended');
  }
  const synced = await syncCustomerPlan(tx, {
    customerId: sub.customerId,
    now,
    reason: `Invoice ${invoice.id} paid`,
    reference: invoice.id,
  });
  if (synced.changed) parts.push(`customer plan is now ${await loadPlanName(tx, synced.planKey)}`);
  return { summary: parts.join('; '), customerId: sub.customerId };
}
