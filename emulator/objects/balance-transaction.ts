import type Stripe from 'stripe';
import type { Emulator } from '../emulator.ts';
import { newId } from '../ids.ts';

/** Card pricing used for fees: 2.9% + 30 minor units, rounded to a whole minor unit. */
export function processingFee(amount: number): number {
  return Math.round((amount * 29) / 1000) + 30;
}

/** Stripe's "dispute received" fee, 15.00 in the charge currency. */
export const DISPUTE_FEE = 1500;

export interface BalanceTransactionInput {
  amount: number;
  currency: string;
  fee: number;
  feeDescription?: string;
  type: Stripe.BalanceTransaction.Type;
  reportingCategory: string;
  source: string;
  description: string | null;
}

export function buildBalanceTransaction(emu: Emulator, input: BalanceTransactionInput): Stripe.BalanceTransaction {
  const now = emu.now();
  return {
    id: newId('txn'),
    object: 'balance_transaction',
    amount: input.amount,
    available_on: now + 2 * 86_400,
    balance_type: 'payments',
    created: now,
    currency: input.currency,
    description: input.description,
    exchange_rate: null,
    fee: input.fee,
    fee_details: input.fee
      ? [
          {
            amount: input.fee,
            application: null,
            currency: input.currency,
            description: input.feeDescription ?? 'Stripe processing fees',
            type: 'stripe_fee',
          },
        ]
      : [],
    net: input.amount - input.fee,
    reporting_category: input.reportingCategory,
    source: input.source,
    status: 'pending',
    type: input.type,
  };
}
