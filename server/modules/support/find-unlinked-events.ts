// Stored events that are about this customer but linked to nobody: an event that failed before
// the pipeline could tell whose it was (no user id, unknown price) keeps customer_id empty. They
// are matched on what the payload says (user id, Stripe customer, email). Only unfinished events
// are considered, which keeps the scan to the small failed/deferred queue.
import type { DbOrTx } from '../../db/tx.ts';
import { Prisma, type Customer } from '../../generated/prisma/client.ts';
import { EVENT_SELECT, type EventRow } from './event-row.ts';

/**
 * SQL condition on stripe_event `e` for "unfinished, unlinked, and its payload names this
 * customer" (shared with the timeline's single query).
 */
export function unlinkedEventMatch(
  e: Prisma.Sql,
  customer: { externalId: Prisma.Sql; email: Prisma.Sql; stripeCustomerId: Prisma.Sql },
): Prisma.Sql {
  const obj = (p: string) => Prisma.sql`${e}.payload #>> ${`{data,object,${p}}`}::text[]`;
  return Prisma.sql`${e}.customer_id IS NULL
    AND ${e}.status IN ('failed', 'deferred', 'received')
    AND (
      ${obj('metadata,user_id')} = ${customer.externalId}
      OR ${obj('client_reference_id')} = ${customer.externalId}
      OR (${customer.stripeCustomerId} IS NOT NULL AND (${obj('customer')} = ${customer.stripeCustomerId}
                                                       OR ${obj('customer,id')} = ${customer.stripeCustomerId}))
      OR (${customer.email} <> '' AND (lower(${obj('customer_details,email')}) = ${customer.email}
                                       OR lower(${obj('customer_email')}) = ${customer.email}
                                       OR lower(${obj('receipt_email')}) = ${customer.email}
                                       OR lower(${obj('billing_details,email')}) = ${customer.email}))
    )`;
}

export async function findUnlinkedEvents(
  db: DbOrTx,
  customer: Pick<Customer, 'externalId' | 'email' | 'stripeCustomerId'>,
  limit = 200,
): Promise<EventRow[]> {
  const match = unlinkedEventMatch(Prisma.sql`e`, {
    externalId: Prisma.sql`${customer.externalId}::text`,
    email: Prisma.sql`${customer.email.trim().toLowerCase()}::text`,
    stripeCustomerId: Prisma.sql`${customer.stripeCustomerId}::text`,
  });
  const candidates = await db.$queryRaw<Array<{ id: string }>>`
    SELECT e.id FROM stripe_event e WHERE ${match} ORDER BY e.created DESC LIMIT ${limit}`;
  if (!candidates.length) return [];
  return db.stripeEvent.findMany({
    where: { id: { in: candidates.map((c) => c.id) } },
    orderBy: [{ created: 'desc' }, { id: 'desc' }],
    select: EVENT_SELECT,
  });
}
