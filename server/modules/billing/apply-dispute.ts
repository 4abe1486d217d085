// charge.dispute.created / updated / closed / funds_withdrawn / funds_reinstated. The dispute row
// mirrors Stripe (status, reason, evidence due date) behind a `created` watermark; the effects on
// the disputed purchase's credit lot follow the resulting status and are keyed on the dispute id,
// so any delivery order ends in the same ledger: open -> lot frozen (dispute_freeze:<dp>),
// won / inquiry closed -> released (dispute_release:<dp>), lost -> remaining credits clawed back
// (dispute_clawback:<dp>).
import { formatCredits } from '../../contracts/money.ts';
import { dateTime } from '../../contracts/date-words.ts';
import { statusLabel } from '../../contracts/status-words.ts';
import type Stripe from 'stripe';
import type { Tx } from '../../db/tx.ts';
import type { Actor } from '../../lib/actor.ts';
import { afterDisputeEvent } from '../disputes/after-dispute-event.ts';
import { clawbackLot } from '../ledger/clawback-lot.ts';
import { freezeLot, releaseLot } from '../ledger/freeze-lot.ts';
import type { EventEnvelope, HandlerOutcome } from '../stripe-events/event-handler.ts';
import { DeferEventError } from '../stripe-events/event-errors.ts';
import { findPaymentForCharge, isSettled, type ChargeRef } from './find-payment.ts';
import { unknownPaymentError } from './resolve-charge-payment.ts';
import { stripeId } from './resolve-event-customer.ts';
import { recordOutboundEvent } from '../outbound/record-outbound-event.ts';

const RELEASED = new Set(['won', 'warning_closed', 'prevented']);
const CLOSED = new Set([...RELEASED, 'lost']);

function disputeIsOpen(status: string): boolean {
  return !CLOSED.has(status);
}

