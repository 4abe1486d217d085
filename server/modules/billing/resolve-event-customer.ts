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
  // One read for every handle: the customers they name, in order of strength below, and whether
  // the Stripe customer is already someone's (then it is never linked to another).
  const or = [
    ...(handles.userId ? [{ externalId: handles.userId }] : []),
    ...(stripeCustomerId ? [{ stripeCustomerId }] : []),
    ...(handles.linkedCustomerId ? [{ id: handles.linkedCustomerId }] : []),
  ];
  const rows = or.length ? await tx.customer.findMany({ where: { OR: or } }) : [];
  const byStripe = stripeCustomerId ? (rows.find((c) => c.stripeCustomerId === stripeCustomerId) ?? null) : null;
  let customer: Customer | null = null;
  if (handles.userId) {
    customer = rows.find((c) => c.externalId === handles.userId) ?? null;
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
  customer ??= byStripe;
  if (!customer && handles.linkedCustomerId) {
    customer = rows.find((c) => c.id === handles.linkedCustomerId) ?? null;
  }
  if (customer && stripeCustomerId && !customer.stripeCustomerId && !byStripe) {
    // Link only a Stripe customer that is not already someone else's.
    customer = await tx.customer.update({ where: { id: customer.id }, data: { stripeCustomerId } });
  }
  if (customer && !customer.email && handles.email) {
    customer = await tx.customer.update({ where: { id: customer.id }, data: { email: handles.email } });
  }
  return customer;
}
