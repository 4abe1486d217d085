import { defineHandler } from '../../modules/stripe-events/event-handler.ts';
import { subscriptionHandler } from './subscription.ts';

export default defineHandler('customer.subscription.paused', subscriptionHandler({ deleted: false }));
