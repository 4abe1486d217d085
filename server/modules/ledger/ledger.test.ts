import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { ensureCustomer } from '../customers/ensure-customer.ts';
import { clawbackLot } from './clawback-lot.ts';
import { consumeCredits } from './consume-credits.ts';
import { expireDueLots, expireLot } from './expire-lots.ts';
import { freezeLot, releaseLot } from './freeze-lot.ts';
import { getBalance } from './get-balance.ts';
import { grantCredits, type GrantCreditsInput } from './grant-credits.ts';
import { restoreCredits } from './restore-credits.ts';
import { reverseEntry } from './reverse-entry.ts';
import { verifyLedger } from './verify-ledger.ts';

const actor: Actor = { type: 'system', id: 'system' };
let db: TestDatabase;
let seq = 0;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

async function newCustomer() {
  seq += 1;
  return ensureCustomer(db.prisma, { externalId: `user-${seq}`, email: `user-${seq}@example.com` });
}

function grant(customerId: string, credits: number, extra: Partial<GrantCreditsInput> = {}) {
  seq += 1;
  return grantCredits(db.prisma, {
    customerId,
    credits,
    type: 'grant',
    source: 'promo',
    costBasis: 'free',
    idempotencyKey: `grant-${seq}`,
    reason: 'test grant',
    actor,
    ...extra,
  });
}

function consume(customerId: string, credits: number, key = `use-${++seq}`, now?: Date) {
  return consumeCredits(db.prisma, { customerId, credits, idempotencyKey: key, reason: 'test usage', actor, now });
}

async function expectAppError(promise: Promise<unknown>, code: string) {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  return err as AppError;
}

const days = (n: number) => new Date(Date.now() + n * 86_400_000);

