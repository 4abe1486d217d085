// The webhook monitor's event list: every stored event, filtered by status, type (exact or a
// "invoice." prefix), customer (any handle), object or event id and Stripe's created date, newest
// first, a page at a time with the total, so a filtered view can be pasted into a ticket as a URL.
// Paged by a (created, id) keyset cursor: events that arrive while someone pages land on page one
// instead of pushing a row already seen onto the next page.
// The customer filter also finds unfinished events not linked to anyone whose payload names them.
import type { SearchEventsQuery } from '../../contracts/webhooks-admin.ts';
import type { DbOrTx } from '../../db/tx.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { findUnlinkedEvents } from '../support/find-unlinked-events.ts';
import { EVENT_SUMMARY_SELECT, toEventSummary } from './event-summary.ts';
import { decodeKeyset, olderThan, pageOf } from '../../lib/keyset-cursor.ts';
import { likeLiteral } from '../../lib/like-pattern.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The customers a handle names: id, Stripe customer id, email (maybe several) or the product's user id. */
async function resolveCustomers(db: DbOrTx, handle: string) {
  const where: Prisma.CustomerWhereInput = UUID.test(handle)
    ? { id: handle }
    : handle.startsWith('cus_')
      ? { stripeCustomerId: handle }
      : handle.includes('@')
        ? { email: handle.toLowerCase() }
        : { externalId: handle };
  return db.customer.findMany({
    where,
    select: { id: true, email: true, externalId: true, stripeCustomerId: true },
    take: 20,
  });
}

export async function searchEvents(db: DbOrTx, input: Partial<SearchEventsQuery>) {
  const pageSize = input.pageSize ?? 50;
  const after = decodeKeyset(input.cursor);
  const where: Prisma.StripeEventWhereInput[] = [];
  if (input.status) where.push({ status: input.status });
  if (input.type)
    where.push(input.type.endsWith('.') ? { type: { startsWith: likeLiteral(input.type) } } : { type: input.type });
  if (input.search) where.push({ OR: [{ id: input.search }, { objectId: input.search }] });
  if (input.from) where.push({ created: { gte: input.from } });
  if (input.to) where.push({ created: { lt: input.to } });
  const customers = input.customer ? await resolveCustomers(db, input.customer) : null;
  if (customers) {
    // A failed event is often linked to nobody yet (it failed before the pipeline knew whose it
    // was); its payload still names the customer, and support filtering by customer wants it.
    const unlinked = (await Promise.all(customers.map((c) => findUnlinkedEvents(db, c)))).flat().map((e) => e.id);
    where.push({ OR: [{ customerId: { in: customers.map((c) => c.id) } }, { id: { in: unlinked } }] });
  }

  const filter = { AND: where };
  const [total, fetched] = await Promise.all([
    db.stripeEvent.count({ where: filter }),
    db.stripeEvent.findMany({
      where: after ? { AND: [...where, olderThan('created', after)] } : filter,
      orderBy: [{ created: 'desc' }, { id: 'desc' }],
      take: pageSize + 1,
      select: EVENT_SUMMARY_SELECT,
    }),
  ]);
  const { items: rows, nextCursor } = pageOf(fetched, pageSize, (r) => ({ at: r.created, id: r.id }));
  const linked = [...new Set(rows.map((r) => r.customerId).filter((id): id is string => !!id))];
  const names = new Map(
    (
      await db.customer.findMany({
        where: { id: { in: linked } },
        select: { id: true, email: true, externalId: true },
      })
    ).map((c) => [c.id, c]),
  );
  return {
    items: rows.map((row) => ({
      ...toEventSummary(row),
      customer: row.customerId ? (names.get(row.customerId) ?? null) : null,
    })),
    total,
    pageSize,
    nextCursor,
    /** The customers the customer filter matched (empty: it matched nobody). */
    customers,
  };
}