export async function applyDispute(
  tx: Tx,
  input: {
    dispute: Stripe.Dispute;
    event: EventEnvelope;
    actor: Actor;
    /** What Stripe said about an unknown charge (background job only). */
    resolved?: ChargeRef | null;
  },
): Promise<HandlerOutcome> {
  const { dispute, event, actor } = input;
  const chargeId = stripeId(dispute.charge);
  const payment = await findPaymentForCharge(tx, {
    chargeId,
    paymentIntentId: stripeId(dispute.payment_intent),
    invoiceId: input.resolved?.invoiceId ?? null,
  });
  if (!payment) {
    throw unknownPaymentError(input.resolved, {
      code: 'payment_not_seen_yet',
      detail: { objectId: dispute.id, chargeId, paymentIntentId: stripeId(dispute.payment_intent) },
    });
  }
  if (!isSettled(payment)) {
    throw new DeferEventError({ code: 'payment_not_settled', detail: { objectId: dispute.id, paymentId: payment.id } });
  }

  const existing = await tx.dispute.findUnique({ where: { id: dispute.id } });
  const mark = existing?.stripeEventCreated;
  const newer =
    !mark ||
    event.created > mark ||
    (event.created.getTime() === mark.getTime() && !(CLOSED.has(existing.status) && disputeIsOpen(dispute.status)));
  const state = {
    chargeId: chargeId ?? existing?.chargeId ?? '',
    paymentId: payment.id,
    customerId: payment.customerId,
    amount: dispute.amount,
    currency: dispute.currency,
    reason: dispute.reason,
    status: dispute.status,
    evidenceDueBy: dispute.evidence_details?.due_by ? new Date(dispute.evidence_details.due_by * 1000) : null,
    stripeCreated: new Date(dispute.created * 1000),
    stripeEventCreated: event.created,
  };
  const row = existing
    ? newer
      ? await tx.dispute.update({ where: { id: dispute.id }, data: state })
      : existing
    : await tx.dispute.create({ data: { id: dispute.id, ...state } });
  // Outbox: opened on the first sight of the dispute, closed when it first reaches a closed status.
  const closedNow = CLOSED.has(row.status) && (!existing || !CLOSED.has(existing.status));
  const disputeData = {
    disputeId: dispute.id,
    chargeId: row.chargeId,
    amount: row.amount,
    currency: row.currency,
    reason: row.reason,
    status: row.status,
  };
  if (!existing) {
    await recordOutboundEvent(tx, {
      type: 'dispute.opened',
      customerId: row.customerId,
      sourceKey: `dispute.opened:${dispute.id}`,
      data: { ...disputeData, evidenceDueBy: row.evidenceDueBy?.toISOString() ?? null },
    });
  }
  if (closedNow) {
    await recordOutboundEvent(tx, {
      type: 'dispute.closed',
      customerId: row.customerId,
      sourceKey: `dispute.closed:${dispute.id}`,
      data: disputeData,
    });
  }

  const parts = [
    existing
      ? newer
        ? `dispute ${dispute.id} is ${statusLabel('dispute', row.status)}`
        : `dispute ${dispute.id}: older snapshot (${statusLabel('dispute', dispute.status)}) ignored; stays ${statusLabel('dispute', row.status)}`
      : `dispute ${dispute.id} recorded (${statusLabel('dispute', row.status)}, ${dispute.reason.replaceAll('_', ' ')}${state.evidenceDueBy ? `, evidence due ${dateTime(state.evidenceDueBy)}` : ''})`,
  ];
  // Outcome tracking and the auto-block rule (modules/disputes, modules/blocks).
  parts.push(...(await afterDisputeEvent(tx, { dispute: row })));
  if (!payment.lotId) {
    parts.push('the payment carries no credits');
    return { summary: parts.join('; '), customerId: payment.customerId };
  }
  const lot = await tx.creditLot.findUniqueOrThrow({ where: { id: payment.lotId } });
  const frozeKey = `dispute_freeze:${dispute.id}`;

  if (disputeIsOpen(row.status)) {
    if (!lot.frozen) {
      await freezeLot(tx, {
        lotId: lot.id,
        idempotencyKey: frozeKey,
        reason: `Dispute ${dispute.id} opened (${dispute.reason}): remaining credits frozen`,
        actor,
        reference: dispute.id,
        referenceType: 'dispute',
      });
      await tx.dispute.update({ where: { id: row.id }, data: { frozenCredits: lot.remaining } });
      parts.push(`${formatCredits(lot.remaining)} remaining credits frozen`);
    } else {
      parts.push('credits already frozen');
    }
  } else if (RELEASED.has(row.status)) {
    const froze = await tx.ledgerEntry.findUnique({ where: { idempotencyKey: frozeKey }, select: { id: true } });
    const otherOpen = await tx.dispute.findFirst({
      where: { paymentId: payment.id, id: { not: dispute.id }, status: { notIn: [...CLOSED] } },
      select: { id: true },
    });
    if (froze && lot.frozen && !otherOpen) {
      await releaseLot(tx, {
        lotId: lot.id,
        idempotencyKey: `dispute_release:${dispute.id}`,
        reason: `Dispute ${dispute.id} ${statusLabel('dispute', row.status)}: credits released`,
        actor,
        reference: dispute.id,
        referenceType: 'dispute',
      });
      parts.push('frozen credits released');
    }
  } else if (row.status === 'lost') {
    if (lot.remaining > 0) {
      const result = await clawbackLot(tx, {
        lotId: lot.id,
        credits: lot.remaining,
        type: 'dispute_clawback',
        idempotencyKey: `dispute_clawback:${dispute.id}`,
        reason: `Dispute ${dispute.id} lost: remaining credits clawed back`,
        actor,
        upToRemaining: true,
        reference: dispute.id,
        referenceType: 'dispute',
      });
      parts.push(
        !result || result.replayed
          ? 'credits already clawed back'
          : `${formatCredits(-result.entry.credits)} credits clawed back`,
      );
    } else {
      parts.push('no remaining credits to claw back');
    }
  }
  return { summary: parts.join('; '), customerId: payment.customerId };
}