describe('grants and consumption', () => {
  it('grants create a lot and an entry with balanceAfter; a replay writes nothing', async () => {
    const c = await newCustomer();
    const first = await grantCredits(db.prisma, {
      customerId: c.id,
      credits: 1000,
      type: 'purchase',
      source: 'pack_purchase',
      costBasis: 'paid',
      amountPaid: 900,
      currency: 'EUR',
      stripeReference: 'cs_test_1',
      idempotencyKey: 'purchase:cs_test_1',
      reason: 'Pack of 1,000 credits',
      actor: { type: 'stripe', id: 'evt_1' },
      reference: 'cs_test_1',
      referenceType: 'checkout_session',
    });
    expect(first.replayed).toBe(false);
    expect(first.entry).toMatchObject({ type: 'purchase', credits: 1000, balanceAfter: 1000, lotId: first.lot.id });
    expect(first.lot).toMatchObject({
      granted: 1000,
      remaining: 1000,
      costBasis: 'paid',
      amountPaid: 900,
      currency: 'eur',
    });
    expect(first.entry.createdAt).toBeInstanceOf(Date);
    expect(Math.abs(first.entry.createdAt.getTime() - Date.now())).toBeLessThan(60_000);

    const again = await grantCredits(db.prisma, {
      customerId: c.id,
      credits: 1000,
      type: 'purchase',
      source: 'pack_purchase',
      costBasis: 'paid',
      amountPaid: 900,
      currency: 'eur',
      idempotencyKey: 'purchase:cs_test_1',
      reason: 'Pack of 1,000 credits',
      actor: { type: 'stripe', id: 'evt_1' },
    });
    expect(again.replayed).toBe(true);
    expect(again.entry.id).toBe(first.entry.id);
    expect(again.lot.id).toBe(first.lot.id);
    expect(await db.prisma.creditLot.count({ where: { customerId: c.id } })).toBe(1);
    expect((await db.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).balance).toBe(1000);
  });

  it('refuses a key reused with another amount or customer', async () => {
    const a = await newCustomer();
    const b = await newCustomer();
    await grant(a.id, 10, { idempotencyKey: 'shared-key' });
    await expectAppError(grant(a.id, 11, { idempotencyKey: 'shared-key' }), 'CONFLICT');
    await expectAppError(grant(b.id, 10, { idempotencyKey: 'shared-key' }), 'CONFLICT');
    await expectAppError(consume(a.id, 10, 'shared-key'), 'CONFLICT');
  });

  it('draws soonest expiry first, then free before paid, then oldest, and says so per entry', async () => {
    const c = await newCustomer();
    const soon = days(10);
    const paidNever = await grant(c.id, 100, {
      type: 'purchase',
      source: 'pack_purchase',
      costBasis: 'paid',
      amountPaid: 500,
      currency: 'eur',
    });
    const freeNever = await grant(c.id, 100);
    const paidSoon = await grant(c.id, 100, {
      type: 'purchase',
      source: 'pack_purchase',
      costBasis: 'paid',
      amountPaid: 500,
      currency: 'eur',
      expiresAt: soon,
    });
    const freeSoon = await grant(c.id, 100, { expiresAt: soon });
    const freeSooner = await grant(c.id, 50, { expiresAt: days(5) });
    const frozen = await grant(c.id, 1000, { expiresAt: days(1) });
    await freezeLot(db.prisma, { lotId: frozen.lot.id, idempotencyKey: `freeze-${seq}`, reason: 'dispute', actor });
    const expired = await grant(c.id, 1000, { expiresAt: days(-1) });

    const balance = await getBalance(db.prisma, c.id);
    expect(balance.balance).toBe(2450);
    expect(balance.available).toBe(450);
    expect(balance.frozen).toBe(1000);
    expect(balance.expiredPending).toBe(1000);
    const order = [freeSooner, freeSoon, paidSoon, freeNever, paidNever].map((g) => g.lot.id);
    expect(balance.lots.filter((l) => l.drawPosition !== null).map((l) => l.id)).toEqual(order);
    expect(balance.lots.find((l) => l.id === expired.lot.id)?.drawPosition).toBeNull();

    const used = await consume(c.id, 420);
    expect(used.entry).toMatchObject({ credits: -420, balanceAfter: 2030, type: 'usage' });
    expect(used.allocations.map((a) => [a.lotId, a.credits, a.position])).toEqual([
      [freeSooner.lot.id, -50, 0],
      [freeSoon.lot.id, -100, 1],
      [paidSoon.lot.id, -100, 2],
      [freeNever.lot.id, -100, 3],
      [paidNever.lot.id, -70, 4],
    ]);
    const err = await expectAppError(consume(c.id, 31), 'INSUFFICIENT_CREDITS');
    expect(err.details).toMatchObject({ required: 31, available: 30 });
    expect(await verifyLedger(db.prisma, c.id)).toEqual([]);
  });

  it('validates amounts and text before touching the database', async () => {
    const c = await newCustomer();
    await expectAppError(consume(c.id, 0), 'VALIDATION');
    await expectAppError(consume(c.id, 1.5), 'VALIDATION');
    await expectAppError(grant(c.id, -5), 'VALIDATION');
    await expectAppError(grant(c.id, 5, { reason: ' ' }), 'VALIDATION');
    await expectAppError(grant(c.id, 5, { costBasis: 'paid' }), 'VALIDATION');
    await expectAppError(consume('00000000-0000-4000-8000-000000000000', 1), 'NOT_FOUND');
  });
});

