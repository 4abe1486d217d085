// Test-only builders for dispute histories: a paid purchase with its credit lot, usage with the
// metadata the service API keeps (operation, model, result reference, IP, user agent) drawn
// through the ledger's own write path, and dispute rows as the webhook handler leaves them.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../../db/client.ts';
import { toJson } from '../../../lib/json.ts';
import { consumeCredits } from '../../ledger/consume-credits.ts';
import { grantCredits } from '../../ledger/grant-credits.ts';
import { STRIPE_ACTOR, uid } from '../../support/testing/history-builder.ts';

export const DAY_MS = 86_400_000;
export const daysAgo = (days: number, now = new Date()) => new Date(now.getTime() - days * DAY_MS);

export async function paidPurchase(
  db: Db,
  input: {
    customerId: string;
    paidAt: Date;
    amount?: number;
    credits?: number;
    ip?: string | null;
    userAgent?: string | null;
    /** false: a payment row only (an earlier purchase whose credits do not matter here). */
    withLot?: boolean;
  },
) {
  const chargeId = uid('ch_');
  const paymentIntentId = uid('pi_');
  const checkoutSessionId = uid('cs_');
  const credits = input.credits ?? 500;
  const amount = input.amount ?? 900;
  const lot =
    input.withLot === false
      ? null
      : (
          await grantCredits(db, {
            customerId: input.customerId,
            credits,
            type: 'purchase',
            source: 'pack_purchase',
            costBasis: 'paid',
            amountPaid: amount,
            currency: 'eur',
            stripeReference: checkoutSessionId,
            idempotencyKey: `grant:${checkoutSessionId}`,
            reason: `Purchase ${checkoutSessionId}`,
            actor: STRIPE_ACTOR,
            reference: checkoutSessionId,
            referenceType: 'checkout_session',
          })
        ).lot;
  return db.payment.create({
    data: {
      customerId: input.customerId,
      kind: 'pack',
      catalogKey: 'starter',
      checkoutSessionId,
      paymentIntentId,
      chargeId,
      amount,
      currency: 'eur',
      status: 'paid',
      lotId: lot?.id ?? null,
      creditsGranted: lot ? credits : 0,
      purchaseIp: input.ip ?? null,
      purchaseUserAgent: input.userAgent ?? null,
      paidAt: input.paidAt,
      createdAt: input.paidAt,
    },
  });
}

/** One use of a feature, with metadata, drawn from the customer's lots in draw order. */
export async function useWithMetadata(
  db: Db,
  input: { customerId: string; feature: string; credits: number; at: Date; metadata?: Record<string, unknown> },
) {
  const key = randomUUID();
  const { entry } = await consumeCredits(db, {
    customerId: input.customerId,
    credits: input.credits,
    idempotencyKey: `usage:${key}`,
    reason: `${input.feature} request`,
    actor: { type: 'service', id: 'api-key-test' },
    reference: key,
    referenceType: 'usage',
  });
  return db.usage.create({
    data: {
      customerId: input.customerId,
      feature: input.feature,
      credits: input.credits,
      idempotencyKey: key,
      requestHash: 'h',
      entryId: entry.id,
      metadata: input.metadata ? (toJson(input.metadata) as object) : undefined,
      createdAt: input.at,
    },
  });
}

/** A dispute row as apply-dispute.ts records it. */
export async function disputeRow(
  db: Db,
  input: {
    paymentId: string;
    customerId: string;
    chargeId: string;
    openedAt: Date;
    status?: string;
    reason?: string;
    dueBy?: Date | null;
    amount?: number;
    stagedAt?: Date | null;
    submittedAt?: Date | null;
  },
) {
  return db.dispute.create({
    data: {
      id: uid('dp_'),
      chargeId: input.chargeId,
      paymentId: input.paymentId,
      customerId: input.customerId,
      amount: input.amount ?? 900,
      currency: 'eur',
      reason: input.reason ?? 'fraudulent',
      status: input.status ?? 'needs_response',
      evidenceDueBy: input.dueBy === undefined ? new Date(input.openedAt.getTime() + 7 * DAY_MS) : input.dueBy,
      stagedAt: input.stagedAt ?? null,
      submittedAt: input.submittedAt ?? null,
      stripeCreated: input.openedAt,
      stripeEventCreated: input.openedAt,
    },
  });
}
