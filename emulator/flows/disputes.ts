// Disputes and early fraud warnings. Opening a chargeback withdraws the amount plus the
// dispute fee (charge.dispute.created, charge.dispute.funds_withdrawn); evidence is staged with
// submit=false or submitted (status -> under_review); the bank decides won (funds reinstated,
// the fee is not) or lost; `close` accepts the loss.
import type Stripe from 'stripe';
import { STRIPE_ITSELF, type Emulator, type Origin } from '../emulator.ts';
import { buildBalanceTransaction, DISPUTE_FEE } from '../objects/balance-transaction.ts';
import { previousAttributes, snapshot } from '../objects/diff.ts';
import { buildDispute, EVIDENCE_FILE_FIELDS, EVIDENCE_TEXT_FIELDS } from '../objects/dispute.ts';
import { buildEarlyFraudWarning } from '../objects/radar.ts';
import { invalidRequest, unknownParam } from '../wire/errors.ts';
import type { Params } from '../wire/params.ts';

/** The product's policy (PRODUCT.md) is a 7-day evidence window. */
export const EVIDENCE_DAYS = 7;
const TEXT_LIMIT = 150_000;

export const DISPUTE_REASONS = [
  'bank_cannot_process',
  'check_returned',
  'credit_not_processed',
  'customer_initiated',
  'debit_not_authorized',
  'duplicate',
  'fraudulent',
  'general',
  'incorrect_account_details',
  'insufficient_funds',
  'noncompliant',
  'product_not_received',
  'product_unacceptable',
  'subscription_canceled',
  'unrecognized',
] as const;

function isClosed(d: Stripe.Dispute): boolean {
  return ['won', 'lost', 'warning_closed', 'prevented'].includes(d.status);
}

export function updateEarlyFraudWarnings(emu: Emulator, ch: Stripe.Charge, origin: Origin): void {
  for (const w of emu.store.all('radar.early_fraud_warning')) {
    if (w.charge !== ch.id || !w.actionable) continue;
    w.actionable = false;
    emu.store.touch();
    emu.emit('radar.early_fraud_warning.updated', w, origin, { actionable: true });
  }
}

export function openDispute(
  emu: Emulator,
  ch: Stripe.Charge,
  input: { reason: string; amount?: number; inquiry?: boolean },
): Stripe.Dispute {
  if (ch.status !== 'succeeded')
    throw invalidRequest(`Charge ${ch.id} did not succeed; it cannot be disputed.`, 'charge');
  if (ch.disputed) throw invalidRequest(`Charge ${ch.id} is already disputed.`, 'charge');
  if (!(DISPUTE_REASONS as readonly string[]).includes(input.reason)) {
    throw invalidRequest(
      `Invalid dispute reason: ${input.reason}. Use one of ${DISPUTE_REASONS.join(', ')}.`,
      'reason',
    );
  }
  const amount = input.amount ?? ch.amount - ch.amount_refunded;
  if (amount <= 0 || amount > ch.amount)
    throw invalidRequest('Dispute amount must be between 1 and the charge amount.', 'amount');
  const inquiry = input.inquiry ?? false;
  const dispute = buildDispute(emu, { charge: ch, amount, reason: input.reason, inquiry, evidenceDays: EVIDENCE_DAYS });
  dispute.is_charge_refundable = inquiry;
  if (!inquiry) {
    const bt = emu.store.insert(
      'balance_transaction',
      buildBalanceTransaction(emu, {
        amount: -amount,
        currency: ch.currency,
        fee: DISPUTE_FEE,
        feeDescription: 'Dispute fee',
        type: 'adjustment',
        reportingCategory: 'dispute',
        source: dispute.id,
        description: `Chargeback withdrawal for ${ch.id}`,
      }),
    );
    dispute.balance_transactions = [bt];
  }
  emu.store.insert('dispute', dispute);
  ch.disputed = true;
  emu.store.touch();
  emu.emit('charge.dispute.created', dispute, STRIPE_ITSELF);
  if (!inquiry) emu.emit('charge.dispute.funds_withdrawn', dispute, STRIPE_ITSELF);
  updateEarlyFraudWarnings(emu, ch, STRIPE_ITSELF);
  return dispute;
}

