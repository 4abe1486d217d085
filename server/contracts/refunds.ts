// Refund inputs (zod, shared by the procedures and the web forms) and the words the UI uses.
import { z } from 'zod';
import { formatMoney, parseMajorAmount } from './money.ts';
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

/**
 * The refund form's resolver: the request's own reason rules, and its amount as typed, in major
 * units of the payment's currency ("6.50" or "6,50"), read into minor units by the same amount
 * rule and held to the live proposal (a refund can be lowered, never raised; request-refund.ts
 * refuses more too).
 */
export function refundFormInput(currency: string, proposal: number) {
  return requestRefundInput.pick({ reason: true, stripeReason: true }).extend({
    amount: z
      .string()
      .transform((text, ctx) => {
        const minor = parseMajorAmount(text, currency);
        if (minor === null) ctx.addIssue({ code: 'custom', message: 'Enter an amount like 6.00' });
        return minor ?? z.NEVER;
      })
      .pipe(
        amount.max(proposal, `At most ${formatMoney(proposal, currency)}: the amount can be lowered, never raised`),
      ),
  });
}

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
