import { applyFraudWarning } from '../../modules/billing/apply-fraud-warning.ts';
import { defineHandler } from '../../modules/stripe-events/event-handler.ts';
import { ids } from './lock-keys.ts';

export default defineHandler('radar.early_fraud_warning.updated', {
  lockKeys: (warning) => ids(warning.id, warning.charge, warning.payment_intent),
  apply: (tx, { object }) => applyFraudWarning(tx, { warning: object }),
});
