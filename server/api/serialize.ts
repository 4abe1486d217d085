// JSON shapes of the service API. Dates are ISO strings; internal columns (hashes, projections
// nobody outside needs) stay out.
import type {
  BalanceResponse,
  CustomerOverviewResponse,
  CustomerResponse,
} from '../contracts/service-api-responses.ts';
import type { Customer } from '../generated/prisma/client.ts';
import type { CustomerOverview } from '../modules/customers/get-customer-overview.ts';
import type { BalanceView } from '../modules/ledger/get-balance.ts';

export function customerJson(c: Customer): CustomerResponse {
  return {
    id: c.id,
    externalId: c.externalId,
    email: c.email,
    name: c.name,
    status: c.status,
    stripeCustomerId: c.stripeCustomerId,
    balance: c.balance,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

export function customerOverviewJson(o: CustomerOverview): CustomerOverviewResponse {
  const { entitlements } = o;
  return {
    ...customerJson(o.customer),
    balance: o.balance,
    available: o.available,
    status: o.status,
    plan: entitlements.plan ? { key: entitlements.plan.key, name: entitlements.plan.name } : null,
    entitlements: Object.fromEntries(
      Object.entries(entitlements.features).map(([key, e]) => [
        key,
        {
          value: e.value,
          source: e.source,
          creditCost: e.creditCost,
          ...(e.expiresAt ? { expiresAt: e.expiresAt.toISOString() } : {}),
        },
      ]),
    ),
  };
}

export function balanceJson(b: BalanceView): BalanceResponse {
  return {
    balance: b.balance,
    available: b.available,
    lots: b.lots.map((l) => ({
      id: l.id,
      source: l.source,
      remaining: l.remaining,
      expiresAt: l.expiresAt?.toISOString() ?? null,
      costBasis: l.costBasis,
      frozen: l.frozen,
    })),
  };
}