describe('lot operations', () => {
  it('claws back at most what remains and restores at most up to granted', async () => {
    const c = await newCustomer();
    const { lot } = await grant(c.id, 100);
    await consume(c.id, 30);
    await expectAppError(
      clawbackLot(db.prisma, {
        lotId: lot.id,
        credits: 71,
        type: 'refund_clawback',
        idempotencyKey: 'cb-too-much',
        reason: 'refund',
        actor,
      }),
      'UNPROCESSABLE',
    );
    const cb = await clawbackLot(db.prisma, {
      lotId: lot.id,
      credits: 50,
      type: 'refund_clawback',
      idempotencyKey: 'cb-1',
      reason: 'refund',
      actor,
      reference: 're_1',
    });
    expect(cb.lot.remaining).toBe(20);
    expect(cb.entry).toMatchObject({ credits: -50, balanceAfter: 20, lotId: lot.id, reference: 're_1' });
    const capped = await clawbackLot(db.prisma, {
      lotId: lot.id,
      credits: 500,
      type: 'dispute_clawback',
      idempotencyKey: 'cb-2',
      reason: 'lost',
      actor,
      upToRemaining: true,
    });
    expect(capped?.entry.credits).toBe(-20);
    const nothing = await clawbackLot(db.prisma, {
      lotId: lot.id,
      credits: 5,
      type: 'dispute_clawback',
      idempotencyKey: 'cb-3',
      reason: 'lost',
      actor,
      upToRemaining: true,
    });
    expect(nothing).toBeNull();

    const restored = await restoreCredits(db.prisma, {
      lotId: lot.id,
      credits: 70,
      type: 'refund_restore',
      idempotencyKey: 'rs-1',
      reason: 'refund failed',
      actor,
    });
    expect(restored.lot.remaining).toBe(70);
    await expectAppError(
      restoreCredits(db.prisma, {
        lotId: lot.id,
        credits: 31,
        type: 'refund_restore',
        idempotencyKey: 'rs-2',
        reason: 'too much',
        actor,
      }),
      'UNPROCESSABLE',
    );
    await expectAppError(
      restoreCredits(db.prisma, {
        lotId: '00000000-0000-4000-8000-000000000000',
        credits: 1,
        type: 'reversal',
        idempotencyKey: 'rs-3',
        reason: 'x',
        actor,
      }),
      'NOT_FOUND',
    );
    expect(await verifyLedger(db.prisma, c.id)).toEqual([]);
  });

  it('freezes and releases with 0-credit entries; frozen credits stay in the balance but cannot be spent', async () => {
    const c = await newCustomer();
    const { lot } = await grant(c.id, 100);
    const frozen = await freezeLot(db.prisma, {
      lotId: lot.id,
      idempotencyKey: 'fz-1',
      reason: 'dispute dp_1',
      actor,
      reference: 'dp_1',
    });
    expect(frozen.entry).toMatchObject({ type: 'dispute_freeze', credits: 0, balanceAfter: 100 });
    expect(frozen.lot.frozen).toBe(true);
    expect(
      (await freezeLot(db.prisma, { lotId: lot.id, idempotencyKey: 'fz-1', reason: 'dispute dp_1', actor })).replayed,
    ).toBe(true);
    await expectAppError(
      freezeLot(db.prisma, { lotId: lot.id, idempotencyKey: 'fz-2', reason: 'again', actor }),
      'CONFLICT',
    );
    await expectAppError(consume(c.id, 1), 'INSUFFICIENT_CREDITS');
    const released = await releaseLot(db.prisma, {
      lotId: lot.id,
      idempotencyKey: 'rl-1',
      reason: 'dispute won',
      actor,
    });
    expect(released.entry.type).toBe('dispute_release');
    expect(released.lot.frozen).toBe(false);
    await expectAppError(
      releaseLot(db.prisma, { lotId: lot.id, idempotencyKey: 'rl-2', reason: 'again', actor }),
      'CONFLICT',
    );
    expect((await consume(c.id, 100)).entry.balanceAfter).toBe(0);
  });

  it('reverses a draw onto the lots it came from, once', async () => {
    const c = await newCustomer();
    const a = await grant(c.id, 10, { expiresAt: days(1) });
    const b = await grant(c.id, 100);
    const used = await consume(c.id, 25);
    const reversed = await reverseEntry(db.prisma, { entryId: used.entry.id, reason: 'generation failed', actor });
    expect(reversed.entry).toMatchObject({ type: 'reversal', credits: 25, balanceAfter: 110 });
    expect(reversed.allocations.map((x) => [x.lotId, x.credits])).toEqual([
      [a.lot.id, 10],
      [b.lot.id, 15],
    ]);
    const twice = await reverseEntry(db.prisma, { entryId: used.entry.id, reason: 'again', actor });
    expect(twice.replayed).toBe(true);
    expect(twice.entry.id).toBe(reversed.entry.id);
    await expectAppError(reverseEntry(db.prisma, { entryId: a.entry.id, reason: 'no', actor }), 'UNPROCESSABLE');
    await expectAppError(reverseEntry(db.prisma, { entryId: 999_999_999n, reason: 'no', actor }), 'NOT_FOUND');
    expect(await verifyLedger(db.prisma, c.id)).toEqual([]);
  });
});

