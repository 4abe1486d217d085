import type Stripe from 'stripe';
import { applyChargeRefunded, listChargeRefunds } from '../../modules/billing/apply-charge-refunded.ts';
import { defineHandler } from '../../modules/billing/event-handler.ts';
import { ids } from './lock-keys.ts';

export default defineHandler<'charge.refunded', Stripe.Refund[] | null>('charge.refunded', {
  lockKeys: (charge) => [...ids(charge.id, charge.payment_intent), ...(charge.refunds?.data ?? []).map((r) => r.id)],
  prepare: (ctx, charge) => listChargeRefunds(ctx.stripe, charge),
  apply: (tx, { object, actor, prepared }) => applyChargeRefunded(tx, { charge: object, listed: prepared, actor }),
});
