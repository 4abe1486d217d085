import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestContext } from '../../test/deps.ts';
import { getBalance } from '../modules/ledger/get-balance.ts';
import { verifyLedger } from '../modules/ledger/verify-ledger.ts';
import { seedDemoCatalog, seedDemoCustomers } from './demo-customers.ts';

let t: TestContext;

beforeAll(async () => {
  t = await createTestDeps();
});
afterAll(async () => {
  await t?.db.drop();
});

const counts = async () => ({
  customers: await t.deps.prisma.customer.count(),
  entries: await t.deps.prisma.ledgerEntry.count(),
  lots: await t.deps.prisma.creditLot.count(),
  usage: await t.deps.prisma.usage.count(),
  audit: await t.deps.prisma.auditLog.count(),
  events: await t.deps.prisma.entitlementEvent.count(),
});

describe('demo seed: catalog and customers', () => {
  it('seeds consistent ledgers through the modules, and a second run changes nothing', async () => {
    await seedDemoCatalog(t.deps);
    await seedDemoCustomers(t.deps);
    const first = await counts();
    expect(first.customers).toBe(4);
    expect(await t.deps.prisma.plan.count()).toBe(4);
    expect(await verifyLedger(t.deps.prisma)).toEqual([]);

    const ada = await t.deps.prisma.customer.findUniqueOrThrow({ where: { externalId: 'demo_ada' } });
    // 5000 - 6 chats - 3 images (30) - 1 video (100), the second video reversed.
    expect(ada).toMatchObject({ planKey: 'pro', balance: 5000 - 6 - 30 - 100 });
    const grace = await getBalance(
      t.deps.prisma,
      (await t.deps.prisma.customer.findUniqueOrThrow({ where: { externalId: 'demo_grace' } })).id,
    );
    expect(grace).toMatchObject({ balance: 996, available: 996 });
    const linus = await getBalance(
      t.deps.prisma,
      (await t.deps.prisma.customer.findUniqueOrThrow({ where: { externalId: 'demo_linus' } })).id,
    );
    expect(linus).toMatchObject({ balance: 10990, available: 990, frozen: 10000 });

    await seedDemoCatalog(t.deps);
    await seedDemoCustomers(t.deps);
    expect(await counts()).toEqual(first);
  });
});
