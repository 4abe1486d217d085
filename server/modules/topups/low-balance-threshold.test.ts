// The per-customer credits.low threshold on real PostgreSQL, set through the tRPC procedure as
// support: it overrides the plan's, credits.low fires once per crossing of it, and refused input
// (negative, not whole) changes nothing and audits nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestContext } from '../../../test/deps.ts';
import { SYSTEM_ACTOR } from '../../lib/actor.ts';
import { createContextInner } from '../../trpc/context.ts';
import { createCallerFactory } from '../../trpc/init.ts';
import { appRouter } from '../../trpc/router.ts';
import { ensureCustomer } from '../customers/ensure-customer.ts';
import { consumeCredits } from '../ledger/consume-credits.ts';
import { grantCredits } from '../ledger/grant-credits.ts';

let t: TestContext;
const caller = () =>
  createCallerFactory(appRouter)(
    createContextInner(t.deps, { id: 'sup-1', email: 's@x.test', name: 'Sup', role: 'support' }, '10.0.0.1'),
  );

beforeAll(async () => {
  t = await createTestDeps();
  await t.deps.prisma.plan.create({
    data: { key: 'lb-plan', name: 'LB', monthlyCredits: 0, entitlements: {}, lowBalanceThreshold: 300 },
  });
});
afterAll(async () => {
  await t?.db.drop();
});

const grant = (customerId: string, credits: number, key: string) =>
  grantCredits(t.deps.prisma, {
    customerId,
    credits,
    type: 'grant',
    source: 'promo',
    costBasis: 'free',
    idempotencyKey: key,
    reason: 'seed',
    actor: SYSTEM_ACTOR,
  });
/** A customer on the plan whose credits.low threshold is 300. */
async function onPlan(externalId: string) {
  const c = await ensureCustomer(t.deps.prisma, { externalId, email: `${externalId}@x.test` });
  await t.deps.prisma.customer.update({ where: { id: c.id }, data: { planKey: 'lb-plan' } });
  return c;
}
const use = (customerId: string, credits: number, key: string) =>
  consumeCredits(t.deps.prisma, { customerId, credits, idempotencyKey: key, reason: 'use', actor: SYSTEM_ACTOR });
const lows = (customerId: string) =>
  t.deps.prisma.outboundEvent.findMany({ where: { customerId, type: 'credits.low' }, orderBy: { createdAt: 'asc' } });

describe('per-customer credits.low threshold', () => {
  it('overrides the plan’s and fires once per crossing of it', async () => {
    const c = await onPlan('lb-own');
    await grant(c.id, 1000, 'lb-own-seed');
    expect(await caller().topups.lowBalance({ customerId: c.id })).toEqual({
      effective: 300,
      customer: null,
      plan: 300,
    });

    const saved = await caller().topups.setLowBalance({ customerId: c.id, threshold: 100, reason: 'big user' });
    expect(saved).toEqual({ effective: 100, customer: 100, plan: 300 });
    expect(
      await t.deps.prisma.auditLog.count({ where: { customerId: c.id, action: 'customer.low_balance_threshold' } }),
    ).toBe(1);

    await use(c.id, 800, 'lb-1'); // 1000 -> 200: crosses the plan's 300, not the customer's 100
    expect(await lows(c.id)).toHaveLength(0);
    await use(c.id, 150, 'lb-2'); // 200 -> 50: crosses 100
    await use(c.id, 10, 'lb-3'); // 50 -> 40: still under, no second event
    await use(c.id, 10, 'lb-3'); // replayed consume: nothing
    const first = await lows(c.id);
    expect(first).toHaveLength(1);
    expect(first[0]!.payload).toMatchObject({ threshold: 100, balanceBefore: 200, balance: 50 });

    await grant(c.id, 500, 'lb-refill'); // 540: above again
    await use(c.id, 500, 'lb-4'); // 40: a new crossing
    expect(await lows(c.id)).toHaveLength(2);

    // Back to the plan's default.
    expect(await caller().topups.setLowBalance({ customerId: c.id, threshold: null, reason: 'reset' })).toEqual({
      effective: 300,
      customer: null,
      plan: 300,
    });
  });

  it.each([-1, 2.5])('refuses %s and changes nothing', async (threshold) => {
    const c = await onPlan(`lb-bad-${threshold}`);
    await caller().topups.setLowBalance({ customerId: c.id, threshold: 50, reason: 'first' });
    await expect(caller().topups.setLowBalance({ customerId: c.id, threshold, reason: 'bad' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect((await t.deps.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).lowBalanceThreshold).toBe(50);
    expect(
      await t.deps.prisma.auditLog.count({ where: { customerId: c.id, action: 'customer.low_balance_threshold' } }),
    ).toBe(1);
  });
});
