// Everything "is this customer OK?" needs in one read: who they are, balance and what is spendable,
// status, plan, and the entitlements with their sources. Serves the service API and the staff page.
import type { DbOrTx } from '../../db/tx.ts';
import type { Customer } from '../../generated/prisma/client.ts';
import { spendableCredits } from '../entitlements/check-access.ts';
import { resolveEntitlements } from '../entitlements/resolve-entitlements.ts';

export async function getCustomerOverview(db: DbOrTx, customer: Customer, options: { now?: Date } = {}) {
  const [entitlements, available] = await Promise.all([
    resolveEntitlements(db, customer, options),
    spendableCredits(db, customer.id, options.now),
  ]);
  return { customer, balance: customer.balance, available, status: customer.status, entitlements };
}

export type CustomerOverview = Awaited<ReturnType<typeof getCustomerOverview>>;
