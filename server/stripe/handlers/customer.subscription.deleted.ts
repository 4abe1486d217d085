// The subscription ended: the customer falls back to the default plan and the plan's entitlements go.
import { defineHandler } from '../../modules/stripe-events/event-handler.ts';
import { subscriptionHandler } from './subscription.ts';

export default defineHandler('customer.subscription.deleted', subscriptionHandler({ deleted: true }));
