// invoice.payment_failed: the subscription enters a grace period of rules.gracePeriodDays counted
// from the failure, with entitlements kept; the grace-expiry job downgrades when it ends unpaid.
// Stripe retries send several failures for one invoice: the first one opens the grace period and
// later ones do not extend it. A failure for an invoice already paid changes nothing.
import type Stripe from 'stripe';
import type { Tx } from '../../db/tx.ts';
import { loadPlanName } from '../catalog/catalog-names.ts';
import { getRules } from '../catalog/get-rules.ts';
import type { EventEnvelope, HandlerOutcome } from '../stripe-events/event-handler.ts';
import { findSubscriptionForInvoice } from './find-subscription-for-invoice.ts';
import { invoiceFacts } from './invoice-facts.ts';
import { syncCustomerPlan } from './sync-customer-plan.ts';
import { recordOutboundEvent } from '../outbound/record-outbound-event.ts';

export async function applyInvoicePaymentFailed(
  tx: Tx,
  input: {
    invoice: Stripe.Invoice;
    event: EventEnvelope;
    now: Date;
    reread: { subscription: Stripe.Subscription; readAt: Date } | null;
  },
): Promise<HandlerOutcome> {
  const { invoice, event, now } = input;
  const facts = invoiceFacts(invoice);
  if (!facts.subscriptionId) return { summary: `payment failed for one-off invoice ${invoice.id}: recorded` };
  const sub = await findSubscriptionForInvoice(tx, {
    subscriptionId: facts.subscriptionId,
    reread: input.reread,
    linkedCustomerId: event.linkedCustomerId,
    now,
  });

  const existing = await tx.payment.findUnique({ where: { invoiceId: invoice.id } });
  if (existing && existing.status !== 'pending' && existing.status !== 'failed') {
    return {
      summary: `invoice ${invoice.id} is already ${existing.status}: this older failure changes nothing`,
      customerId: sub.customerId,
    };
  }
  if (!existing) {
    await tx.payment.create({
      data: {
        customerId: sub.customerId,
        kind: 'subscription',
        catalogKey: sub.planKey,
        invoiceId: invoice.id,
        subscriptionId: sub.id,
        amount: invoice.amount_due,
        currency: invoice.currency,
        status: 'failed',
      },
    });
  } else if (existing.status === 'pending') {
    await tx.payment.update({ where: { id: existing.id }, data: { status: 'failed' } });
  }

  // A healthy state newer than this failure (a later paid invoice, an active subscription)
  // means the failure was already recovered from.
  const recovered = await tx.payment.findFirst({
    where: { subscriptionId: sub.id, status: 'paid', paidAt: { gt: event.created } },
    select: { id: true },
  });
  if (recovered || sub.status === 'canceled') {
    return {
      summary: `payment failed for ${invoice.id}, but the subscription has since recovered or ended`,
      customerId: sub.customerId,
    };
  }
  if (sub.graceStartedAt && sub.graceStartedAt <= event.created) {
    return {
      summary: `payment failed again for ${invoice.id}; grace period already running until ${sub.graceUntil?.toISOString()}`,
      customerId: sub.customerId,
    };
  }
  const rules = await getRules(tx);
  const graceUntil = new Date(event.created.getTime() + rules.gracePeriodDays * 86_400_000);
  await tx.subscription.update({ where: { id: sub.id }, data: { graceStartedAt: event.created, graceUntil } });
  await recordOutboundEvent(tx, {
    type: 'payment.failed',
    customerId: sub.customerId,
    sourceKey: `payment.failed:${invoice.id}:${sub.id}`,
    data: {
      invoiceId: invoice.id,
      subscriptionId: sub.id,
      amount: invoice.amount_due,
      currency: invoice.currency,
      graceUntil: graceUntil.toISOString(),
    },
  });
  const synced = await syncCustomerPlan(tx, {
    customerId: sub.customerId,
    now,
    reason: `Payment failed for invoice ${invoice.id}`,
    reference: invoice.id,
  });
  const plan = synced.changed ? `; plan is now ${await loadPlanName(tx, synced.planKey)}` : '';
  return {
    summary: `payment failed for ${invoice.id}: grace period until ${graceUntil.toISOString()} (entitlements kept)${plan}`,
    customerId: sub.customerId,
  };
}
