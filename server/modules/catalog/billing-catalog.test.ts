// The event pipeline's in-memory catalog, on real PostgreSQL: lookups made with a transaction the
// snapshot is bound to answer from memory, a catalog write by another client (another process)
// reaches the snapshot within a second, and what the snapshot does not know is read from the
// database, so a price mapped a moment ago is found before its notice arrives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { PRICES, seedTestCatalog } from '../../../test/stripe/harness.ts';
import { until } from '../../../test/until.ts';
import { ChangeFeed } from '../../db/change-feed.ts';
import { createPrisma, type Db } from '../../db/client.ts';
import { resolveEntitlements } from '../entitlements/resolve-entitlements.ts';
import { billingCatalogSource, bindBillingCatalog } from './billing-catalog.ts';
import { findPriceMapping } from './find-price-mapping.ts';
import { getDefaultPlan, getPlan } from './get-plan.ts';

let db: TestDatabase;
let other: Db;
let feed: ChangeFeed;
beforeAll(async () => {
  db = await createTestDatabase();
  other = createPrisma(db.url, { max: 2 });
  await seedTestCatalog(db.prisma);
  feed = new ChangeFeed(db.url);
});
afterAll(async () => {
  await feed?.stop();
  await other?.$disconnect();
  await db?.drop();
});

describe.runIf(!!process.env.TEST_DATABASE_URL)('billing catalog in memory', () => {
  it('answers from memory, sees another process’s change within a second, reads what it does not know', async () => {
    expect(await feed.start()).toBe(true);
    const source = billingCatalogSource(db.prisma, feed);
    const before = await source();
    expect(before?.prices.get(PRICES.pro)).toEqual({ planKey: 'pro', packKey: null });

    // Bound to a transaction, lookups answer from the snapshot: a change this very transaction
    // made (uncommitted, so no notice yet) is not seen, which only memory can explain.
    await db.prisma
      .$transaction(async (tx) => {
        bindBillingCatalog(tx, before);
        await tx.catalogPrice.update({ where: { stripePriceId: PRICES.pro }, data: { planKey: 'max' } });
        expect(await findPriceMapping(tx, PRICES.pro)).toMatchObject({ kind: 'plan', plan: { key: 'pro' } });
        expect((await getDefaultPlan(tx))?.key).toBe('free');
        expect((await getPlan(tx, 'max'))?.monthlyCredits).toBe(5000);
        const customer = await tx.customer.create({ data: { externalId: 'u1', email: 'u1@example.com' } });
        expect((await resolveEntitlements(tx, customer)).plan?.key).toBe('free');
        throw new Error('roll back');
      })
      .catch((err: Error) => expect(err.message).toBe('roll back'));
    // Unbound, the same lookup reads the table.
    expect(await findPriceMapping(db.prisma, PRICES.pro)).toMatchObject({ plan: { key: 'pro' } });

    // A price mapped by another process is found at once (a miss goes to the database) ...
    await other.catalogPrice.create({ data: { stripePriceId: 'price_new_pack', packKey: 'big' } });
    await db.prisma.$transaction(async (tx) => {
      bindBillingCatalog(tx, before);
      expect(await findPriceMapping(tx, 'price_new_pack')).toMatchObject({ kind: 'pack', pack: { key: 'big' } });
    });
    // ... and a remapped one is seen in memory within a second.
    await other.catalogPrice.update({ where: { stripePriceId: PRICES.pro }, data: { planKey: 'max' } });
    const after = await until(
      async () => {
        const c = await source();
        return c?.prices.get(PRICES.pro)?.planKey === 'max' && c;
      },
      1000,
      10,
    );
    expect(after.prices.get('price_new_pack')).toEqual({ planKey: null, packKey: 'big' });
  });

  it('binds nothing while the feed is not live: every lookup reads the database', async () => {
    const stopped = new ChangeFeed(db.url);
    expect(await billingCatalogSource(db.prisma, stopped)()).toBeNull();
    expect(await billingCatalogSource(db.prisma, null)()).toBeNull();
  });
});