describe('expiry', () => {
  it('expires what remains of due lots, skips frozen ones, and is safe to run twice', async () => {
    const c = await newCustomer();
    const due = await grant(c.id, 100, { expiresAt: days(3) });
    const frozen = await grant(c.id, 40, { expiresAt: days(3) });
    const later = await grant(c.id, 50, { expiresAt: days(30) });
    await freezeLot(db.prisma, { lotId: frozen.lot.id, idempotencyKey: `fz-exp-${seq}`, reason: 'dispute', actor });
    await consume(c.id, 30);

    const now = days(4);
    // Draws at that time already skip the expired lot.
    await expectAppError(consume(c.id, 51, undefined, now), 'INSUFFICIENT_CREDITS');

    const first = await expireDueLots(db.prisma, { now });
    expect(first.failed).toEqual([]);
    const mine = await db.prisma.ledgerEntry.findMany({ where: { customerId: c.id, type: 'expiration' } });
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ credits: -70, lotId: due.lot.id, actorType: 'system' });
    expect((await expireDueLots(db.prisma, { now })).lots).toBe(0);
    expect(await expireLot(db.prisma, { lotId: later.lot.id, now })).toBeNull();

    const balance = await getBalance(db.prisma, c.id, { now });
    expect(balance).toMatchObject({ balance: 90, available: 50, frozen: 40 });
    expect(await verifyLedger(db.prisma, c.id)).toEqual([]);
  });
});

describe('concurrency (real PostgreSQL)', () => {
  it('50 parallel consumes of 60 on a 100-credit balance: exactly one succeeds', async () => {
    const c = await newCustomer();
    await grant(c.id, 100);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => consume(c.id, 60, `race-${c.id}-${i}`)),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter(
      (r) => r.status === 'rejected' && r.reason instanceof AppError && r.reason.code === 'INSUFFICIENT_CREDITS',
    );
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(49);
    expect((await db.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).balance).toBe(40);
    expect(await verifyLedger(db.prisma, c.id)).toEqual([]);
  });

  it('the same key 20 times at once is charged once and replayed 19 times', async () => {
    const c = await newCustomer();
    await grant(c.id, 100);
    const results = await Promise.all(Array.from({ length: 20 }, () => consume(c.id, 7, `same-${c.id}`)));
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(new Set(results.map((r) => r.entry.id)).size).toBe(1);
    expect((await db.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).balance).toBe(93);
  });

  it('serialises concurrent grants, draws and clawbacks on one customer inside caller transactions', async () => {
    const c = await newCustomer();
    const { lot } = await grant(c.id, 500);
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) =>
        db.prisma.$transaction((tx) =>
          consumeCredits(tx, {
            customerId: c.id,
            credits: 20,
            idempotencyKey: `tx-use-${c.id}-${i}`,
            reason: 'x',
            actor,
          }),
        ),
      ),
      ...Array.from({ length: 5 }, (_, i) =>
        db.prisma.$transaction((tx) =>
          grantCredits(tx, {
            customerId: c.id,
            credits: 10,
            type: 'grant',
            source: 'promo',
            costBasis: 'free',
            idempotencyKey: `tx-grant-${c.id}-${i}`,
            reason: 'x',
            actor,
          }),
        ),
      ),
      clawbackLot(db.prisma, {
        lotId: lot.id,
        credits: 100,
        type: 'refund_clawback',
        idempotencyKey: `tx-cb-${c.id}`,
        reason: 'x',
        actor,
        upToRemaining: true,
      }),
    ]);
    const customer = await db.prisma.customer.findUniqueOrThrow({ where: { id: c.id } });
    expect(customer.balance).toBe(500 - 200 + 50 - 100);
    expect(await verifyLedger(db.prisma, c.id)).toEqual([]);
  });
});