/** POST /v1/disputes/:id — evidence, metadata, and `submit` (default true). */
export function updateDispute(
  emu: Emulator,
  d: Stripe.Dispute,
  p: Params,
  origin: Origin,
  metadata: Record<string, string>,
): Stripe.Dispute {
  if (isClosed(d)) throw invalidRequest(`This dispute is already closed (${d.status}).`, 'dispute');
  // Stripe checks the whole request first: evidence is staged on a copy, and the dispute
  // changes only once every field, file and limit has passed.
  const ev = p.obj('evidence');
  let evidence: Record<string, unknown> | undefined;
  if (ev) {
    if (d.status === 'under_review' || d.status === 'warning_under_review') {
      throw invalidRequest(
        'Evidence has already been submitted for this dispute; it can be submitted only once.',
        'evidence',
      );
    }
    evidence = { ...(d.evidence as unknown as Record<string, unknown>) };
    for (const key of ev.keys()) {
      if ((EVIDENCE_TEXT_FIELDS as readonly string[]).includes(key)) {
        evidence[key] = ev.nullableStr(key) ?? null;
      } else if ((EVIDENCE_FILE_FIELDS as readonly string[]).includes(key)) {
        const fileId = ev.nullableStr(key) ?? null;
        if (fileId) {
          const file = emu.store.require('file', fileId, `evidence[${key}]`);
          if (file.purpose !== 'dispute_evidence') {
            throw invalidRequest(`File ${fileId} was not uploaded with purpose dispute_evidence.`, `evidence[${key}]`);
          }
        }
        evidence[key] = fileId;
      } else if (key !== 'enhanced_evidence' && key !== 'appeal') {
        throw unknownParam(`evidence[${key}]`);
      }
    }
    const staged = evidence;
    const total = EVIDENCE_TEXT_FIELDS.reduce((n, f) => n + String(staged[f] ?? '').length, 0);
    if (total > TEXT_LIMIT) {
      throw invalidRequest(`Evidence text fields may hold at most ${TEXT_LIMIT} characters in total.`, 'evidence');
    }
  }
  const method = p.oneOf('intended_submission_method', [
    'manual',
    'prefer_manual',
    'prefer_smart_disputes',
    'smart_disputes',
  ] as const);
  const submit = p.bool('submit') ?? true;

  const before = snapshot(d);
  if (evidence) {
    d.evidence = evidence as unknown as Stripe.Dispute.Evidence;
    d.evidence_details.has_evidence = true;
  }
  if (method) d.intended_submission_method = method;
  d.metadata = metadata;
  if (submit && ev) {
    d.status = d.status === 'warning_needs_response' ? 'warning_under_review' : 'under_review';
    d.evidence_details.submission_count += 1;
    d.evidence_details.submission_method = 'manual';
    d.evidence_details.past_due = (d.evidence_details.due_by ?? Infinity) < emu.now();
  }
  const prev = previousAttributes(before, d);
  if (prev) {
    emu.store.touch();
    emu.emit('charge.dispute.updated', d, origin, prev);
  }
  return d;
}

/** The bank's decision (control endpoint), or accepting the loss (`POST /v1/disputes/:id/close`). */
export function resolveDispute(
  emu: Emulator,
  d: Stripe.Dispute,
  outcome: 'won' | 'lost',
  origin: Origin,
): Stripe.Dispute {
  if (isClosed(d)) throw invalidRequest(`This dispute is already closed (${d.status}).`, 'dispute');
  const inquiry = d.payment_method_details?.card?.case_type === 'inquiry';
  d.status = inquiry ? 'warning_closed' : outcome;
  d.is_charge_refundable = false;
  let reinstated = false;
  if (!inquiry && outcome === 'won') {
    const bt = emu.store.insert(
      'balance_transaction',
      buildBalanceTransaction(emu, {
        amount: d.amount,
        currency: d.currency,
        fee: 0,
        type: 'adjustment',
        reportingCategory: 'dispute_reversal',
        source: d.id,
        description: `Chargeback reversal for ${String(d.charge)}`,
      }),
    );
    d.balance_transactions = [...d.balance_transactions, bt];
    reinstated = true;
  }
  emu.store.touch();
  emu.emit('charge.dispute.closed', d, origin);
  if (reinstated) emu.emit('charge.dispute.funds_reinstated', d, origin);
  return d;
}

export const FRAUD_TYPES = [
  'card_never_received',
  'fraudulent_card_application',
  'made_with_counterfeit_card',
  'made_with_lost_card',
  'made_with_stolen_card',
  'misc',
  'unauthorized_use_of_card',
] as const;

export function createEarlyFraudWarning(
  emu: Emulator,
  ch: Stripe.Charge,
  fraudType: string,
): Stripe.Radar.EarlyFraudWarning {
  if (!(FRAUD_TYPES as readonly string[]).includes(fraudType)) {
    throw invalidRequest(`Invalid fraud_type: ${fraudType}. Use one of ${FRAUD_TYPES.join(', ')}.`, 'fraud_type');
  }
  const w = emu.store.insert('radar.early_fraud_warning', buildEarlyFraudWarning(emu, ch, fraudType));
  emu.emit('radar.early_fraud_warning.created', w, STRIPE_ITSELF);
  return w;
}
