// Failed staff sign-ins are limited per (IP, email) and per IP: after LOGIN_MAX_FAILURES failures
// within LOGIN_WINDOW_SECONDS, sign-in answers 429 until the oldest failure leaves the window
// (per IP the limit is 4×: several people can share one office address). Successful sign-ins do
// not count.
//
// The counts live in PostgreSQL (login_failure), so every server process behind a load balancer
// shares them. Race-safe: an attempt is reserved (counted as a failure) under a per-key advisory
// lock BEFORE the password is checked, and handed back only when the sign-in succeeds; so N
// concurrent guesses can never all pass a check made before any of them was recorded.
// Rows older than the window are pruned as keys are touched, and globally once a minute.
import { createHash } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { TX_OPTIONS } from '../db/tx.ts';

export type LoginAttempt = { refused: true; retryAfterSeconds: number } | { refused: false; ticket: bigint[] };

const PRUNE_EVERY_MS = 60_000;

function hashKey(key: string): string {
  // Never the email itself: people type passwords into the email field.
  return createHash('sha256').update(key).digest('hex');
}

export class LoginLimiter {
  private lastPrune = 0;

  constructor(
    private readonly prisma: Db,
    private readonly maxFailures: number,
    private readonly windowSeconds: number,
  ) {}

  private keys(ip: string, email: string): Array<{ key: string; limit: number }> {
    return [
      { key: hashKey(`ip+email:${ip}:${email.trim().toLowerCase()}`), limit: this.maxFailures },
      { key: hashKey(`ip:${ip}`), limit: this.maxFailures * 4 },
    ].sort((a, b) => a.key.localeCompare(b.key)); // one lock order everywhere: no deadlocks
  }

  /** Reserves one attempt, or says how long the caller must wait. `now` is for tests (default: the database clock). */
  async begin(ip: string, email: string, now: Date | null = null): Promise<LoginAttempt> {
    const keys = this.keys(ip, email);
    const window = this.windowSeconds;
    const result = await this.prisma.$transaction(async (tx) => {
      for (const { key } of keys) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
      const at = (await tx.$queryRaw<Array<{ at: Date }>>`SELECT COALESCE(${now}::timestamptz, now()) AS at`)[0]!.at;
      const cutoff = new Date(at.getTime() - window * 1000);
      await tx.$executeRaw`DELETE FROM login_failure WHERE key = ANY(${keys.map((k) => k.key)}) AND at <= ${cutoff}`;
      const rows = await tx.$queryRaw<Array<{ key: string; n: number; oldest: Date }>>`
        SELECT key, count(*)::int AS n, min(at) AS oldest FROM login_failure
        WHERE key = ANY(${keys.map((k) => k.key)}) AND at > ${cutoff} GROUP BY key`;
      let wait = 0;
      for (const row of rows) {
        const limit = keys.find((k) => k.key === row.key)?.limit ?? this.maxFailures;
        if (row.n >= limit) {
          wait = Math.max(wait, Math.ceil((row.oldest.getTime() + window * 1000 - at.getTime()) / 1000));
        }
      }
      if (wait > 0) return { refused: true as const, retryAfterSeconds: Math.max(1, wait) };
      const ticket: bigint[] = [];
      for (const { key } of keys) {
        const [row] = await tx.$queryRaw<Array<{ id: bigint }>>`
          INSERT INTO login_failure (key, at) VALUES (${key}, ${at}) RETURNING id`;
        ticket.push(row!.id);
      }
      return { refused: false as const, ticket };
    }, TX_OPTIONS);
    await this.pruneNow();
    return result;
  }

  /** The sign-in succeeded: the reserved attempt was not a failure. */
  async succeeded(ticket: bigint[]): Promise<void> {
    await this.prisma.$executeRaw`DELETE FROM login_failure WHERE id = ANY(${ticket})`;
  }

  private async pruneNow(): Promise<void> {
    if (Date.now() - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = Date.now();
    await this.prisma.$executeRaw`
      DELETE FROM login_failure WHERE at <= now() - make_interval(secs => ${this.windowSeconds})`;
  }
}
