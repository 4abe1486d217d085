// Refunds, from the API or "from Stripe's Dashboard" (a control endpoint). Card refunds succeed
// at once: refund.created, then charge.refunded (fired for partial refunds too). A fully
// refunded charge makes its early fraud warning non-actionable.
import type Stripe from 'stripe';
import { STRIPE_ITSELF, type Emulator, type Origin } from '../emulator.ts';
import { buildBalanceTransaction } from '../objects/balance-transaction.ts';
import { previousAttributes, snapshot } from '../objects/diff.ts';
import { buildRefund } from '../objects/refund.ts';
import { invalidRequest } from '../wire/errors.ts';
import { blockAfterFraudulentRefund } from './radar.ts';
import { updateEarlyFraudWarnings } from './disputes.ts';

export interface RefundRequest {
  charge: Stripe.Charge;
  amount?: number;
  reason?: Stripe.Refund.Reason | null;
  metadata?: Record<string, string>;
}

function money(amount: number, currency: string): string {
  return `${currency === 'usd' ? '$' : currency.toUpperCase() + ' '}${(amount / 100).toFixed(2)}`;
}

export function createRefund(emu: Emulator, req: RefundRequest, origin: Origin): Stripe.Refund {
  const ch = req.charge;
  if (ch.status !== 'succeeded') {
    throw invalidRequest(`Charge ${ch.id} has not succeeded; only successful charges can be refunded.`, 'charge');
  }
  const remaining = ch.amount - ch.amount_refunded;
  if (remaining <= 0) {
    throw invalidRequest(`Charge ${ch.id} has already been refunded.`, 'charge', 'charge_already_refunded');
  }
  const openDispute = emu.store
    .all('dispute')
    .some(
      (d) =>
        d.charge === ch.id &&
        !['won', 'warning_closed'].includes(d.status) &&
        d.payment_method_details?.card?.case_type !== 'inquiry',
    );
  if (openDispute) {
    throw invalidRequest(`Charge ${ch.id} has been charged back; cannot issue a refund.`, 'charge', 'charge_disputed');
  }
  const amount = req.amount ?? remaining;
  if (amount <= 0)
    throw invalidRequest('Refund amount must be a positive integer.', 'amount', 'parameter_invalid_integer');
  if (amount > remaining) {
    throw invalidRequest(
      `Refund amount (${money(amount, ch.currency)}) is greater than unrefunded amount on charge (${money(remaining, ch.currency)})`,
      'amount',
      'amount_too_large',
    );
  }
  const refund = buildRefund(emu, { charge: ch, amount, reason: req.reason ?? null, metadata: req.metadata ?? {} });
  const bt = emu.store.insert(
    'balance_transaction',
    buildBalanceTransaction(emu, {
      amount: -amount,
      currency: ch.currency,
      fee: 0,
      type: 'refund',
      reportingCategory: 'refund',
      source: refund.id,
      description: 'REFUND FOR CHARGE',
    }),
  );
  refund.balance_transaction = bt.id;
  emu.store.insert('refund', refund);

  const before = snapshot(ch);
  ch.amount_refunded += amount;
  ch.refunded = ch.amount_refunded === ch.amount;
  emu.emit('refund.created', refund, origin);
  emu.emit('charge.refunded', ch, origin, previousAttributes(before, ch));
  // Then, as on Stripe, the card network's reference (ARN) becomes available: refund.updated and
  // charge.refund.updated, status unchanged.
  const card = refund.destination_details?.card;
  if (card) {
    const previous = {
      destination_details: { card: { reference: card.reference ?? null, reference_status: card.reference_status } },
    };
    card.reference = String(Math.floor(Math.random() * 1e15)).padStart(23, '7');
    card.reference_status = 'available';
    emu.store.touch();
    emu.emit('refund.updated', refund, STRIPE_ITSELF, previous);
    emu.emit('charge.refund.updated', refund, STRIPE_ITSELF, previous);
  }
  if (req.reason === 'fraudulent') blockAfterFraudulentRefund(emu, ch);
  if (ch.refunded) updateEarlyFraudWarnings(emu, ch, origin);
  return refund;
}
