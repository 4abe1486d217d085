import { defineHandler } from '../../modules/stripe-events/event-handler.ts';
import { disputeHandler } from './dispute.ts';

export default defineHandler('charge.dispute.funds_reinstated', disputeHandler());
