// The one search box: any handle a ticket carries. A Stripe id resolves to its customer (and says
// which object matched, so the page can highlight it); our own id and the product's user id are
// exact lookups; anything else is an email or name prefix. Every branch is served by an index
// (customer_email_idx and customer_name_idx are text_pattern_ops, so LIKE 'x%' uses them), and
// lists page by cursor, never by offset.
import type { DbOrTx } from '../../db/tx.ts';
import type { Customer, Prisma } from '../../generated/prisma/client.ts';
import { stripeHandlePrefix, type SearchCustomersInput } from '../../contracts/support.ts';
import { resolveStripeHandle, type UnlinkedHandle } from './resolve-stripe-handle.ts';
import { likeLiteral } from '../../lib/like-pattern.ts';

export type MatchField = 'stripe' | 'id' | 'externalId' | 'email' | 'name' | 'recent';

export interface CustomerHit {
  customer: Pick<
    Customer,
    | 'id'
    | 'externalId'
    | 'email'
    | 'name'
    | 'status'
    | 'blockedReason'
    | 'planKey'
    | 'balance'
    | 'stripeCustomerId'
    | 'createdAt'
  >;
  match: { field: MatchField; value: string; label: string };
}

export interface SearchCustomersResult {
  items: CustomerHit[];
  nextCursor: string | null;
  /** The query was a Stripe id or our id: the UI may open the single hit directly. */
  exact: boolean;
  /** A Stripe id known only from events no customer is linked to. */
  unlinked: UnlinkedHandle[];
}

const SELECT = {
  id: true,
  externalId: true,
  email: true,
  name: true,
  status: true,
  blockedReason: true,
  planKey: true,
  balance: true,
  stripeCustomerId: true,
  createdAt: true,
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export async function searchCustomers(db: DbOrTx, input: SearchCustomersInput): Promise<SearchCustomersResult> {
  const q = (input.q ?? '').trim();
  const limit = input.limit ?? 25;
  const cursor = input.cursor && UUID.test(input.cursor) ? input.cursor : null;
  const page = (rows: CustomerHit['customer'][], match: (c: CustomerHit['customer']) => CustomerHit['match']) => {
    const more = rows.length > limit;
    const items = rows.slice(0, limit);
    return {
      items: items.map((customer) => ({ customer, match: match(customer) })),
      nextCursor: more ? (items.at(-1)?.id ?? null) : null,
    };
  };

  if (!q) {
    const rows = await db.customer.findMany({
      select: SELECT,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit + 1,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    return {
      ...page(rows, () => ({ field: 'recent', value: '', label: 'newest customers' })),
      exact: false,
      unlinked: [],
    };
  }

  if (stripeHandlePrefix(q)) {
    const { matches, unlinked } = await resolveStripeHandle(db, q);
    const customers = await db.customer.findMany({
      where: { id: { in: matches.map((m) => m.customerId) } },
      select: SELECT,
    });
    const byId = new Map(customers.map((c) => [c.id, c]));
    const items = matches.flatMap((m) => {
      const customer = byId.get(m.customerId);
      return customer
        ? [{ customer, match: { field: 'stripe' as const, value: q, label: `${m.label} (${m.via})` } }]
        : [];
    });
    return { items, nextCursor: null, exact: true, unlinked };
  }

  if (UUID.test(q)) {
    const customer = await db.customer.findUnique({ where: { id: q.toLowerCase() }, select: SELECT });
    if (customer) {
      return {
        items: [{ customer, match: { field: 'id', value: q, label: 'Creditdesk id' } }],
        nextCursor: null,
        exact: true,
        unlinked: [],
      };
    }
  }

  // Emails are stored lower-cased (ensureCustomer); names as typed, so try the usual casings.
  // Page 1 leads with the exact hits (user id, whole email); every page then continues the prefix
  // hits in email order, without the exact ones. The cursor is the last prefix hit's id ("start"
  // when page 1 held exact hits only).
  const lower = q.toLowerCase();
  const exactRows = await db.customer.findMany({
    where: { OR: [{ externalId: q }, { email: lower }] },
    select: SELECT,
    orderBy: { id: 'asc' },
    take: limit,
  });
  const exactIds = exactRows.map((c) => c.id);
  const shownExact = input.cursor ? [] : exactRows;
  const prefixes: Prisma.CustomerWhereInput[] = [{ email: { startsWith: likeLiteral(lower) } }];
  if (!q.includes('@')) {
    for (const name of new Set([q, lower, capitalise(lower)]))
      prefixes.push({ name: { startsWith: likeLiteral(name) } });
  }
  const room = limit - shownExact.length;
  const rows = await db.customer.findMany({
    where: { OR: prefixes, ...(exactIds.length ? { id: { notIn: exactIds } } : {}) },
    select: SELECT,
    orderBy: [{ email: 'asc' }, { id: 'asc' }],
    take: room + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
  });
  const matchOf = (c: CustomerHit['customer']): CustomerHit['match'] => {
    if (c.externalId === q) return { field: 'externalId', value: q, label: 'user id' };
    if (c.email === lower) return { field: 'email', value: c.email, label: 'email' };
    if (c.email.startsWith(lower)) return { field: 'email', value: c.email, label: 'email starts with' };
    return { field: 'name', value: c.name ?? '', label: 'name starts with' };
  };
  const shownPrefix = rows.slice(0, room);
  const more = rows.length > room;
  return {
    items: [...shownExact, ...shownPrefix].map((customer) => ({ customer, match: matchOf(customer) })),
    nextCursor: more ? (shownPrefix.at(-1)?.id ?? 'start') : null,
    exact: false,
    unlinked: [],
  };
}
