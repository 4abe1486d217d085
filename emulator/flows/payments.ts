// Money movement shared by Checkout, invoices and the PaymentIntents API: create a
// PaymentIntent, attempt a charge (succeed, decline, or start a delayed debit), settle a
// delayed debit. Each step emits the events Stripe emits for it, in Stripe's order.
import type Stripe from 'stripe';
import type { Emulator, Origin } from '../emulator.ts';
import { buildBalanceTransaction, processingFee } from '../objects/balance-transaction.ts';
import { buildCharge } from '../objects/charge.ts';
import { buildPaymentIntent, type PaymentIntentInput } from '../objects/payment-intent.ts';
import { isBlocked } from './radar.ts';

/** How the bank answers a payment attempt. */
export type AttemptMode = 'succeed' | 'decline' | 'process';

export function createPaymentIntent(emu: Emulator, input: PaymentIntentInput, origin: Origin): Stripe.PaymentIntent {
  const pi = emu.store.insert('payment_intent', buildPaymentIntent(emu, input));
  emu.emit('payment_intent.created', pi, origin);
  return pi;
}

const DECLINE = {
  code: 'card_declined',
  decline_code: 'generic_decline',
  message: 'Your card was declined.',
};

const BLOCKED = {
  code: 'card_declined',
  decline_code: 'fraudulent',
  message: 'Your card was declined.',
  blocked: true,
};

const DEBIT_FAILED = {
  code: 'insufficient_funds',
  decline_code: 'insufficient_funds',
  message: "The customer's account has insufficient funds to cover this payment.",
};

function chargeSucceeded(emu: Emulator, ch: Stripe.Charge): void {
  const bt = emu.store.insert(
    'balance_transaction',
    buildBalanceTransaction(emu, {
      amount: ch.amount,
      currency: ch.currency,
      fee: processingFee(ch.amount),
      type: 'charge',
      reportingCategory: 'charge',
      source: ch.id,
      description: ch.description,
    }),
  );
  ch.status = 'succeeded';
  ch.paid = true;
  ch.captured = true;
  ch.amount_captured = ch.amount;
  ch.balance_transaction = bt.id;
  ch.outcome = {
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

function paymentError(
  ch: Stripe.Charge,
  pm: Stripe.PaymentMethod,
  failure: typeof DECLINE,
): Stripe.PaymentIntent.LastPaymentError {
  return {
    type: 'card_error',
    charge: ch.id,
    code: failure.code as Stripe.PaymentIntent.LastPaymentError.Code,
    decline_code: failure.decline_code,
    doc_url: `https://stripe.com/docs/error-codes/${failure.code.replace(/_/g, '-')}`,
    message: failure.message,
    payment_method: pm,
    payment_method_type: pm.type,
  };
}

/**
 * Confirms `pi` with `pm`. Returns the new charge. Decline: charge.failed +
 * payment_intent.payment_failed (PI back to requires_payment_method). Success: charge.succeeded +
 * payment_intent.succeeded. Process (SEPA): charge.pending + payment_intent.processing.
 */
export function attemptPayment(
  emu: Emulator,
  pi: Stripe.PaymentIntent,
  pm: Stripe.PaymentMethod,
  mode: AttemptMode,
  origin: Origin,
  /** A decline other than the generic one (authentication_required for off-session payments). */
  declineAs?: { code: string; decline_code: string; message: string },
): Stripe.Charge {
  const blocked = isBlocked(emu, pm, typeof pi.customer === 'string' ? pi.customer : null);
  const effective: AttemptMode = blocked ? 'decline' : mode;
  const failure = blocked ? BLOCKED : (declineAs ?? DECLINE);
  const ch = emu.store.insert(
    'charge',
    buildCharge(emu, {
      paymentIntent: pi,
      paymentMethod: pm,
      status: effective === 'decline' ? 'failed' : 'pending',
      failure: effective === 'decline' ? failure : null,
    }),
  );
  pi.latest_charge = ch.id;
  pi.payment_method = pm.id;
  if (effective === 'decline') {
    pi.status = 'requires_payment_method';
    pi.last_payment_error = paymentError(ch, pm, failure);
    emu.emit('charge.failed', ch, origin);
    emu.emit('payment_intent.payment_failed', pi, origin);
    return ch;
  }
  pi.last_payment_error = null;
  if (effective === 'process') {
    pi.status = 'processing';
    emu.emit('charge.pending', ch, origin);
    emu.emit('payment_intent.processing', pi, origin);
    return ch;
  }
  chargeSucceeded(emu, ch);
  pi.status = 'succeeded';
  pi.amount_received = pi.amount;
  // As on Stripe, a card charge gets its balance transaction a moment after it succeeded:
  // charge.succeeded carries none, and charge.updated follows with it.
  const balanceTransaction = ch.balance_transaction;
  ch.balance_transaction = null;
  emu.emit('charge.succeeded', ch, origin);
  emu.emit('payment_intent.succeeded', pi, origin);
  ch.balance_transaction = balanceTransaction;
  emu.emit('charge.updated', ch, origin, { balance_transaction: null });
  return ch;
}

/** Ends a delayed debit: the bank confirms the funds, or the debit bounces. */
export function settleDelayedCharge(
  emu: Emulator,
  pi: Stripe.PaymentIntent,
  outcome: 'succeeded' | 'failed',
  origin: Origin,
): Stripe.Charge {
  const ch = emu.store.require('charge', String(pi.latest_charge));
  const pm = emu.store.require('payment_method', String(ch.payment_method));
  if (outcome === 'succeeded') {
    chargeSucceeded(emu, ch);
    pi.status = 'succeeded';
    pi.amount_received = pi.amount;
    emu.emit('charge.succeeded', ch, origin);
    emu.emit('payment_intent.succeeded', pi, origin);
    return ch;
  }
  ch.status = 'failed';
  ch.failure_code = DEBIT_FAILED.code;
  ch.failure_message = DEBIT_FAILED.message;
  ch.outcome = {
    advice_code: null,
    network_advice_code: null,
    network_decline_code: null,
    network_status: 'declined_by_network',
    reason: 'insufficient_funds',
    risk_level: 'normal',
    risk_score: 12,
    seller_message: 'The bank returned the debit: insufficient funds.',
    type: 'issuer_declined',
  };
  pi.status = 'requires_payment_method';
  pi.last_payment_error = { ...paymentError(ch, pm, DEBIT_FAILED), type: 'invalid_request_error' };
  emu.emit('charge.failed', ch, origin);
  emu.emit('payment_intent.payment_failed', pi, origin);
  return ch;
}
