import type Stripe from 'stripe';
import type { Emulator } from '../emulator.ts';
import { newId } from '../ids.ts';

export interface RefundInput {
  charge: Stripe.Charge;
  amount: number;
  reason: Stripe.Refund.Reason | null;
  metadata: Record<string, string>;
  instructionsEmail?: string | null;
}

export function buildRefund(emu: Emulator, input: RefundInput): Stripe.Refund {
  const ch = input.charge;
  const isCard = ch.payment_method_details?.type === 'card';
  return {
    id: newId('re'),
    object: 'refund',
    amount: input.amount,
    balance_transaction: null,
    charge: ch.id,
    created: emu.now(),
    currency: ch.currency,
    customer: typeof ch.customer === 'string' ? ch.customer : (ch.customer?.id ?? null),
    customer_account: null,
    ...(isCard
      ? {
          destination_details: {
            type: 'card',
            card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' as const },
          },
        }
      : {}),
    metadata: input.metadata,
    payment_intent: typeof ch.payment_intent === 'string' ? ch.payment_intent : (ch.payment_intent?.id ?? null),
    payment_method: typeof ch.payment_method === 'string' ? ch.payment_method : null,
    reason: input.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  };
}
