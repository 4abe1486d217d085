import type Stripe from 'stripe';
import type { Emulator } from '../emulator.ts';
import { newId, randomToken } from '../ids.ts';

export interface ChargeInput {
  paymentIntent: Stripe.PaymentIntent;
  paymentMethod: Stripe.PaymentMethod;
  status: 'succeeded' | 'pending' | 'failed';
  failure?: { code: string; message: string; decline_code: string; blocked?: boolean } | null;
}

function methodDetails(pm: Stripe.PaymentMethod): Stripe.Charge.PaymentMethodDetails {
  if (pm.type === 'sepa_debit' && pm.sepa_debit) {
    return {
      type: 'sepa_debit',
      sepa_debit: {
        bank_code: pm.sepa_debit.bank_code,
        branch_code: pm.sepa_debit.branch_code,
        country: pm.sepa_debit.country,
        fingerprint: pm.sepa_debit.fingerprint,
        last4: pm.sepa_debit.last4,
        mandate: `mandate_1${randomToken(23)}`,
      },
    };
  }
  const card = pm.card as Stripe.PaymentMethod.Card;
  return {
    type: 'card',
    card: {
      amount_authorized: null,
      authorization_code: null,
      brand: card.brand,
      checks: card.checks,
      country: card.country,
      electronic_commerce_indicator: null,
      exp_month: card.exp_month,
      exp_year: card.exp_year,
      extended_authorization: { status: 'disabled' },
      fingerprint: card.fingerprint,
      funding: card.funding,
      incremental_authorization: { status: 'unavailable' },
      installments: null,
      last4: card.last4,
      mandate: null,
      multicapture: { status: 'unavailable' },
      network: card.brand,
      network_token: { used: false },
      network_transaction_id: randomToken(15),
      overcapture: { maximum_amount_capturable: 0, status: 'unavailable' },
      regulated_status: 'unregulated',
      three_d_secure: null,
      transaction_link_id: null,
      wallet: null,
    },
  };
}

function outcome(input: ChargeInput): Stripe.Charge.Outcome {
  if (input.status === 'failed') {
    const blocked = input.failure?.blocked ?? false;
    return {
      advice_code: blocked ? null : 'try_again_later',
      network_advice_code: null,
      network_decline_code: null,
      network_status: blocked ? 'not_sent_to_network' : 'declined_by_network',
      reason: blocked ? 'rule' : (input.failure?.decline_code ?? 'generic_decline'),
      risk_level: 'normal',
      risk_score: 20,
      seller_message: blocked
        ? 'Stripe blocked this payment because it matched one of your Radar block lists.'
        : 'The bank did not return any further details with this decline.',
      type: blocked ? 'blocked' : 'issuer_declined',
    };
  }
  return {
    advice_code: null,
    network_advice_code: null,
    network_decline_code: null,
    network_status: 'approved_by_network',
    reason: null,
    risk_level: 'normal',
    risk_score: 12,
    seller_message: 'Payment complete.',
    type: 'authorized',
  };
}

export function buildCharge(emu: Emulator, input: ChargeInput): Stripe.Charge {
  const pi = input.paymentIntent;
  const pm = input.paymentMethod;
  const id = newId('ch');
  const paid = input.status === 'succeeded';
  return {
    id,
    object: 'charge',
    amount: pi.amount,
    amount_captured: paid ? pi.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: null,
    billing_details: { ...pm.billing_details },
    calculated_statement_descriptor: 'CREDITDESK',
    captured: paid,
    created: emu.now(),
    currency: pi.currency,
    customer: pi.customer,
    description: pi.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: input.failure?.code ?? null,
    failure_message: input.failure?.message ?? null,
    fraud_details: {},
    livemode: false,
    metadata: { ...pi.metadata },
    on_behalf_of: null,
    outcome: outcome(input),
    paid,
    payment_intent: pi.id,
    payment_method: pm.id,
    payment_method_details: methodDetails(pm),
    receipt_email: pi.receipt_email,
    receipt_number: null,
    receipt_url: `${emu.baseUrl}/receipts/${id}`,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: input.status,
    transfer_data: null,
    transfer_group: null,
  };
}
