// The support procedures through the router, as the web calls them: manual grant role and
// threshold rules, idempotency and audit; notes; the read-only audit log and who may read it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestContext } from '../../../test/deps.ts';
import { grant, makeCustomer } from '../../modules/support/testing/history-builder.ts';
import { createContextInner } from '../context.ts';
import { createCallerFactory } from '../init.ts';
import { appRouter } from '../router.ts';

type Role = 'support' | 'finance' | 'admin';
let t: TestContext;
const caller = (role: Role) =>
  createCallerFactory(appRouter)(
    createContextInner(t.deps, { id: `u-${role}`, email: `${role}@x.io`, name: role, role }, '10.1.1.1'),
  );

beforeAll(async () => {
  t = await createTestDeps();
});
afterAll(() => t?.db.drop());

describe('support.manualGrant', () => {
  it('lets support grant up to the threshold, audited with the reason, once per request id', async () => {
    const c = await makeCustomer(t.deps.prisma);
    const requestId = randomUUID();
    const input = {
      customerId: c.id,
      credits: 1000,
      kind: 'grant' as const,
      reason: 'Goodwill for ticket 42',
      requestId,
    };
    const first = await caller('support').support.manualGrant(input);
    expect(first).toMatchObject({ credits: 1000, balanceAfter: 1000, replayed: false });
    const again = await caller('support').support.manualGrant(input);
    expect(again).toMatchObject({ entryId: first.entryId, replayed: true });
    expect((await t.deps.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).balance).toBe(1000);
    const audits = await t.deps.prisma.auditLog.findMany({ where: { customerId: c.id, action: 'ledger.grant' } });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actorId: 'u-support',
      actorRole: 'support',
      reason: 'Goodwill for ticket 42',
      ip: '10.1.1.1',
    });
  });

  it('refuses support above the threshold (either direction) and lets finance and admin do it', async () => {
    const c = await makeCustomer(t.deps.prisma);
    await grant(t.deps.prisma, c.id, 5000);
    const big = { customerId: c.id, credits: 1001, reason: 'Large correction', requestId: randomUUID() };
    await expect(caller('support').support.manualGrant(big)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('Support can grant or adjust at most 1000 credits per customer in 24 hours'),
    });
    await expect(
      caller('support').support.manualGrant({ ...big, credits: -1001, requestId: randomUUID() }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await t.deps.prisma.ledgerEntry.count({ where: { customerId: c.id, type: 'manual_adjustment' } })).toBe(0);

    expect(await caller('finance').support.manualGrant(big)).toMatchObject({ credits: 1001, balanceAfter: 6001 });
    expect(
      await caller('admin').support.manualGrant({ ...big, credits: -2001, requestId: randomUUID() }),
    ).toMatchObject({ credits: -2001, balanceAfter: 4000 });
  });

  it('follows the catalog rule when it changes', async () => {
    await t.deps.prisma.catalogRules.upsert({
      where: { id: 1 },
      create: { manualGrantFinanceAbove: 50 },
      update: { manualGrantFinanceAbove: 50 },
    });
    const c = await makeCustomer(t.deps.prisma);
    await expect(
      caller('support').support.manualGrant({
        customerId: c.id,
        credits: 51,
        reason: 'Goodwill',
        requestId: randomUUID(),
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await t.deps.prisma.catalogRules.update({ where: { id: 1 }, data: { manualGrantFinanceAbove: 1000 } });
  });

  it('counts what one support member granted the customer over the window, not each request (issue 14.4)', async () => {
    const c = await makeCustomer(t.deps.prisma);
    const grantOf = (credits: number, who: Role = 'support') =>
      caller(who).support.manualGrant({
        customerId: c.id,
        credits,
        reason: 'Goodwill, ticket 9',
        requestId: randomUUID(),
      });
    // Five grants of 300 where one of 1,500 is refused: the fourth passes the 1,000 limit.
    for (let i = 0; i < 3; i++) await grantOf(300);
    await expect(grantOf(300)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('you already moved 900 for this customer'),
    });
    await expect(grantOf(-101)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await grantOf(100)).toMatchObject({ balanceAfter: 1000 });
    // Finance is not limited, and its grants do not use up support's allowance.
    expect(await grantOf(5000, 'finance')).toMatchObject({ balanceAfter: 6000 });
    await expect(grantOf(1)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // A window of 0 hours leaves the earlier grants out of the count.
    await t.deps.prisma.catalogRules.upsert({
      where: { id: 1 },
      create: { manualGrantWindowHours: 0 },
      update: { manualGrantWindowHours: 0 },
    });
    try {
      expect(await grantOf(1000)).toMatchObject({ balanceAfter: 7000 });
    } finally {
      await t.deps.prisma.catalogRules.update({ where: { id: 1 }, data: { manualGrantWindowHours: 24 } });
    }
  });

  it('concurrent grants by one support member never pass the limit together', async () => {
    const c = await makeCustomer(t.deps.prisma);
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () =>
        caller('support').support.manualGrant({
          customerId: c.id,
          credits: 300,
          reason: 'Goodwill, ticket 10',
          requestId: randomUUID(),
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) {
      expect(r.reason).toMatchObject({ code: 'FORBIDDEN' });
    }
    expect((await t.deps.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).balance).toBe(900);
  });

  it('requires a reason and a whole, non-zero number of credits', async () => {
    const c = await makeCustomer(t.deps.prisma);
    const base = { customerId: c.id, requestId: randomUUID() };
    await expect(caller('support').support.manualGrant({ ...base, credits: 10, reason: ' ' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(
      caller('support').support.manualGrant({ ...base, credits: 0, reason: 'Goodwill' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      caller('support').support.manualGrant({ ...base, credits: 1.5, reason: 'Goodwill' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('says so when an adjustment would take more than the customer has', async () => {
    const c = await makeCustomer(t.deps.prisma);
    await expect(
      caller('support').support.manualGrant({
        customerId: c.id,
        credits: -10,
        reason: 'Correction',
        requestId: randomUUID(),
      }),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
  });
});

describe('support.addNote and audit.list', () => {
  it('adds a note, audits it, and shows it in the timeline and the audit log', async () => {
    const c = await makeCustomer(t.deps.prisma);
    const note = await caller('support').support.addNote({ customerId: c.id, body: 'Customer called about credits' });
    const timeline = await caller('support').support.timeline({ customerId: c.id });
    expect(timeline.items.map((i) => i.kind).sort()).toEqual(['audit', 'note']);
    const log = await caller('finance').audit.list({ customerId: c.id });
    expect(log.items).toEqual([
      expect.objectContaining({
        action: 'customer.note_add',
        targetId: note.id,
        actorEmail: 'support@x.io',
        customer: expect.objectContaining({ id: c.id }),
      }),
    ]);
  });

  it('filters and pages the audit log', async () => {
    const c = await makeCustomer(t.deps.prisma);
    for (let i = 0; i < 5; i++) await caller('admin').support.addNote({ customerId: c.id, body: `note ${i}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const page = await caller('admin').audit.list({
        customerId: c.id,
        action: 'customer.',
        actor: 'admin@x.io',
        limit: 2,
        cursor,
      });
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect((await caller('admin').audit.list({ customerId: c.id, actor: 'support@x.io' })).items).toEqual([]);
  });

  it('keeps the audit log from support (finance and admin read it)', async () => {
    await expect(caller('support').audit.list({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('support.search, overview and verdict', () => {
  it('answers for a customer found by email', async () => {
    const c = await makeCustomer(t.deps.prisma, { email: 'found@example.test' });
    await grant(t.deps.prisma, c.id, 10);
    const found = await caller('support').support.search({ q: 'found@example.test' });
    expect(found.items[0]?.customer.id).toBe(c.id);
    const overview = await caller('support').support.overview({ customerId: c.id });
    expect(overview.header).toMatchObject({ state: 'active', balance: 10, available: 10 });
    const verdict = await caller('support').support.verdict({ customerId: c.id });
    expect(verdict.status).toBe('ok');
    expect(verdict.stripe.checked).toBe(false);
  });
});
