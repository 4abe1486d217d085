// Timeline sources from the billing mirror: Stripe events, payments and invoices, subscriptions,
// refunds and disputes. Each reads the newest `take` rows after the cursor through the customer's
// (customer_id, time) index.
import type { DbOrTx } from '../../../db/tx.ts';
import type { TimelineItem } from '../../../contracts/support.ts';
import { whereAfter } from './bounds.ts';
import type { CursorBound } from './cursor.ts';
import {
  EVENT_STATUS_WORDS,
  disputeTone,
  eventTone,
  isChainId,
  paymentTone,
  refundTone,
  subscriptionTone,
} from './words.ts';

export type Draft = Omit<TimelineItem, 'steps' | 'chain'> & { rank: number };

export const RANK = {
  event: 1,
  payment: 2,
  subscription: 3,
  refund: 4,
  dispute: 5,
  ledger: 6,
  entitlement: 7,
  usage: 8,
  block: 9,
  audit: 10,
  note: 11,
} as const;

export interface SourceArgs {
  customerId: string;
  bound: CursorBound;
  take: number;
}

export const EVENT_SELECT = {
  id: true,
  type: true,
  created: true,
  status: true,
  attempts: true,
  lastError: true,
  nextAttemptAt: true,
  objectId: true,
  source: true,
  receivedAt: true,
  processedAt: true,
  customerId: true,
  payload: true,
} as const;

export interface EventRow {
  id: string;
  type: string;
  created: Date;
  status: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date | null;
  objectId: string | null;
  source: string;
  receivedAt: Date;
  processedAt: Date | null;
  customerId: string | null;
  payload: unknown;
}

/** The Stripe ids an event's object names: itself and what it points to. */
export function eventStripeIds(row: Pick<EventRow, 'objectId' | 'payload'>): string[] {
  const object = ((row.payload as { data?: { object?: Record<string, unknown> } } | null)?.data?.object ??
    {}) as Record<string, unknown>;
  const ids = new Set<string>();
  if (isChainId(row.objectId)) ids.add(row.objectId);
  for (const key of ['payment_intent', 'charge', 'invoice', 'subscription', 'latest_charge', 'checkout_session']) {
    const v = object[key];
    const id = typeof v === 'string' ? v : (v as { id?: unknown } | null)?.id;
    if (isChainId(id)) ids.add(id);
  }
  return [...ids];
}

export function eventDraft(row: EventRow, unlinked = false): Draft {
  const words = EVENT_STATUS_WORDS[row.status] ?? row.status;
  return {
    key: `event:${row.id}`,
    kind: 'event',
    rank: RANK.event,
    at: row.created,
    id: row.id,
    title: row.type,
    summary: [
      unlinked ? 'Not linked to any customer yet (matched by its email or ids)' : null,
      row.lastError && row.status !== 'processed' ? `Error: ${row.lastError}` : null,
    ]
      .filter(Boolean)
      .join('. '),
    tone: eventTone(row.status),
    status: words,
    credits: null,
    amount: null,
    stripeIds: eventStripeIds(row),
    raw: row.payload,
  };
}

export async function eventSource(db: DbOrTx, args: SourceArgs): Promise<Draft[]> {
  const rows = await db.stripeEvent.findMany({
    where: { customerId: args.customerId, ...whereAfter('created', args.bound) },
    orderBy: [{ created: 'desc' }, { id: 'desc' }],
    take: args.take,
    select: EVENT_SELECT,
  });
  return rows.map((r) => eventDraft(r));
}

