import {
  applyChargeRefunded,
  prepareChargeRefunded,
  type ChargeRefundedPrepared,
} from '../../modules/billing/apply-charge-refunded.ts';
import { defineHandler } from '../../modules/stripe-events/event-handler.ts';
import { ids } from './lock-keys.ts';

export default defineHandler<'charge.refunded', ChargeRefundedPrepared>('charge.refunded', {
  lockKeys: (charge) => [...ids(charge.id, charge.payment_intent), ...(charge.refunds?.data ?? []).map((r) => r.id)],
  prepare: (ctx, charge) => prepareChargeRefunded(ctx, charge),
  apply: (tx, { object, actor, prepared }) => applyChargeRefunded(tx, { charge: object, prepared, actor }),
});
