// Test-only builders for customer histories: rows as the webhook pipeline and the ledger would
// leave them, written through the ledger's own write path for every credit movement.
import { randomUUID } from 'node:crypto';
import { describeEventCause, type EventCause } from '../../../contracts/event-causes.ts';
import type { Db } from '../../../db/client.ts';
import type { Customer, EventStatus, LotSource, PaymentStatus } from '../../../generated/prisma/client.ts';
import type { Actor } from '../../../lib/actor.ts';
import { toJson } from '../../../lib/json.ts';
import { consumeCredits } from '../../ledger/consume-credits.ts';
import { grantCredits } from '../../ledger/grant-credits.ts';

export const STRIPE_ACTOR: Actor = { type: 'stripe', id: 'evt_test' };
export const STAFF: Actor = {
  type: 'staff',
  id: 'staff-1',
  email: 'sam@example.test',
  role: 'support',
  ip: '127.0.0.1',
};

let counter = 0;
export function uid(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter.toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

export async function makeCustomer(
  db: Db,
  input: Partial<
    Pick<
      Customer,
      | 'externalId'
      | 'email'
      | 'name'
      | 'stripeCustomerId'
      | 'planKey'
      | 'status'
      | 'blockedReason'
      | 'blockedAt'
      | 'createdAt'
    >
  > = {},
): Promise<Customer> {
  const externalId = input.externalId ?? uid('user_');
  return db.customer.create({
    data: {
      externalId,
      email: input.email ?? `${externalId}@example.test`,
      name: input.name ?? null,
      stripeCustomerId: input.stripeCustomerId ?? null,
      planKey: input.planKey ?? null,
      status: input.status ?? 'active',
      blockedReason: input.blockedReason ?? null,
      blockedAt: input.blockedAt ?? null,
      ...(input.createdAt ? { createdAt: input.createdAt } : {}),
    },
  });
}

export interface StoredEventInput {
  id?: string;
  type: string;
  created: Date;
  object: Record<string, unknown>;
  customerId?: string | null;
  status?: EventStatus;
  lastError?: string | null;
  /** Stored as the event's cause code and detail; its words become lastError unless one is given. */
  cause?: EventCause | null;
  /** Processing attempts, oldest first. */
  attempts?: Array<{ outcome: string; error?: string; summary?: string }>;
  deliveries?: number;
}

export async function storeEvent(db: Db, input: StoredEventInput) {
  const id = input.id ?? uid('evt_');
  const status = input.status ?? 'processed';
  const payload = {
    id,
    object: 'event',
    type: input.type,
    created: Math.floor(input.created.getTime() / 1000),
    data: { object: input.object },
  };
  const event = await db.stripeEvent.create({
    data: {
      id,
      type: input.type,
      created: input.created,
      livemode: false,
      payload: toJson(payload) as object,
      objectId: typeof input.object.id === 'string' ? input.object.id : null,
      customerId: input.customerId ?? null,
      status,
      attempts: input.attempts?.length ?? (status === 'processed' ? 1 : 0),
      lastError: input.lastError ?? (input.cause ? describeEventCause(input.cause) : null),
      cause: input.cause?.code ?? null,
      causeDetail: input.cause ? (input.cause.detail as object) : undefined,
      processedAt: status === 'processed' ? input.created : null,
    },
  });
  for (let i = 0; i < (input.deliveries ?? 1); i++) {
    await db.webhookDelivery.create({
      data: {
        eventId: id,
        receivedAt: new Date(input.created.getTime() + 1000 + i),
        duplicate: i > 0,
        outcome: i > 0 ? 'duplicate' : 'stored',
        durationMs: 12,
      },
    });
  }
  const attempts = input.attempts ?? (status === 'processed' ? [{ outcome: 'processed', summary: 'applied' }] : []);
  for (const [i, a] of attempts.entries()) {
    await db.eventProcessingAttempt.create({
      data: {
        eventId: id,
        startedAt: new Date(input.created.getTime() + 2000 + i),
        outcome: a.outcome,
        error: a.error ?? null,
        summary: a.summary ?? null,
      },
    });
  }
  return event;
}

export async function makePayment(
  db: Db,
  input: {
    customerId: string | null;
    amount?: number;
    currency?: string;
    status?: PaymentStatus;
    kind?: string;
    catalogKey?: string;
    checkoutSessionId?: string | null;
    paymentIntentId?: string | null;
    chargeId?: string | null;
    invoiceId?: string | null;
    subscriptionId?: string | null;
    creditsGranted?: number;
    amountRefunded?: number;
    createdAt?: Date;
    paidAt?: Date | null;
  },
) {
  return db.payment.create({
    data: {
      customerId: input.customerId,
      kind: input.kind ?? (input.invoiceId ? 'subscription' : 'pack'),
      catalogKey: input.catalogKey ?? 'starter',
      checkoutSessionId: input.checkoutSessionId ?? null,
      paymentIntentId: input.paymentIntentId ?? null,
      chargeId: input.chargeId ?? null,
      invoiceId: input.invoiceId ?? null,
      subscriptionId: input.subscriptionId ?? null,
      amount: input.amount ?? 600,
      currency: input.currency ?? 'eur',
      status: input.status ?? 'paid',
      creditsGranted: input.creditsGranted ?? 0,
      amountRefunded: input.amountRefunded ?? 0,
      paidAt: input.paidAt ?? (input.status === 'pending' ? null : (input.createdAt ?? new Date())),
      ...(input.createdAt ? { createdAt: input.createdAt } : {}),
    },
  });
}

export async function grant(
  db: Db,
  customerId: string,
  credits: number,
  opts: {
    source?: LotSource;
    reference?: string;
    expiresAt?: Date | null;
    paid?: { amount: number; currency: string };
    key?: string;
  } = {},
) {
  const paid =
    opts.paid ??
    (opts.source === 'pack_purchase' || opts.source === 'subscription_period'
      ? { amount: 600, currency: 'eur' }
      : null);
  return grantCredits(db, {
    customerId,
    credits,
    type:
      opts.source === 'pack_purchase'
        ? 'purchase'
        : opts.source === 'subscription_period'
          ? 'subscription_grant'
          : 'grant',
    source: opts.source ?? 'promo',
    costBasis: paid ? 'paid' : 'free',
    amountPaid: paid?.amount ?? null,
    currency: paid?.currency ?? null,
    stripeReference: opts.reference ?? null,
    expiresAt: opts.expiresAt ?? null,
    idempotencyKey: opts.key ?? (opts.reference ? `grant:${opts.reference}` : uid('grant:')),
    reason: opts.reference ? `Purchase ${opts.reference}` : 'Welcome credits',
    actor: STRIPE_ACTOR,
    reference: opts.reference ?? null,
    referenceType: opts.reference ? 'checkout_session' : null,
  });
}

/** One usage record and its ledger draw, as the service API writes them. */
export async function use(db: Db, customerId: string, feature: string, credits: number, at?: Date) {
  const key = randomUUID();
  const { entry } = await consumeCredits(db, {
    customerId,
    credits,
    idempotencyKey: `usage:${key}`,
    reason: `${feature} request`,
    actor: { type: 'service', id: 'api-key-1' },
    reference: key,
    referenceType: 'usage',
    ...(at ? { now: at } : {}),
  });
  return db.usage.create({
    data: {
      customerId,
      feature,
      credits,
      idempotencyKey: key,
      requestHash: 'h',
      entryId: entry.id,
      ...(at ? { createdAt: at } : {}),
    },
  });
}
