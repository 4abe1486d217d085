import type Stripe from 'stripe';
import type { Emulator } from '../emulator.ts';
import { newId } from '../ids.ts';

export const EVIDENCE_TEXT_FIELDS = [
  'access_activity_log',
  'billing_address',
  'cancellation_policy_disclosure',
  'cancellation_rebuttal',
  'customer_email_address',
  'customer_name',
  'customer_purchase_ip',
  'duplicate_charge_explanation',
  'duplicate_charge_id',
  'product_description',
  'refund_policy_disclosure',
  'refund_refusal_explanation',
  'service_date',
  'shipping_address',
  'shipping_carrier',
  'shipping_date',
  'shipping_tracking_number',
  'uncategorized_text',
] as const;

export const EVIDENCE_FILE_FIELDS = [
  'cancellation_policy',
  'customer_communication',
  'customer_signature',
  'duplicate_charge_documentation',
  'receipt',
  'refund_policy',
  'service_documentation',
  'shipping_documentation',
  'uncategorized_file',
] as const;

/** Visa reason codes a card network would attach to each dispute reason. */
const NETWORK_REASON: Record<string, string> = {
  fraudulent: '10.4',
  product_not_received: '13.1',
  product_unacceptable: '13.3',
  duplicate: '12.6.1',
  subscription_canceled: '13.2',
  credit_not_processed: '13.6',
  unrecognized: '10.4',
  general: '13.1',
};

export function emptyEvidence(): Stripe.Dispute.Evidence {
  const e: Record<string, unknown> = { enhanced_evidence: {} };
  for (const f of EVIDENCE_TEXT_FIELDS) e[f] = null;
  for (const f of EVIDENCE_FILE_FIELDS) e[f] = null;
  return e as unknown as Stripe.Dispute.Evidence;
}

export interface DisputeInput {
  charge: Stripe.Charge;
  amount: number;
  reason: string;
  inquiry: boolean;
  evidenceDays: number;
}

export function buildDispute(emu: Emulator, input: DisputeInput): Stripe.Dispute {
  const now = emu.now();
  const ch = input.charge;
  const card = ch.payment_method_details?.card;
  const reasonCode = NETWORK_REASON[input.reason] ?? '13.1';
  return {
    id: newId('dp'),
    object: 'dispute',
    amount: input.amount,
    balance_transactions: [],
    charge: ch.id,
    created: now,
    currency: ch.currency,
    enhanced_eligibility_types: reasonCode === '10.4' ? ['visa_compelling_evidence_3'] : [],
    evidence: emptyEvidence(),
    evidence_details: {
      due_by: now + input.evidenceDays * 86_400,
      enhanced_eligibility: {},
      has_evidence: false,
      past_due: false,
      submission_count: 0,
      submission_method: 'not_submitted',
    },
    intended_submission_method: null,
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    network_reason_code: reasonCode,
    payment_intent: typeof ch.payment_intent === 'string' ? ch.payment_intent : (ch.payment_intent?.id ?? null),
    payment_method_details: card
      ? {
          type: 'card',
          card: {
            brand: card.brand ?? 'visa',
            case_type: input.inquiry ? 'inquiry' : 'chargeback',
            network: card.network ?? 'visa',
            network_reason_code: reasonCode,
          },
        }
      : undefined,
    reason: input.reason,
    status: input.inquiry ? 'warning_needs_response' : 'needs_response',
  };
}
