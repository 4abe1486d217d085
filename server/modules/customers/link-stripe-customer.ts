// Records which Stripe customer (cus_...) pays for one of our customers. A customer has at most
// one, and a Stripe customer belongs to at most one of ours: relinking is refused, never silent.
import type { DbOrTx } from '../../db/tx.ts';
import type { Customer } from '../../generated/prisma/client.ts';
import { AppError } from '../../lib/app-error.ts';
import { isUniqueViolation } from '../../lib/prisma-errors.ts';

export async function linkStripeCustomer(
  tx: DbOrTx,
  input: { customerId: string; stripeCustomerId: string },
): Promise<Customer> {
  if (!/^cus_[A-Za-z0-9]+$/.test(input.stripeCustomerId)) {
    throw new AppError('VALIDATION', `"${input.stripeCustomerId}" is not a Stripe customer id (cus_...)`);
  }
  const customer = await tx.customer.findUnique({ where: { id: input.customerId } });
  if (!customer) throw new AppError('NOT_FOUND', 'Customer not found');
  if (customer.stripeCustomerId === input.stripeCustomerId) return customer;
  if (customer.stripeCustomerId) {
    throw new AppError(
      'CONFLICT',
      `Customer ${customer.externalId} is already linked to ${customer.stripeCustomerId}`,
      { stripeCustomerId: customer.stripeCustomerId },
    );
  }
  const owner = await tx.customer.findUnique({ where: { stripeCustomerId: input.stripeCustomerId } });
  if (owner)
    throw new AppError('CONFLICT', `${input.stripeCustomerId} is already linked to customer ${owner.externalId}`);
  try {
    return await tx.customer.update({
      where: { id: customer.id },
      data: { stripeCustomerId: input.stripeCustomerId },
    });
  } catch (err) {
    // Linked by a concurrent transaction between our check and our write.
    if (!isUniqueViolation(err)) throw err;
    throw new AppError('CONFLICT', `${input.stripeCustomerId} is already linked to another customer`);
  }
}
