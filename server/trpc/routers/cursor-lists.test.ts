// Every cursor-paged staff list, paged through its procedure one small page at a time while new
// rows arrive between the pages: each row that existed at the start is seen exactly once, in the
// list's order, and nothing is seen twice. Rows share timestamps on purpose, so the id tiebreak
// of the keyset is exercised; an offset pager fails this (the insert shifts a row onto the next
// page a second time).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestContext } from '../../../test/deps.ts';
import { makeCustomer, storeEvent } from '../../modules/support/testing/history-builder.ts';
import { createContextInner } from '../context.ts';
import { createCallerFactory } from '../init.ts';
import { appRouter } from '../router.ts';

type Role = 'support' | 'finance' | 'admin';
let t: TestContext;
const caller = (role: Role) =>
  createCallerFactory(appRouter)(
    createContextInner(t.deps, { id: `u-${role}`, email: `${role}@x.io`, name: role, role }, '10.3.3.3'),
  );

beforeAll(async () => {
  t = await createTestDeps();
  await t.deps.prisma.feature.create({ data: { key: 'chat', name: 'Chat', creditCost: 1 } });
  await t.deps.prisma.plan.create({
    data: { key: 'free', name: 'Free', isDefault: true, monthlyCredits: 0, entitlements: { chat: true } },
  });
});
afterAll(() => t?.db.drop());

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Pages to the end, calling `between` after each page; returns the ids in the order seen. */
async function pageThrough<T>(
  fetch: (cursor: string | null) => Promise<Page<T>>,
  id: (row: T) => string,
  between: (pageIndex: number) => Promise<void>,
): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 100; i++) {
    const page: Page<T> = await fetch(cursor);
    seen.push(...page.items.map(id));
    if (!page.nextCursor) return seen;
    cursor = page.nextCursor;
    await between(i);
  }
  throw new Error('the list never ended');
}

function expectEachOnce(seen: string[], expected: string[]) {
  expect(new Set(seen).size).toBe(seen.length);
  const original = new Set(expected);
  expect(seen.filter((id) => original.has(id))).toEqual(expected);
}

