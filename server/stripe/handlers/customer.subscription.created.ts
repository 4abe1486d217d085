import { defineHandler } from '../../modules/billing/event-handler.ts';
import { subscriptionHandler } from './subscription.ts';

export default defineHandler('customer.subscription.created', subscriptionHandler({ deleted: false }));
