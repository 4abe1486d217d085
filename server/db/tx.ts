// The transaction client handed to domain functions. The outermost caller owns the transaction
// (`prisma.$transaction(async (tx) => ...)`); functions accept `Tx | Db` so a caller that needs no
// wider transaction can pass the client itself.
import type { Prisma } from '../generated/prisma/client.ts';
import type { Db } from './client.ts';

export type Tx = Prisma.TransactionClient;
export type DbOrTx = Tx | Db;

/** Generous limits: under contention a transaction may queue for a pooled connection and a row lock. */
export const TX_OPTIONS = { maxWait: 10_000, timeout: 20_000 } as const;
/**
 * The Stripe event pipeline's transactions (apply an event, dry-run a batch): an event's effect
 * may touch many rows under several locks, and a retry job must not give up on a busy database.
 */
export const PIPELINE_TX_OPTIONS = { maxWait: 15_000, timeout: 30_000 } as const;

function isRootClient(db: DbOrTx): db is Db {
  // Prisma 7 transaction clients also have $transaction (a nested transaction on a savepoint), and
  // a nested one left the client unable to start the next transaction ("A start cannot be executed
  // on a committed transaction"). Only the root client can connect: that tells them apart.
  return typeof (db as Partial<Db>).$connect === 'function';
}

/**
 * Runs `fn` atomically: inside the caller's transaction when given one, otherwise in a new one.
 * Lets a module that writes several rows stay atomic without forcing every caller to open a
 * transaction first.
 */
export async function inTransaction<T>(db: DbOrTx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return isRootClient(db) ? db.$transaction(fn, TX_OPTIONS) : fn(db);
}
