// Property: any sequence of grants, draws, reversals, expiries, freezes, releases, clawbacks and
// restores keeps the ledger's invariants, and matches a plain in-memory model of what each step
// should do (including the exact draw-down allocations and which steps must be refused).
//   - no lot below 0 or above its grant
//   - customer.balance == sum(entries) == sum(lot.remaining) (verifyLedger)
//   - replaying any earlier step (same idempotency key) writes nothing and returns the same entry
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { ensureCustomer } from '../customers/ensure-customer.ts';
import { clawbackLot } from './clawback-lot.ts';
import { consumeCredits } from './consume-credits.ts';
import { compareDrawOrder } from './draw-order.ts';
import { expireLot } from './expire-lots.ts';
import { freezeLot, releaseLot } from './freeze-lot.ts';
import { grantCredits } from './grant-credits.ts';
import { restoreCredits } from './restore-credits.ts';
import { reverseEntry } from './reverse-entry.ts';
import { verifyLedger } from './verify-ledger.ts';

const actor: Actor = { type: 'system', id: 'system' };
const DAY = 86_400_000;
let db: TestDatabase;
let run = 0;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

type Step =
  | { kind: 'grant'; credits: number; expiresInDays: number | null; paid: boolean }
  | { kind: 'consume'; credits: number }
  | { kind: 'reverse'; pick: number }
  | { kind: 'advance'; days: number }
  | { kind: 'expire' }
  | { kind: 'freeze' | 'release'; pick: number }
  | { kind: 'clawback'; pick: number; credits: number; cap: boolean }
  | { kind: 'restore'; pick: number; credits: number }
  | { kind: 'replay'; pick: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('grant' as const),
      credits: fc.integer({ min: 1, max: 300 }),
      expiresInDays: fc.option(fc.integer({ min: -2, max: 20 }), { nil: null }),
      paid: fc.boolean(),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('consume' as const), credits: fc.integer({ min: 1, max: 250 }) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), days: fc.integer({ min: 1, max: 10 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('expire' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('freeze' as const, 'release' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('clawback' as const),
      pick: fc.nat(),
      credits: fc.integer({ min: 1, max: 200 }),
      cap: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('restore' as const),
      pick: fc.nat(),
      credits: fc.integer({ min: 1, max: 100 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('replay' as const), pick: fc.nat() }) },
);

interface ModelLot {
  id: string;
  granted: number;
  remaining: number;
  expiresAt: Date | null;
  frozen: boolean;
  costBasis: 'paid' | 'free';
  createdAt: Date;
}

/** Re-runs an earlier successful call with the same key; returns the entry id it answered with. */
type Replayable = { run: () => Promise<{ id: bigint; replayed: boolean }>; entryId: bigint };

async function outcome<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; code: string }> {
  try {
    return { ok: true, value: await promise };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, code: err.code };
    throw err;
  }
}

async function check(customerId: string, lots: ModelLot[], balance: number) {
  expect(await verifyLedger(db.prisma, customerId)).toEqual([]);
  const customer = await db.prisma.customer.findUniqueOrThrow({ where: { id: customerId } });
  expect(customer.balance).toBe(balance);
  const rows = await db.prisma.creditLot.findMany({ where: { customerId } });
  for (const lot of lots) {
    const row = rows.find((r) => r.id === lot.id);
    expect(row).toMatchObject({ remaining: lot.remaining, frozen: lot.frozen });
  }
}

