import { defineHandler } from '../../modules/billing/event-handler.ts';
import { refundHandler } from './refund.ts';

export default defineHandler('charge.refund.updated', refundHandler());
