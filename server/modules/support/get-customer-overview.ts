// The customer page's first screen: the answer first (status, plan, balance), then the panels a
// support agent reads to explain it: credit lots in draw order, entitlements with their source,
// subscription and invoices, payments with their refunds and disputes, usage by feature, notes and
// the block history. Every list is bounded; the full history is the timeline's job.
import type { DbOrTx } from '../../db/tx.ts';
import { AppError } from '../../lib/app-error.ts';
import { getRules } from '../catalog/get-rules.ts';
import { resolveEntitlements } from '../entitlements/resolve-entitlements.ts';
import { getBalance } from '../ledger/get-balance.ts';

const USAGE_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

export type CustomerState = 'active' | 'blocked' | 'grace';

export async function getCustomerOverview(db: DbOrTx, customerId: string, options: { now?: Date } = {}) {
  const now = options.now ?? new Date();
  const customer = await db.customer.findUnique({ where: { id: customerId } });
  if (!customer) throw new AppError('NOT_FOUND', 'Customer not found');
  const rules = await getRules(db);
  const windowStart = new Date(now.getTime() - rules.autoBlockWindowDays * DAY_MS);
  const usageSince = new Date(now.getTime() - USAGE_WINDOW_DAYS * DAY_MS);

  const [
    balance,
    emptyLots,
    entitlements,
    overrides,
    subscriptions,
    invoices,
    payments,
    usage,
    notes,
    blocks,
    disputesInWindow,
  ] = await Promise.all([
    getBalance(db, customer.id, { now }),
    db.creditLot.findMany({ where: { customerId, remaining: 0 }, orderBy: { createdAt: 'desc' }, take: 10 }),
    resolveEntitlements(db, customer, { now }),
    db.customerOverride.findMany({ where: { customerId }, orderBy: { createdAt: 'desc' }, take: 20 }),
    db.subscription.findMany({ where: { customerId }, orderBy: { createdAt: 'desc' }, take: 5 }),
    db.payment.findMany({ where: { customerId, invoiceId: { not: null } }, orderBy: { createdAt: 'desc' }, take: 12 }),
    db.payment.findMany({
      where: { customerId, invoiceId: null },
      orderBy: { createdAt: 'desc' },
      take: 20,
      include: { refunds: { orderBy: { createdAt: 'desc' } }, disputes: { orderBy: { stripeCreated: 'desc' } } },
    }),
    db.usage.groupBy({
      by: ['feature'],
      where: { customerId, status: 'consumed', createdAt: { gte: usageSince } },
      _sum: { credits: true },
      _count: { _all: true },
      _max: { createdAt: true },
    }),
    db.customerNote.findMany({ where: { customerId }, orderBy: { createdAt: 'desc' }, take: 20 }),
    db.blockEvent.findMany({ where: { customerId }, orderBy: { createdAt: 'desc' }, take: 50 }),
    db.dispute.count({ where: { customerId, stripeCreated: { gte: windowStart } } }),
  ]);

  // Invoice payments get their refunds and disputes too (a renewal can be disputed).
  const invoiceExtras = await db.payment.findMany({
    where: { id: { in: invoices.map((i) => i.id) } },
    select: { id: true, refunds: true, disputes: true },
  });
  const extrasById = new Map(invoiceExtras.map((e) => [e.id, e]));
  const authors = await db.user.findMany({
    where: { id: { in: [...new Set(notes.map((n) => n.authorId))] } },
    select: { id: true, name: true, email: true },
  });
  const authorById = new Map(authors.map((a) => [a.id, a]));

  const inGrace = subscriptions.find((s) => s.graceUntil && s.graceUntil > now) ?? null;
  const state: CustomerState = customer.status === 'blocked' ? 'blocked' : inGrace ? 'grace' : 'active';

  return {
    customer,
    header: {
      state,
      blockedReason: customer.blockedReason,
      blockedAt: customer.blockedAt,
      graceUntil: inGrace?.graceUntil ?? null,
      plan: entitlements.plan,
      balance: balance.balance,
      available: balance.available,
      frozen: balance.frozen,
      expiredPending: balance.expiredPending,
    },
    lots: { open: balance.lots, recentEmpty: emptyLots, drawOrder: balance.drawOrder },
    entitlements: {
      plan: entitlements.plan,
      blocked: entitlements.blocked,
      features: Object.entries(entitlements.features).map(([key, f]) => ({ key, ...f })),
      overrides,
    },
    subscriptions,
    invoices: invoices.map((i) => ({
      ...i,
      refunds: extrasById.get(i.id)?.refunds ?? [],
      disputes: extrasById.get(i.id)?.disputes ?? [],
    })),
    payments,
    usage: {
      sinceDays: USAGE_WINDOW_DAYS,
      byFeature: usage
        .map((u) => ({
          feature: u.feature,
          requests: u._count._all,
          credits: u._sum.credits ?? 0,
          lastAt: u._max.createdAt,
        }))
        .sort((a, b) => b.credits - a.credits),
    },
    notes: notes.map((n) => ({ ...n, author: authorById.get(n.authorId) ?? null })),
    blocks,
    disputes: { inWindow: disputesInWindow, windowDays: rules.autoBlockWindowDays, blockAt: rules.autoBlockDisputes },
    rules: { manualGrantFinanceAbove: rules.manualGrantFinanceAbove, gracePeriodDays: rules.gracePeriodDays },
  };
}

export type CustomerOverview = Awaited<ReturnType<typeof getCustomerOverview>>;
