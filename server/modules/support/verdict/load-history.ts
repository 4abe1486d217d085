// Loads what the verdict rules need, in a handful of indexed reads: totals per entry type and per
// feature are aggregated in the database, lists are bounded, events are the unfinished ones (the
// failed queue is small) plus those about the newest payments.
import { loadCatalogNames } from '../../catalog/catalog-names.ts';
import { readEventCause, unknownPriceOf } from '../../../contracts/event-causes.ts';
import type { DbOrTx } from '../../../db/tx.ts';
import type { Customer, LedgerEntryType } from '../../../generated/prisma/client.ts';
import { AppError } from '../../../lib/app-error.ts';
import { describePrices } from '../../catalog/describe-prices.ts';
import { getRules } from '../../catalog/get-rules.ts';
import { resolveEntitlements } from '../../entitlements/resolve-entitlements.ts';
import { findUnlinkedEvents } from '../find-unlinked-events.ts';
import { EVENT_SELECT, type EventRow } from '../event-row.ts';
import { TIMELINE_ENTRY_TYPES } from '../timeline/ranks.ts';
import { STRIPE_NOT_CHECKED, type CustomerHistory, type HistoryEvent } from './history.ts';

const OPEN = ['failed', 'deferred', 'received'] as const;
const NON_USAGE_TYPES = TIMELINE_ENTRY_TYPES.filter((t) => t !== 'reversal');

function toHistoryEvent(
  row: EventRow,
  customer: Pick<Customer, 'externalId' | 'stripeCustomerId'> | null,
): HistoryEvent {
  const object = ((row.payload as { data?: { object?: Record<string, unknown> } } | null)?.data?.object ??
    {}) as Record<string, unknown>;
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  const named = object.customer;
  const stripeCustomer = typeof named === 'string' ? named : (named as { id?: string } | null)?.id;
  const matchedBy: HistoryEvent['matchedBy'] = !customer
    ? 'link'
    : metadata.user_id === customer.externalId || object.client_reference_id === customer.externalId
      ? 'user_id'
      : customer.stripeCustomerId && stripeCustomer === customer.stripeCustomerId
        ? 'stripe_customer'
        : 'email';
  return {
    id: row.id,
    type: row.type,
    created: row.created,
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError,
    cause: readEventCause(row.cause, row.causeDetail),
    nextAttemptAt: row.nextAttemptAt,
    processedAt: row.processedAt,
    objectId: row.objectId,
    linked: !customer,
    matchedBy,
    object,
  };
}

