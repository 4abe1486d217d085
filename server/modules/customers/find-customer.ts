// Lookups by each handle a caller has: our id and the product's user id.
import type { DbOrTx } from '../../db/tx.ts';
import type { Customer } from '../../generated/prisma/client.ts';
import { AppError } from '../../lib/app-error.ts';

function findCustomerByExternalId(tx: DbOrTx, externalId: string): Promise<Customer | null> {
  return tx.customer.findUnique({ where: { externalId } });
}

/** NOT_FOUND when the product never told us about this user. */
export async function getCustomerByExternalId(tx: DbOrTx, externalId: string): Promise<Customer> {
  const customer = await findCustomerByExternalId(tx, externalId);
  if (!customer) throw new AppError('NOT_FOUND', `No customer with externalId "${externalId}"`);
  return customer;
}

export async function getCustomer(tx: DbOrTx, id: string): Promise<Customer> {
  const customer = await tx.customer.findUnique({ where: { id } });
  if (!customer) throw new AppError('NOT_FOUND', 'Customer not found');
  return customer;
}
