import { defineHandler } from '../../modules/stripe-events/event-handler.ts';
import { refundHandler } from './refund.ts';

export default defineHandler('refund.updated', refundHandler());
