// Which Creditdesk customer a Stripe object belongs to. Our Checkout Sessions, subscriptions and
// payment intents carry `user_id` metadata (the product's own user id = Customer.externalId);
// objects created elsewhere are matched through the linked Stripe customer, or through a link a
// support agent made on the stored event.
import type { Tx } from '../../db/tx.ts';
import type { Customer } from '../../generated/prisma/client.ts';
import { ensureCustomer } from '../customers/ensure-customer.ts';

export interface CustomerHandles {
  userId?: string | null;
  email?: string | null;
  name?: string | null;
  stripeCustomerId?: string | { id: string } | null;
  /** Set by support on the stored event ("link customer"). */
  linkedCustomerId?: string | null;
}

export function stripeId(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === 'string' ? value : value.id;
}

export async function resolveEventCustomer(tx: Tx, handles: CustomerHandles): Promise<Customer | null> {
  const stripeCustomerId = stripeId(handles.stripeCustomerId);
  let customer: Customer | null = null;
  if (handles.userId) {
    customer = await tx.customer.findUnique({ where: { externalId: handles.userId } });
    // An unknown user id becomes a customer only when the object carries an email (checkout
    // sessions do); otherwise the other handles are tried and the caller decides to wait.
    if (!customer && handles.email) {
      customer = await ensureCustomer(tx, {
        externalId: handles.userId,
        email: handles.email,
        ...(handles.name ? { name: handles.name } : {}),
      });
    }
  }
  if (!customer && stripeCustomerId) {
    customer = await tx.customer.findUnique({ where: { stripeCustomerId } });
  }
  if (!customer && handles.linkedCustomerId) {
    customer = await tx.customer.findUnique({ where: { id: handles.linkedCustomerId } });
  }
  if (customer && stripeCustomerId && !customer.stripeCustomerId) {
    // Link only a Stripe customer that is not already someone else's.
    const taken = await tx.customer.findUnique({ where: { stripeCustomerId }, select: { id: true } });
    if (!taken) {
      customer = await tx.customer.update({ where: { id: customer.id }, data: { stripeCustomerId } });
    }
  }
  if (customer && !customer.email && handles.email) {
    customer = await tx.customer.update({ where: { id: customer.id }, data: { email: handles.email } });
  }
  return customer;
}
