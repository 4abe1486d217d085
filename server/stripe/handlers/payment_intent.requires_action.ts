import { defineHandler } from '../../modules/stripe-events/event-handler.ts';
import { applyTopupFailure } from '../../modules/topups/apply-topup-failure.ts';
import { ids } from './lock-keys.ts';

export default defineHandler('payment_intent.requires_action', {
  lockKeys: (pi) => ids(pi.id, pi.customer),
  apply: (tx, { object }) => applyTopupFailure(tx, object),
});
