// Refund inputs (zod, shared by the procedures and the web forms) and the words the UI uses.
import { z } from 'zod';
import { REFUND_STATUSES } from './statuses.ts';

export const STRIPE_REFUND_REASONS = ['requested_by_customer', 'duplicate', 'fraudulent'] as const;
export type StripeRefundReasonValue = (typeof STRIPE_REFUND_REASONS)[number];

export const STRIPE_REFUND_REASON_LABELS: Record<StripeRefundReasonValue, string> = {
  requested_by_customer: 'Requested by the customer',
  duplicate: 'Duplicate payment',
  fraudulent: 'Fraudulent (adds the card and email to Radar block lists)',
};

const reason = z
  .string()
  .trim()
  .min(5, 'Say why in a few words (5 characters or more)')
  .max(500, 'Keep the reason under 500 characters');
const amount = z
  .number({ error: 'Enter an amount' })
  .int('Whole minor units only')
  .positive('The amount must be above 0')
  .max(100_000_000, 'That amount is too large');

export const previewRefundInput = z.object({
  paymentId: z.uuid('Not a payment id'),
  amount: amount.nullish(),
});

export const requestRefundInput = z.object({
  paymentId: z.uuid('Not a payment id'),
  amount,
  reason,
  stripeReason: z.enum(STRIPE_REFUND_REASONS, { error: 'Choose the reason Stripe records' }),
  requestId: z.uuid(),
  fingerprint: z.string().min(1).max(500),
});
export type RequestRefundForm = z.input<typeof requestRefundInput>;

export const approveRefundInput = z.object({
  refundId: z.uuid(),
  fingerprint: z.string().min(1).max(500),
  /** Why the approver lets it go out (the web asks for it); recorded in the audit log. */
  reason: reason.optional(),
});
export const rejectRefundInput = z.object({ refundId: z.uuid(), reason });

export const listRefundsInput = z.object({
  view: z.enum(['awaiting', 'history']).default('history'),
  status: z.enum(REFUND_STATUSES).nullish(),
  customerId: z.uuid().nullish(),
  cursor: z.string().max(200).nullish(),
  limit: z.number().int().min(1).max(100).default(25),
});
