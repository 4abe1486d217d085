// Uses of one customer that arrive while its previous statement is in flight go together in its
// next statement (usage-draws.ts). Each keeps its own outcome: charged once, replayed under its
// key, 402 when the credits ran out, 409 for a key used by another request; never an overdraft.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { PROJECT_ROOT } from '../../db/migrator.ts';
import { SYSTEM_ACTOR, type Actor } from '../../lib/actor.ts';
import { isAppError } from '../../lib/app-error.ts';
import { KeyedBatcher } from '../../lib/keyed-batcher.ts';
import { loadCatalogSnapshot } from '../catalog/catalog-snapshot.ts';
import { importCatalog } from '../catalog/import-catalog.ts';
import { ensureCustomer } from '../customers/ensure-customer.ts';
import { grantCredits } from './grant-credits.ts';
import { recordUsage } from './record-usage.ts';
import { verifyLedger } from './verify-ledger.ts';

const actor: Actor = { type: 'service', id: 'batch-test' };
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  const catalog: unknown = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'prisma/catalog.default.json'), 'utf8'));
  await importCatalog(db.prisma, catalog, SYSTEM_ACTOR);
});
afterAll(() => db?.drop());

async function funded(externalId: string, credits: number) {
  const c = await ensureCustomer(db.prisma, { externalId, email: `${externalId}@example.com` });
  await grantCredits(db.prisma, {
    customerId: c.id,
    credits,
    type: 'grant',
    source: 'promo',
    costBasis: 'free',
    idempotencyKey: `grant-${externalId}`,
    reason: 'test grant',
    actor: SYSTEM_ACTOR,
  });
  return c;
}

const outcome = (p: Promise<{ usageId: string; replayed: boolean }>) =>
  p.then(
    (r) => ({ ok: true as const, usageId: r.usageId, replayed: r.replayed }),
    (err: unknown) => ({ ok: false as const, code: isAppError(err) ? err.code : String(err) }),
  );

describe('KeyedBatcher', () => {
  it('runs the first item alone, then what waited for the same key as one batch; other keys do not wait', async () => {
    const batches: string[][] = [];
    const batcher = new KeyedBatcher<string, string>(async (items) => {
      batches.push(items);
      await new Promise((r) => setTimeout(r, 20));
      return items.map((i) => (i === 'bad' ? { ok: false, error: new Error('bad') } : { ok: true, value: i + '!' }));
    });
    const answers = await Promise.allSettled(
      ['a1', 'a2', 'bad', 'a3', 'b1'].map((item) => batcher.submit(item.startsWith('b1') ? 'b' : 'a', item)),
    );
    expect(batches).toEqual([['a1'], ['b1'], ['a2', 'bad', 'a3']]);
    expect(answers.map((a) => (a.status === 'fulfilled' ? a.value : (a.reason as Error).message))).toEqual([
      'a1!',
      'a2!',
      'bad',
      'a3!',
      'b1!',
    ]);
  });
});

describe.runIf(!!process.env.TEST_DATABASE_URL)('concurrent uses of one customer (real PostgreSQL)', () => {
  it('charges each use once up to the balance, replays a repeated key, refuses the rest with 402 or 409', async () => {
    const snapshot = await loadCatalogSnapshot(db.prisma);
    const catalog = () => Promise.resolve(snapshot);
    const other = await funded('batch-other', 10);
    await recordUsage(
      db.prisma,
      { externalId: 'batch-other', feature: 'chat', idempotencyKey: 'taken', actor },
      catalog,
    );
    const c = await funded('batch-hot', 25);

    const use = (idempotencyKey: string, credits = 1) =>
      outcome(
        recordUsage(db.prisma, { externalId: 'batch-hot', feature: 'chat', idempotencyKey, credits, actor }, catalog),
      );
    // The first request runs alone at once, so the repeated key is charged before the balance runs out.
    const repeated = Array.from({ length: 4 }, () => use('again'));
    const distinct = Array.from({ length: 30 }, (_, i) => use(`use-${i}`));
    const [again, results, taken] = await Promise.all([Promise.all(repeated), Promise.all(distinct), use('taken')]);
    const conflicting = await use('again', 2);

    // The same key with the same payload: one charge, replayed; with another payload: 409.
    expect(conflicting).toEqual({ ok: false, code: 'CONFLICT' });
    expect(taken).toEqual({ ok: false, code: 'CONFLICT' });
    expect(again.every((a) => a.ok)).toBe(true);
    expect(new Set(again.map((a) => a.ok && a.usageId)).size).toBe(1);
    expect(again.filter((a) => a.ok && a.replayed)).toHaveLength(3);
    const charged = [...results, ...again.slice(0, 1)].filter((r) => r.ok);
    expect(charged).toHaveLength(25);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.code === 'INSUFFICIENT_CREDITS')).toBe(true);

    const customer = await db.prisma.customer.findUniqueOrThrow({ where: { id: c.id } });
    expect(customer.balance).toBe(0);
    expect(await db.prisma.usage.count({ where: { customerId: c.id } })).toBe(25);
    expect(await db.prisma.usage.count({ where: { customerId: other.id } })).toBe(1);
    expect(await verifyLedger(db.prisma)).toEqual([]);
  });

  it('many customers at once: each charged up to its own balance', async () => {
    const snapshot = await loadCatalogSnapshot(db.prisma);
    const catalog = () => Promise.resolve(snapshot);
    const ids = Array.from({ length: 20 }, (_, i) => `batch-many-${i}`);
    const customers = await Promise.all(ids.map((id) => funded(id, 3)));
    const uses = Array.from({ length: 5 }, (_, round) =>
      [...ids]
        .reverse()
        .map((externalId) =>
          outcome(
            recordUsage(
              db.prisma,
              { externalId, feature: 'chat', idempotencyKey: `${externalId}-${round}`, credits: 1, actor },
              catalog,
            ),
          ).then((r) => ({ externalId, ...r })),
        ),
    ).flat();
    const results = await Promise.all(uses);
    for (const id of ids) {
      const mine = results.filter((r) => r.externalId === id);
      expect(mine.filter((r) => r.ok)).toHaveLength(3);
      expect(mine.filter((r) => !r.ok && r.code === 'INSUFFICIENT_CREDITS')).toHaveLength(2);
    }
    const balances = await db.prisma.customer.findMany({ where: { id: { in: customers.map((c) => c.id) } } });
    expect(balances.every((c) => c.balance === 0)).toBe(true);
    expect(await db.prisma.usage.count({ where: { customerId: { in: customers.map((c) => c.id) } } })).toBe(60);
    expect(await verifyLedger(db.prisma)).toEqual([]);
  });
});