export async function loadHistory(db: DbOrTx, customerId: string, now: Date = new Date()): Promise<CustomerHistory> {
  const customer = await db.customer.findUnique({ where: { id: customerId } });
  if (!customer) throw new AppError('NOT_FOUND', 'Customer not found');

  const [rules, lots, totals, usage, payments, subscriptions, linkedOpen, unlinked, blocks, disputes, entitlements] =
    await Promise.all([
      getRules(db),
      db.creditLot.findMany({ where: { customerId, remaining: { gt: 0 } }, orderBy: { createdAt: 'asc' } }),
      // Usage is summed from the usage rows below (by feature); the ledger's per-type index then
      // only reads the customer's other entries, a small share of a busy account's ledger.
      db.ledgerEntry.groupBy({
        by: ['type'],
        where: { customerId, type: { in: NON_USAGE_TYPES } },
        _sum: { credits: true },
        _count: { _all: true },
      }),
      db.usage.groupBy({ by: ['feature'], where: { customerId, status: 'consumed' }, _sum: { credits: true } }),
      db.payment.findMany({
        where: { customerId },
        orderBy: { createdAt: 'desc' },
        take: 50,
        include: { refunds: true, disputes: true },
      }),
      db.subscription.findMany({ where: { customerId }, orderBy: { createdAt: 'desc' }, take: 10 }),
      db.stripeEvent.findMany({
        where: { customerId, status: { in: [...OPEN] } },
        orderBy: [{ created: 'desc' }, { id: 'desc' }],
        take: 50,
        select: EVENT_SELECT,
      }),
      findUnlinkedEvents(db, customer, 50),
      db.blockEvent.findMany({ where: { customerId }, orderBy: { createdAt: 'desc' }, take: 50 }),
      db.dispute.findMany({ where: { customerId }, orderBy: { stripeCreated: 'desc' }, take: 50 }),
      resolveEntitlements(db, customer, { now }),
    ]);

  const paymentIds = payments.flatMap((p) =>
    [p.checkoutSessionId, p.invoiceId, p.paymentIntentId, p.chargeId].filter((x): x is string => !!x),
  );
  const recentIds = payments
    .filter((p) => p.status !== 'pending')
    .slice(0, 5)
    .flatMap((p) => [p.checkoutSessionId, p.invoiceId, p.paymentIntentId, p.chargeId].filter((x): x is string => !!x));
  const openEvents = [
    ...linkedOpen.map((r) => toHistoryEvent(r, null)),
    ...unlinked.map((r) => toHistoryEvent(r, customer)),
  ];
  const pricesInErrors = [
    ...new Set(openEvents.map((e) => unknownPriceOf(e.cause)).filter((p): p is string => p !== null)),
  ];
  const subPrices = subscriptions.map((s) => s.stripePriceId).filter((x): x is string => !!x);

  const [grants, paymentEvents, prices, priceDetails, catalogNames] = await Promise.all([
    paymentIds.length
      ? db.ledgerEntry.findMany({
          where: { customerId, reference: { in: paymentIds }, credits: { gt: 0 } },
          select: { id: true, reference: true, credits: true, createdAt: true },
          orderBy: { id: 'desc' },
          take: 200,
        })
      : [],
    recentIds.length
      ? db.stripeEvent.findMany({
          where: { objectId: { in: recentIds } },
          orderBy: [{ created: 'asc' }, { id: 'asc' }],
          take: 50,
          select: { ...EVENT_SELECT, payload: false },
        })
      : [],
    db.catalogPrice.findMany({ where: { stripePriceId: { in: [...pricesInErrors, ...subPrices] } } }),
    // From stored payloads here; getVerdict asks Stripe when connected.
    describePrices(db, null, pricesInErrors),
    loadCatalogNames(db),
  ]);

  const entryTotals: CustomerHistory['entryTotals'] = {};
  for (const t of totals) {
    entryTotals[t.type as LedgerEntryType] = { credits: t._sum.credits ?? 0, count: t._count._all };
  }
  const mapped = new Set(prices.filter((p) => p.planKey || p.packKey).map((p) => p.stripePriceId));
  return {
    now,
    customer,
    rules,
    lots,
    entryTotals,
    consumedByFeature: usage
      .map((u) => ({ feature: u.feature, credits: u._sum.credits ?? 0 }))
      .sort((a, b) => b.credits - a.credits),
    payments,
    grants: grants.map((g) => ({
      entryId: g.id.toString(),
      reference: g.reference ?? '',
      credits: g.credits,
      createdAt: g.createdAt,
    })),
    subscriptions,
    catalogNames,
    pricePlans: Object.fromEntries(prices.map((p) => [p.stripePriceId, p.planKey])),
    openEvents,
    paymentEvents: paymentEvents.map((r) => toHistoryEvent({ ...r, payload: null }, null)),
    mappedPrices: pricesInErrors.filter((p) => mapped.has(p)),
    priceDetails: Object.fromEntries(priceDetails),
    blocks,
    disputes,
    entitlements,
    stripe: STRIPE_NOT_CHECKED,
    topup: {
      setting: await db.autoTopupSetting.findUnique({ where: { customerId } }),
      latest: await db.autoTopup.findFirst({ where: { customerId }, orderBy: { createdAt: 'desc' } }),
    },
  };
}
