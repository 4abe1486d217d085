import { defineHandler } from '../../modules/stripe-events/event-handler.ts';
import { linkCharge } from '../../modules/billing/link-charge.ts';
import { ids } from './lock-keys.ts';

export default defineHandler('charge.succeeded', {
  lockKeys: (charge) => ids(charge.id, charge.payment_intent),
  apply: (tx, { object }) => linkCharge(tx, { charge: object }),
});
