// A failed automatic top-up, whichever way it failed: a decline at the charge, a PaymentIntent
// left needing the customer (requires_action), or a payment_intent.payment_failed webhook after
// the fact. Marks it failed, pauses further top-ups and records topup.failed — once: only a top-up
// still in flight changes, so a redelivered or replayed event (or the webhook for a decline the
// job already handled) does nothing, and a resume by support is not undone.
import type Stripe from 'stripe';
import type { Tx } from '../../db/tx.ts';
import { recordOutboundEvent } from '../outbound/record-outbound-event.ts';

export interface TopupFailure {
  code: 'card_declined' | 'authentication_required' | 'monthly_cap' | 'no_payment_method' | string;
  message: string;
}

/** Why a PaymentIntent will not pay by itself; null while it can still succeed (or did). */
export function failureOf(pi: Stripe.PaymentIntent): TopupFailure | null {
  const err = pi.last_payment_error;
  if (pi.status === 'requires_action' || err?.code === 'authentication_required') {
    return { code: 'authentication_required', message: err?.message ?? 'The bank asked the customer to authenticate' };
  }
  if (pi.status === 'requires_payment_method' || pi.status === 'canceled') {
    return { code: 'card_declined', message: err?.message ?? `The payment ended ${pi.status}` };
  }
  return null;
}

/** Returns false when the top-up was no longer in flight (already failed, capped or paid). */
export async function failTopup(
  tx: Tx,
  topupId: string,
  failure: TopupFailure,
  paymentIntentId: string | null = null,
): Promise<boolean> {
  const { count } = await tx.autoTopup.updateMany({
    where: { id: topupId, status: { in: ['pending', 'processing'] } },
    data: {
      status: failure.code === 'monthly_cap' ? 'capped' : 'failed',
      failureCode: failure.code,
      failureMessage: failure.message,
      ...(paymentIntentId ? { paymentIntentId } : {}),
    },
  });
  if (count === 0) return false;
  const row = await tx.autoTopup.findUniqueOrThrow({ where: { id: topupId } });
  await tx.autoTopupSetting.update({
    where: { customerId: row.customerId },
    data: { pausedAt: new Date(), pausedReason: failure.code },
  });
  await recordOutboundEvent(tx, {
    type: 'topup.failed',
    customerId: row.customerId,
    sourceKey: `topup.failed:${row.id}`,
    data: {
      topupId: row.id,
      pack: row.packKey,
      credits: row.credits,
      amount: row.amount,
      currency: row.currency,
      reason: failure.code,
      message: failure.message,
      paused: true,
    },
  });
  return true;
}
