// customer.balance and credit_lot.remaining are projections of the ledger entries: the database
// refuses any change to them that does not come through ledger_post_entry (the ledger's write
// path), so no code path (or hand-written SQL) can make them disagree with the entries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import type { Actor } from '../../lib/actor.ts';
import { ensureCustomer } from '../customers/ensure-customer.ts';
import { consumeCredits } from './consume-credits.ts';
import { getBalance } from './get-balance.ts';
import { grantCredits } from './grant-credits.ts';

const actor: Actor = { type: 'system', id: 'system' };
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

async function customerWith(credits: number, id: string) {
  const c = await ensureCustomer(db.prisma, { externalId: id, email: `${id}@example.com` });
  await grantCredits(db.prisma, {
    customerId: c.id,
    credits,
    type: 'grant',
    source: 'promo',
    costBasis: 'free',
    idempotencyKey: `grant-${id}`,
    reason: 'test grant',
    actor,
  });
  return c;
}

describe('the balance projection changes only through the ledger', () => {
  it('a direct UPDATE of customer.balance fails and changes nothing', async () => {
    const c = await customerWith(50, 'guard-balance');
    await expect(
      db.prisma.$executeRawUnsafe(`UPDATE "customer" SET balance = balance + 1000 WHERE id = $1::uuid`, c.id),
    ).rejects.toThrow(/balance of customer changes only through ledger_post_entry/);
    await expect(db.prisma.customer.update({ where: { id: c.id }, data: { balance: 7 } })).rejects.toThrow(
      /ledger_post_entry/,
    );
    expect((await db.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).balance).toBe(50);
  });

  it('a direct UPDATE of credit_lot.remaining fails too', async () => {
    const c = await customerWith(20, 'guard-lot');
    await expect(
      db.prisma.$executeRawUnsafe(`UPDATE "credit_lot" SET remaining = 999 WHERE customer_id = $1::uuid`, c.id),
    ).rejects.toThrow(/remaining of credit_lot changes only through ledger_post_entry/);
  });

  it('the ledger still moves it, and the permission does not outlive its call in the transaction', async () => {
    const c = await customerWith(30, 'guard-tx');
    await expect(
      db.prisma.$transaction(async (tx) => {
        await consumeCredits(tx, {
          customerId: c.id,
          credits: 5,
          idempotencyKey: 'use-guard-tx',
          reason: 'use',
          actor,
        });
        await tx.$executeRawUnsafe(`UPDATE "customer" SET balance = 1000 WHERE id = $1::uuid`, c.id);
      }),
    ).rejects.toThrow(/ledger_post_entry/);
    expect((await getBalance(db.prisma, c.id)).balance).toBe(30);
    await consumeCredits(db.prisma, {
      customerId: c.id,
      credits: 5,
      idempotencyKey: 'use-guard-2',
      reason: 'use',
      actor,
    });
    expect((await db.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).balance).toBe(25);
  });

  it('other columns of the customer still update normally', async () => {
    const c = await customerWith(10, 'guard-other');
    await db.prisma.customer.update({ where: { id: c.id }, data: { name: 'Renamed' } });
    expect((await db.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).name).toBe('Renamed');
  });
});
