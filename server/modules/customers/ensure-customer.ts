// The product's backend tells us about its users by their own id (externalId). Upsert: the first
// call creates the customer, later calls refresh email and name. New customers have no plan key,
// which means "the catalog's default plan" until a subscription says otherwise.
import type { DbOrTx } from '../../db/tx.ts';
import type { Customer } from '../../generated/prisma/client.ts';
import { AppError } from '../../lib/app-error.ts';

export interface EnsureCustomerInput {
  externalId: string;
  email: string;
  /** undefined keeps the current name; null clears it. */
  name?: string | null;
}

export async function ensureCustomer(tx: DbOrTx, input: EnsureCustomerInput): Promise<Customer> {
  const externalId = input.externalId.trim();
  const email = input.email.trim().toLowerCase();
  if (!externalId) throw new AppError('VALIDATION', 'externalId is required');
  if (!email) throw new AppError('VALIDATION', 'email is required');
  const update = { email, ...(input.name !== undefined ? { name: input.name?.trim() || null } : {}) };
  // Prisma runs this as one INSERT ... ON CONFLICT (the where and create agree on the unique
  // key), so concurrent first calls for the same user do not race.
  return tx.customer.upsert({ where: { externalId }, create: { externalId, ...update }, update });
}
