// The blocks procedures by role, as the web calls them: support and admin block with a reason;
// only finance and admin unblock; every change is audited, kept in the history and shown on the
// customer page and timeline. Dispute evidence actions are refused to finance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestContext } from '../../../test/deps.ts';
import { makeCustomer } from '../../modules/support/testing/history-builder.ts';
import { createContextInner } from '../context.ts';
import { createCallerFactory } from '../init.ts';
import { appRouter } from '../router.ts';

type Role = 'support' | 'finance' | 'admin';
let t: TestContext;
const caller = (role: Role) =>
  createCallerFactory(appRouter)(
    createContextInner(t.deps, { id: `u-${role}`, email: `${role}@x.io`, name: role, role }, '10.2.2.2'),
  );

beforeAll(async () => {
  t = await createTestDeps();
  await t.deps.prisma.feature.create({ data: { key: 'chat', name: 'Chat', creditCost: 1 } });
  await t.deps.prisma.plan.create({
    data: { key: 'free', name: 'Free', isDefault: true, monthlyCredits: 0, entitlements: { chat: true } },
  });
});
afterAll(() => t?.db.drop());

describe('blocks by role', () => {
  it('support blocks with a reason but cannot unblock; finance unblocks; both are audited and kept', async () => {
    const c = await makeCustomer(t.deps.prisma, { email: 'fraudster@example.com' });
    const blocked = await caller('support').blocks.block({
      customerId: c.id,
      reason: 'Chargeback fraud ring, ticket 77',
    });
    expect(blocked.customer).toMatchObject({ status: 'blocked', blockedReason: 'Chargeback fraud ring, ticket 77' });
    expect(blocked.event).toMatchObject({ action: 'block', actorId: 'u-support', radarStatus: null });
    expect(blocked.radar).toBeNull();

    await expect(
      caller('support').blocks.block({ customerId: c.id, reason: 'Again, by mistake' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(
      caller('support').blocks.unblock({ customerId: c.id, reason: 'I think it is fine' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'This needs the finance or admin role' });
    expect((await t.deps.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).status).toBe('blocked');
    await expect(caller('finance').blocks.unblock({ customerId: c.id, reason: ' ' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });

    // The customer page and the blocks list say why, while blocked.
    const overview = await caller('support').support.overview({ customerId: c.id });
    expect(overview.header).toMatchObject({ state: 'blocked', blockedReason: 'Chargeback fraud ring, ticket 77' });
    const list = await caller('finance').blocks.listBlocked({});
    expect(list.items.map((i) => [i.customer.id, i.byRule, i.block?.reason])).toEqual([
      [c.id, false, 'Chargeback fraud ring, ticket 77'],
    ]);

    const unblocked = await caller('finance').blocks.unblock({
      customerId: c.id,
      reason: 'Identity verified by phone',
    });
    expect(unblocked.customer).toMatchObject({ status: 'active', blockedReason: null, blockedAt: null });
    await expect(
      caller('admin').blocks.unblock({ customerId: c.id, reason: 'Twice is once too many' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await caller('admin').blocks.listBlocked({})).total).toBe(0);

    const history = await caller('support').blocks.history({ customerId: c.id });
    expect(history.items.map((e) => [e.action, e.actor.kind, e.reason])).toEqual([
      ['unblock', 'staff', 'Identity verified by phone'],
      ['block', 'staff', 'Chargeback fraud ring, ticket 77'],
    ]);
    const audits = await t.deps.prisma.auditLog.findMany({
      where: { customerId: c.id, action: { in: ['customer.block', 'customer.unblock'] } },
      orderBy: { id: 'asc' },
    });
    expect(audits.map((a) => [a.action, a.actorRole, a.reason, a.ip])).toEqual([
      ['customer.block', 'support', 'Chargeback fraud ring, ticket 77', '10.2.2.2'],
      ['customer.unblock', 'finance', 'Identity verified by phone', '10.2.2.2'],
    ]);
    const kinds = await t.deps.prisma.entitlementEvent.findMany({
      where: { customerId: c.id },
      orderBy: { createdAt: 'asc' },
    });
    expect(kinds.map((k) => k.kind)).toEqual(['blocked', 'unblocked']);
    expect(kinds[0]!.after).toMatchObject({ status: 'blocked', entitlements: { chat: false } });
    expect(kinds[1]!.after).toMatchObject({ status: 'active', entitlements: { chat: true } });

    const timeline = await caller('support').support.timeline({ customerId: c.id, kinds: ['block'] });
    expect(timeline.items.map((i) => i.title)).toEqual(['Customer unblocked', 'Customer blocked']);
  });

  it('finance cannot block; admin can block and unblock', async () => {
    const c = await makeCustomer(t.deps.prisma);
    await expect(caller('finance').blocks.block({ customerId: c.id, reason: 'Finance tries' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await caller('admin').blocks.block({ customerId: c.id, reason: 'Admin blocks' });
    await caller('admin').blocks.unblock({ customerId: c.id, reason: 'Admin unblocks' });
    expect((await t.deps.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).status).toBe('active');
  });

  it('marks the Radar list sync pending when the setting is on (synced after commit when Stripe is connected)', async () => {
    await t.deps.prisma.catalogRules.upsert({
      where: { id: 1 },
      create: { radarBlockList: true },
      update: { radarBlockList: true },
    });
    const c = await makeCustomer(t.deps.prisma);
    const { event } = await caller('support').blocks.block({ customerId: c.id, reason: 'Radar on, no Stripe' });
    expect(event.radarStatus).toBe('pending');
    const un = await caller('finance').blocks.unblock({ customerId: c.id, reason: 'Radar on, no Stripe' });
    expect(un.event.radarStatus).toBe('pending');
    await t.deps.prisma.catalogRules.update({ where: { id: 1 }, data: { radarBlockList: false } });
  });

  it('evidence actions need support or admin; every staff role reads disputes', async () => {
    const input = { disputeId: 'dp_none', reason: 'Submitting evidence' };
    await expect(caller('finance').disputes.stage(input)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(caller('finance').disputes.submit(input)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(caller('support').disputes.submit(input)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await caller('finance').disputes.list({})).items).toEqual([]);
    expect((await caller('support').disputes.stats({})).winRatePercent).toBeNull();
  });
});