async function runSequence(steps: Step[]) {
  run += 1;
  const customer = await ensureCustomer(db.prisma, { externalId: `prop-${run}`, email: `p${run}@example.com` });
  const base = Date.now();
  let clock = base;
  const lots: ModelLot[] = [];
  const draws: Array<{ entryId: bigint; allocations: Array<{ lotId: string; credits: number }>; reversed: boolean }> =
    [];
  const done: Replayable[] = [];
  let balance = 0;
  let n = 0;
  const key = (what: string) => `p${run}:${what}:${++n}`;
  const lotAt = (pick: number) => lots[pick % lots.length];

  for (const s of steps) {
    const now = new Date(clock);
    switch (s.kind) {
      case 'grant': {
        const k = key('grant');
        const expiresAt = s.expiresInDays === null ? null : new Date(base + s.expiresInDays * DAY);
        const input = {
          customerId: customer.id,
          credits: s.credits,
          type: s.paid ? ('purchase' as const) : ('grant' as const),
          source: s.paid ? ('pack_purchase' as const) : ('promo' as const),
          costBasis: s.paid ? ('paid' as const) : ('free' as const),
          ...(s.paid ? { amountPaid: s.credits * 2, currency: 'eur' } : {}),
          expiresAt,
          idempotencyKey: k,
          reason: 'grant',
          actor,
        };
        const r = await grantCredits(db.prisma, input);
        lots.push({
          id: r.lot.id,
          granted: s.credits,
          remaining: s.credits,
          expiresAt,
          frozen: false,
          costBasis: input.costBasis,
          createdAt: r.lot.createdAt,
        });
        balance += s.credits;
        done.push({
          entryId: r.entry.id,
          run: async () => ((x) => ({ id: x.entry.id, replayed: x.replayed }))(await grantCredits(db.prisma, input)),
        });
        break;
      }
      case 'consume': {
        const input = {
          customerId: customer.id,
          credits: s.credits,
          idempotencyKey: key('use'),
          reason: 'use',
          actor,
          now,
        };
        const spendable = lots
          .filter((l) => l.remaining > 0 && !l.frozen && (!l.expiresAt || l.expiresAt > now))
          .sort(compareDrawOrder);
        const available = spendable.reduce((sum, l) => sum + l.remaining, 0);
        const r = await outcome(consumeCredits(db.prisma, input));
        if (available < s.credits) {
          expect(r).toEqual({ ok: false, code: 'INSUFFICIENT_CREDITS' });
          break;
        }
        if (!r.ok) throw new Error(`consume refused: ${r.code}`);
        let need = s.credits;
        const expected: Array<{ lotId: string; credits: number }> = [];
        for (const lot of spendable) {
          if (need === 0) break;
          const take = Math.min(lot.remaining, need);
          lot.remaining -= take;
          need -= take;
          expected.push({ lotId: lot.id, credits: -take });
        }
        expect(r.value.allocations.map((a) => ({ lotId: a.lotId, credits: a.credits }))).toEqual(expected);
        balance -= s.credits;
        draws.push({ entryId: r.value.entry.id, allocations: expected, reversed: false });
        done.push({
          entryId: r.value.entry.id,
          run: async () => ((x) => ({ id: x.entry.id, replayed: x.replayed }))(await consumeCredits(db.prisma, input)),
        });
        break;
      }
      case 'reverse': {
        if (draws.length === 0) break;
        const draw = draws[s.pick % draws.length]!;
        const r = await outcome(reverseEntry(db.prisma, { entryId: draw.entryId, reason: 'reverse', actor }));
        if (draw.reversed) {
          expect(r.ok && r.value.replayed).toBe(true);
          break;
        }
        const overflows = draw.allocations.some((a) => {
          const lot = lots.find((l) => l.id === a.lotId)!;
          return lot.remaining - a.credits > lot.granted;
        });
        if (overflows) {
          expect(r).toEqual({ ok: false, code: 'UNPROCESSABLE' });
          break;
        }
        if (!r.ok) throw new Error(`reverse refused: ${r.code}`);
        for (const a of draw.allocations) lots.find((l) => l.id === a.lotId)!.remaining -= a.credits;
        balance -= draw.allocations.reduce((sum, a) => sum + a.credits, 0);
        draw.reversed = true;
        break;
      }
      case 'advance':
        clock += s.days * DAY;
        break;
      case 'expire': {
        for (const lot of lots) {
          const due = lot.expiresAt !== null && lot.expiresAt <= now && !lot.frozen && lot.remaining > 0;
          const r = await expireLot(db.prisma, { lotId: lot.id, now });
          expect(r !== null && !r.replayed).toBe(due);
          if (due) {
            balance -= lot.remaining;
            lot.remaining = 0;
          }
        }
        break;
      }
      case 'freeze':
      case 'release': {
        const lot = lotAt(s.pick);
        if (!lot) break;
        const input = { lotId: lot.id, idempotencyKey: key(s.kind), reason: s.kind, actor };
        const r = await outcome(s.kind === 'freeze' ? freezeLot(db.prisma, input) : releaseLot(db.prisma, input));
        if (lot.frozen === (s.kind === 'freeze')) {
          expect(r).toEqual({ ok: false, code: 'CONFLICT' });
          break;
        }
        expect(r.ok && r.value.entry.credits).toBe(0);
        lot.frozen = s.kind === 'freeze';
        break;
      }
      case 'clawback': {
        const lot = lotAt(s.pick);
        if (!lot) break;
        const input = {
          lotId: lot.id,
          credits: s.credits,
          type: 'refund_clawback' as const,
          idempotencyKey: key('claw'),
          reason: 'claw',
          actor,
          upToRemaining: s.cap,
        };
        const r = await outcome(clawbackLot(db.prisma, input));
        const take = s.cap ? Math.min(s.credits, lot.remaining) : s.credits;
        if (!s.cap && s.credits > lot.remaining) {
          expect(r).toEqual({ ok: false, code: 'UNPROCESSABLE' });
          break;
        }
        if (take === 0) {
          expect(r).toEqual({ ok: true, value: null });
          break;
        }
        expect(r.ok && r.value?.entry.credits).toBe(-take);
        lot.remaining -= take;
        balance -= take;
        break;
      }
      case 'restore': {
        const lot = lotAt(s.pick);
        if (!lot) break;
        const input = {
          lotId: lot.id,
          credits: s.credits,
          type: 'refund_restore' as const,
          idempotencyKey: key('restore'),
          reason: 'restore',
          actor,
        };
        const r = await outcome(restoreCredits(db.prisma, input));
        if (lot.remaining + s.credits > lot.granted) {
          expect(r).toEqual({ ok: false, code: 'UNPROCESSABLE' });
          break;
        }
        expect(r.ok && r.value.lot.remaining).toBe(lot.remaining + s.credits);
        lot.remaining += s.credits;
        balance += s.credits;
        done.push({
          entryId: (r as { ok: true; value: { entry: { id: bigint } } }).value.entry.id,
          run: async () => ((x) => ({ id: x.entry.id, replayed: x.replayed }))(await restoreCredits(db.prisma, input)),
        });
        break;
      }
      case 'replay': {
        const earlier = done[s.pick % Math.max(1, done.length)];
        if (!earlier) break;
        const r = await earlier.run();
        expect(r).toEqual({ id: earlier.entryId, replayed: true });
        break;
      }
    }
    await check(customer.id, lots, balance);
  }
  // Every step that posted, replayed at the end: nothing changes.
  const entries = await db.prisma.ledgerEntry.count({ where: { customerId: customer.id } });
  for (const earlier of done) expect((await earlier.run()).replayed).toBe(true);
  expect(await db.prisma.ledgerEntry.count({ where: { customerId: customer.id } })).toBe(entries);
  await check(customer.id, lots, balance);
}

describe('ledger invariants under random sequences (fast-check, real PostgreSQL)', () => {
  it('keeps every invariant and matches the model', async () => {
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), runSequence), { numRuns: 60 });
  }, 240_000);
});
