import { defineHandler } from '../../modules/stripe-events/event-handler.ts';
import { subscriptionHandler } from './subscription.ts';

export default defineHandler('customer.subscription.resumed', subscriptionHandler({ deleted: false }));