const T0 = new Date('2026-11-01T10:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describe('cursor-paged lists stay whole while rows arrive', () => {
  it('customers.list', async () => {
    const made = [];
    for (let i = 0; i < 7; i++) {
      made.push(await makeCustomer(t.deps.prisma, { email: `pager-${i}@list.test`, createdAt: at(Math.floor(i / 2)) }));
    }
    const expected = [...made]
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
      .map((c) => c.id);
    const seen = await pageThrough(
      (cursor) => caller('support').customers.list({ query: 'pager-', pageSize: 2, cursor }),
      (c) => c.id,
      async (i) => void (await makeCustomer(t.deps.prisma, { email: `pager-new-${i}@list.test` })),
    );
    expectEachOnce(seen, expected);
  });

  it('blocks.listBlocked and blocks.history', async () => {
    const blocked = [];
    for (let i = 0; i < 6; i++) {
      const c = await makeCustomer(t.deps.prisma, {
        email: `blocked-${i}@list.test`,
        status: 'blocked',
        blockedReason: 'Fraud ring',
        blockedAt: at(Math.floor(i / 2)),
      });
      blocked.push(c);
      await t.deps.prisma.blockEvent.create({
        data: {
          customerId: c.id,
          action: 'block',
          reason: 'Fraud ring',
          actorId: 'system',
          createdAt: at(Math.floor(i / 3)),
        },
      });
    }
    const newest = <T extends { id: string }>(rows: T[], time: (r: T) => Date) =>
      [...rows].sort((a, b) => time(b).getTime() - time(a).getTime() || (a.id < b.id ? 1 : -1)).map((r) => r.id);

    const arrive = async (i: number) => {
      const c = await makeCustomer(t.deps.prisma, {
        email: `blocked-new-${i}@list.test`,
        status: 'blocked',
        blockedReason: 'Fraud ring',
        blockedAt: new Date(),
      });
      await t.deps.prisma.blockEvent.create({
        data: { customerId: c.id, action: 'block', reason: 'Fraud ring', actorId: 'system' },
      });
    };
    const seenBlocked = await pageThrough(
      (cursor) => caller('support').blocks.listBlocked({ limit: 2, cursor }),
      (r) => r.customer.id,
      arrive,
    );
    expectEachOnce(
      seenBlocked,
      newest(blocked, (c) => c.blockedAt!),
    );

    const events = await t.deps.prisma.blockEvent.findMany({ where: { customerId: { in: blocked.map((c) => c.id) } } });
    const seenHistory = await pageThrough(
      (cursor) => caller('support').blocks.history({ limit: 2, cursor }),
      (e) => e.id,
      arrive,
    );
    expectEachOnce(
      seenHistory,
      newest(events, (e) => e.createdAt),
    );
  });

  it('ledger.entries', async () => {
    const c = await makeCustomer(t.deps.prisma, { email: 'ledger-pager@list.test' });
    const grant = (reason: string) =>
      caller('finance').ledger.adjust({
        customerId: c.id,
        credits: 10,
        kind: 'grant',
        reason,
        idempotencyKey: randomUUID(),
      });
    for (let i = 0; i < 7; i++) await grant(`Goodwill ${i}`);
    const expected = (
      await t.deps.prisma.ledgerEntry.findMany({ where: { customerId: c.id }, orderBy: { id: 'desc' } })
    ).map((e) => String(e.id));
    const seen = await pageThrough(
      (cursor) => caller('support').ledger.entries({ customerId: c.id, pageSize: 3, cursor }),
      (e) => String(e.id),
      async (i) => void (await grant(`Arrived while paging ${i}`)),
    );
    expectEachOnce(seen, expected);
  });

  it('disputes.list (its own order: overdue, due soonest, with the bank, closed)', async () => {
    const c = await makeCustomer(t.deps.prisma, { email: 'dispute-pager@list.test' });
    const now = new Date();
    const day = 86_400_000;
    const specs = [
      { status: 'needs_response', due: new Date(now.getTime() - day) },
      { status: 'needs_response', due: new Date(now.getTime() + 2 * day) },
      { status: 'needs_response', due: new Date(now.getTime() + 2 * day) },
      { status: 'under_review', due: null },
      { status: 'won', due: null },
      { status: 'lost', due: null },
      { status: 'lost', due: null },
    ];
    let n = 0;
    const dispute = (status: string, due: Date | null, created: Date) =>
      t.deps.prisma.dispute.create({
        data: {
          id: `dp_pager_${n++}`,
          chargeId: `ch_pager_${n}`,
          customerId: c.id,
          amount: 1000,
          currency: 'eur',
          reason: 'fraudulent',
          status,
          evidenceDueBy: due,
          stripeCreated: created,
        },
      });
    for (const s of specs) await dispute(s.status, s.due, at(-10));
    const first = await caller('support').disputes.list({ filter: 'all', q: 'dispute-pager@list.test', limit: 100 });
    const expected = first.items.map((d) => d.id);
    expect(expected).toHaveLength(specs.length);
    const seen = await pageThrough(
      (cursor) => caller('support').disputes.list({ filter: 'all', q: 'dispute-pager@list.test', limit: 2, cursor }),
      (d) => d.id,
      async () => void (await dispute('lost', null, new Date())),
    );
    expectEachOnce(seen, expected);
  });

  it('webhooksAdmin.events', async () => {
    const made = [];
    for (let i = 0; i < 7; i++) {
      made.push(
        await storeEvent(t.deps.prisma, {
          type: 'invoice.paid',
          created: at(Math.floor(i / 3)),
          object: { id: `in_pager_${i}`, object: 'invoice' },
        }),
      );
    }
    const expected = (
      await t.deps.prisma.stripeEvent.findMany({
        where: { type: 'invoice.paid' },
        orderBy: [{ created: 'desc' }, { id: 'desc' }],
      })
    ).map((e) => e.id);
    expect(expected).toHaveLength(7);
    const seen = await pageThrough(
      (cursor) => caller('support').webhooksAdmin.events({ type: 'invoice.paid', pageSize: 2, cursor }),
      (e) => e.id,
      async (i) =>
        void (await storeEvent(t.deps.prisma, {
          type: 'invoice.paid',
          created: new Date(),
          object: { id: `in_pager_new_${i}`, object: 'invoice' },
        })),
    );
    expectEachOnce(seen, expected);
  });

  it('a cursor that is not one of ours is refused in words', async () => {
    await expect(caller('support').blocks.history({ cursor: 'not-a-cursor' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(caller('support').ledger.entries({ customerId: randomUUID(), cursor: 'abc' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(caller('support').disputes.list({ cursor: 'bm9wZQ' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
