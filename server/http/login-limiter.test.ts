// The failed-login limiter on real PostgreSQL: its window semantics, shared by several server
// processes (two limiter instances on one database), race-safe under concurrent guesses, pruned.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { LoginLimiter } from './login-limiter.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

// A clock in the future, so the once-a-minute prune (which uses the real clock) never interferes.
const t0 = Date.now() + 3_600_000;
const at = (ms: number) => new Date(t0 + ms);

async function fail(limiter: LoginLimiter, ip: string, email: string, ms: number) {
  const attempt = await limiter.begin(ip, email, at(ms));
  expect(attempt.refused).toBe(false);
}

describe('LoginLimiter (PostgreSQL)', () => {
  it('blocks after the maximum failures and frees the caller when the window passes', async () => {
    const limiter = new LoginLimiter(db.prisma, 3, 60);
    for (let i = 0; i < 3; i++) await fail(limiter, '1.1.1.1', 'A@x.io', i);
    expect(await limiter.begin('1.1.1.1', 'a@x.io', at(1000))).toEqual({ refused: true, retryAfterSeconds: 59 });
    // Another account from the same address is not locked yet (the per-IP limit is 4×).
    expect((await limiter.begin('1.1.1.1', 'b@x.io', at(1000))).refused).toBe(false);
    expect((await limiter.begin('1.1.1.1', 'a@x.io', at(60_001))).refused).toBe(false);
  });

  it('does not count successful sign-ins', async () => {
    const limiter = new LoginLimiter(db.prisma, 2, 60);
    for (let i = 0; i < 10; i++) {
      const attempt = await limiter.begin('2.2.2.2', 'ok@x.io', at(i));
      if (attempt.refused) throw new Error('refused a successful caller');
      await limiter.succeeded(attempt.ticket);
    }
    await fail(limiter, '2.2.2.2', 'ok@x.io', 20);
    await fail(limiter, '2.2.2.2', 'ok@x.io', 21);
    expect((await limiter.begin('2.2.2.2', 'ok@x.io', at(22))).refused).toBe(true);
  });

  it('limits per IP at four times the per-account limit', async () => {
    const limiter = new LoginLimiter(db.prisma, 2, 60);
    for (let i = 0; i < 8; i++) await fail(limiter, '3.3.3.3', `user${i % 4}@x.io`, i);
    expect((await limiter.begin('3.3.3.3', 'fresh@x.io', at(10))).refused).toBe(true);
    expect((await limiter.begin('3.3.3.4', 'fresh@x.io', at(10))).refused).toBe(false);
  });

  it('is shared by two server processes on one database', async () => {
    const a = new LoginLimiter(db.prisma, 4, 60);
    const b = new LoginLimiter(db.prisma, 4, 60);
    await fail(a, '4.4.4.4', 'shared@x.io', 0);
    await fail(b, '4.4.4.4', 'shared@x.io', 1);
    await fail(a, '4.4.4.4', 'shared@x.io', 2);
    await fail(b, '4.4.4.4', 'shared@x.io', 3);
    expect((await a.begin('4.4.4.4', 'shared@x.io', at(4))).refused).toBe(true);
    expect((await b.begin('4.4.4.4', 'shared@x.io', at(4))).refused).toBe(true);
  });

  it('lets exactly the limit through when 25 guesses arrive at once', async () => {
    const limiters = [new LoginLimiter(db.prisma, 3, 60), new LoginLimiter(db.prisma, 3, 60)];
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) => limiters[i % 2]!.begin('5.5.5.5', 'race@x.io', at(100))),
    );
    expect(results.filter((r) => !r.refused)).toHaveLength(3);
  });

  it('prunes failures older than the window', async () => {
    const limiter = new LoginLimiter(db.prisma, 3, 60);
    await fail(limiter, '6.6.6.6', 'old@x.io', 500_000);
    expect(await db.prisma.loginFailure.count({ where: { at: at(500_000) } })).toBe(2); // per IP+email and per IP
    // Past the window the touched keys are pruned at once...
    await limiter.begin('6.6.6.6', 'old@x.io', at(561_000));
    expect(await db.prisma.loginFailure.count({ where: { at: at(500_000) } })).toBe(0);
    // ...and everything older than the window, by anyone, at the periodic sweep.
    await db.prisma.loginFailure.create({ data: { key: 'stale', at: new Date(Date.now() - 3_600_000) } });
    await new LoginLimiter(db.prisma, 3, 60).begin('7.7.7.7', 'x@x.io');
    expect(await db.prisma.loginFailure.count({ where: { key: 'stale' } })).toBe(0);
  });
});