export async function paymentSource(
  db: DbOrTx,
  args: SourceArgs & { payments: boolean; invoices: boolean },
): Promise<Draft[]> {
  const onlyOne = args.payments !== args.invoices;
  const rows = await db.payment.findMany({
    where: {
      customerId: args.customerId,
      ...(onlyOne ? { invoiceId: args.invoices ? { not: null } : null } : {}),
      ...whereAfter('createdAt', args.bound),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: args.take,
  });
  return rows.map((p) => ({
    key: `payment:${p.id}`,
    kind: p.invoiceId ? 'invoice' : 'payment',
    rank: RANK.payment,
    at: p.createdAt,
    id: p.id,
    title: p.invoiceId
      ? `Invoice ${p.catalogKey ? `(${p.catalogKey})` : ''}`.trim()
      : `Payment ${p.catalogKey ? `(${p.catalogKey})` : ''}`.trim(),
    summary: [
      `{{money ${p.amount} ${p.currency}}} ${p.status.replace('_', ' ')}`,
      p.creditsGranted
        ? `{{credits ${p.creditsGranted}}} credits granted`
        : p.status === 'paid'
          ? 'no credits granted'
          : null,
      p.amountRefunded ? `{{money ${p.amountRefunded} ${p.currency}}} refunded` : null,
    ]
      .filter(Boolean)
      .join(', '),
    tone: paymentTone(p.status),
    status: p.status.replace('_', ' '),
    credits: p.creditsGranted || null,
    amount: { minor: p.amount, currency: p.currency },
    stripeIds: [p.checkoutSessionId, p.invoiceId, p.paymentIntentId, p.chargeId, p.subscriptionId].filter(isChainId),
    raw: p,
  }));
}

export async function subscriptionSource(db: DbOrTx, args: SourceArgs): Promise<Draft[]> {
  const rows = await db.subscription.findMany({
    where: { customerId: args.customerId, ...whereAfter('createdAt', args.bound) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: args.take,
  });
  return rows.map((s) => ({
    key: `subscription:${s.id}`,
    kind: 'subscription',
    rank: RANK.subscription,
    at: s.createdAt,
    id: s.id,
    title: `Subscription${s.planKey ? ` to ${s.planKey}` : ''}`,
    summary: [
      `now ${s.status}`,
      s.currentPeriodEnd ? `period ends {{date ${s.currentPeriodEnd.toISOString()}}}` : null,
      s.cancelAtPeriodEnd ? 'cancels at period end' : null,
      s.graceUntil ? `payment failed: grace until {{date ${s.graceUntil.toISOString()}}}` : null,
    ]
      .filter(Boolean)
      .join(', '),
    tone: subscriptionTone(s.status),
    status: s.status,
    credits: null,
    amount: null,
    stripeIds: [s.id],
    raw: s,
  }));
}

const PAYMENT_IDS = { checkoutSessionId: true, paymentIntentId: true, chargeId: true, invoiceId: true } as const;

export async function refundSource(db: DbOrTx, args: SourceArgs): Promise<Draft[]> {
  const rows = await db.refund.findMany({
    where: { customerId: args.customerId, ...whereAfter('createdAt', args.bound) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: args.take,
    include: { payment: { select: PAYMENT_IDS } },
  });
  return rows.map((r) => ({
    key: `refund:${r.id}`,
    kind: 'refund',
    rank: RANK.refund,
    at: r.createdAt,
    id: r.id,
    title: r.origin === 'stripe_dashboard' ? 'Refund (from the Stripe dashboard)' : 'Refund',
    summary: [
      `{{money ${r.amount} ${r.currency}}} ${r.status.replace('_', ' ')}`,
      r.creditsClawedBack ? `{{credits ${r.creditsClawedBack}}} credits clawed back` : null,
      r.reason ? `reason: ${r.reason}` : null,
      r.error ? `error: ${r.error}` : null,
    ]
      .filter(Boolean)
      .join(', '),
    tone: refundTone(r.status),
    status: r.status.replace('_', ' '),
    credits: r.creditsClawedBack ? -r.creditsClawedBack : null,
    amount: { minor: r.amount, currency: r.currency },
    stripeIds: [
      r.stripeRefundId,
      r.payment?.chargeId,
      r.payment?.paymentIntentId,
      r.payment?.checkoutSessionId,
      r.payment?.invoiceId,
    ].filter(isChainId),
    raw: r,
  }));
}

export async function disputeSource(db: DbOrTx, args: SourceArgs): Promise<Draft[]> {
  const rows = await db.dispute.findMany({
    where: { customerId: args.customerId, ...whereAfter('stripeCreated', args.bound) },
    orderBy: [{ stripeCreated: 'desc' }, { id: 'desc' }],
    take: args.take,
    include: { payment: { select: PAYMENT_IDS } },
  });
  return rows.map((d) => ({
    key: `dispute:${d.id}`,
    kind: 'dispute',
    rank: RANK.dispute,
    at: d.stripeCreated,
    id: d.id,
    title: `Dispute (${d.reason.replaceAll('_', ' ')})`,
    summary: [
      `{{money ${d.amount} ${d.currency}}} ${d.status.replaceAll('_', ' ')}`,
      d.frozenCredits ? `{{credits ${d.frozenCredits}}} credits frozen` : null,
      d.evidenceDueBy && !d.submittedAt ? `evidence due {{date ${d.evidenceDueBy.toISOString()}}}` : null,
      d.submittedAt ? 'evidence submitted' : null,
    ]
      .filter(Boolean)
      .join(', '),
    tone: disputeTone(d.status),
    status: d.status.replaceAll('_', ' '),
    credits: d.frozenCredits ? -d.frozenCredits : null,
    amount: { minor: d.amount, currency: d.currency },
    stripeIds: [
      d.id,
      d.chargeId,
      d.payment?.paymentIntentId,
      d.payment?.checkoutSessionId,
      d.payment?.invoiceId,
    ].filter(isChainId),
    raw: d,
  }));
}
