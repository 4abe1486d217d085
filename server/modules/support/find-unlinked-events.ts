// Stored events that are about this customer but linked to nobody: an event that failed before
// the pipeline could tell whose it was (no user id, unknown price) keeps customer_id empty. They
// are matched on what the payload says (user id, Stripe customer, email). Only unfinished events
// are considered, which keeps the scan to the small failed/deferred queue.
import type { DbOrTx } from '../../db/tx.ts';
import type { Customer } from '../../generated/prisma/client.ts';
import { EVENT_SELECT, type EventRow } from './timeline/billing-sources.ts';

const OPEN_STATUSES = ['failed', 'deferred', 'received'] as const;

export async function findUnlinkedEvents(
  db: DbOrTx,
  customer: Pick<Customer, 'externalId' | 'email' | 'stripeCustomerId'>,
  limit = 200,
): Promise<EventRow[]> {
  const email = customer.email.trim().toLowerCase();
  const candidates = await db.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM stripe_event
    WHERE customer_id IS NULL AND status = ANY(${[...OPEN_STATUSES]}::"EventStatus"[])
      AND (
        payload #>> '{data,object,metadata,user_id}' = ${customer.externalId}
        OR payload #>> '{data,object,client_reference_id}' = ${customer.externalId}
        OR (${customer.stripeCustomerId}::text IS NOT NULL AND (
              payload #>> '{data,object,customer}' = ${customer.stripeCustomerId}
              OR payload #>> '{data,object,customer,id}' = ${customer.stripeCustomerId}))
        OR (${email} <> '' AND (
              lower(payload #>> '{data,object,customer_details,email}') = ${email}
              OR lower(payload #>> '{data,object,customer_email}') = ${email}
              OR lower(payload #>> '{data,object,receipt_email}') = ${email}
              OR lower(payload #>> '{data,object,billing_details,email}') = ${email}))
      )
    ORDER BY created DESC
    LIMIT ${limit}`;
  if (!candidates.length) return [];
  return db.stripeEvent.findMany({
    where: { id: { in: candidates.map((c) => c.id) } },
    orderBy: [{ created: 'desc' }, { id: 'desc' }],
    select: EVENT_SELECT,
  });
}
