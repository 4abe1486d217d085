// A statement sent in the same round trip as a Prisma interactive transaction's BEGIN, and one in
// the same round trip as its COMMIT. On this 2-core machine a round trip (a socket write on each
// side and a wake-up of the other process) costs more than a statement's own work, and BEGIN and
// COMMIT are two of the handful an event's transaction makes (the Stripe event pipeline,
// process-event.ts: the event's insert or row lock goes with BEGIN, its outcome with COMMIT).
//
// How: the pool's clients (createPrisma) are EndsClient below. While `withTransactionEnds` runs,
// the first BEGIN a client is asked for is sent as one simple query `BEGIN; <first>` and the rows
// of <first> are handed back on `ends.firstRows`; that client's COMMIT is sent as `<last>; COMMIT`
// when `ends.last` was set meanwhile. A simple query carries no parameters, so both statements are
// written with their values inlined as literals (inlineSql). A client that does not take part
// (the embedded database's, a pool not made by createPrisma) leaves `ends.claimed` false: the
// caller then sends both statements itself, inside the transaction, as it would without this.
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';

export interface TransactionEnds {
  /** Sent right after BEGIN, in the same round trip. */
  readonly first: string;
  /** Set by the transaction's body: sent right before COMMIT, in the same round trip. */
  last: string | null;
  /** true once a client sent `first` with BEGIN; its rows are then in firstRows. */
  claimed: boolean;
  firstRows: Array<Record<string, unknown>>;
  /** true once `last` went out with COMMIT. */
  lastSent: boolean;
}

const pending = new AsyncLocalStorage<TransactionEnds>();

export function transactionEnds(first: string): TransactionEnds {
  return { first, last: null, claimed: false, firstRows: [], lastSent: false };
}

/**
 * Runs `fn` (which opens one Prisma interactive transaction) with `ends` offered to its BEGIN.
 * Throws if a `last` statement was set but did not go out with the COMMIT (a Prisma that ends its
 * transactions some other way): loud, instead of a transaction committed without it.
 */
export async function withTransactionEnds<T>(ends: TransactionEnds, fn: () => Promise<T>): Promise<T> {
  const result = await pending.run(ends, fn);
  if (ends.last !== null && !ends.lastSent) {
    throw new Error('transaction-ends: the transaction committed without its last statement');
  }
  return result;
}

type QueryConfig = { text?: unknown };
type AnyQuery = (this: pg.Client, ...args: unknown[]) => unknown;
const baseQuery = pg.Client.prototype.query as AnyQuery;

/** pg's client with BEGIN and COMMIT able to carry the statements of a TransactionEnds. */
export class EndsClient extends pg.Client {
  /** The ends this connection's open transaction carries (null: a plain transaction). */
  carrying: TransactionEnds | null = null;
}

// One override of pg's overloaded query() (assigned, as its overloads cannot be restated): only a
// parameterless BEGIN / COMMIT / ROLLBACK given as a config object (how Prisma's adapter sends
// them) is looked at; everything else goes to pg as it is.
EndsClient.prototype.query = function query(this: EndsClient, ...args: unknown[]): unknown {
  const [config, values] = args;
  const text = values === undefined && typeof config === 'object' && config ? (config as QueryConfig).text : null;
  if (text === 'BEGIN') {
    this.carrying = null;
    const ends = pending.getStore();
    if (ends && !ends.claimed) {
      ends.claimed = true;
      this.carrying = ends;
      return withBegin(this, ends);
    }
  } else if (text === 'COMMIT' || text === 'ROLLBACK') {
    const ends = text === 'COMMIT' && this.carrying?.last ? this.carrying : null;
    this.carrying = null;
    if (ends) return withCommit(this, ends);
  }
  return baseQuery.apply(this, args);
} as pg.Client['query'];

async function withBegin(client: pg.Client, ends: TransactionEnds): Promise<pg.QueryResult> {
  const results = await both(client, `BEGIN;\n${ends.first}`);
  ends.firstRows = results[1]?.rows ?? [];
  return results[0]!;
}

async function withCommit(client: pg.Client, ends: TransactionEnds): Promise<pg.QueryResult> {
  const results = await both(client, `${ends.last};\nCOMMIT`);
  ends.lastSent = true;
  return results.at(-1)!;
}

/** Two statements in one simple query; a failure leaves no transaction open on the connection. */
async function both(client: pg.Client, text: string): Promise<pg.QueryResult[]> {
  try {
    const result = (await baseQuery.call(client, text)) as pg.QueryResult | pg.QueryResult[];
    return Array.isArray(result) ? result : [result];
  } catch (err) {
    // The statement after the failing one never ran (a failing <first> leaves BEGIN's transaction
    // aborted, a failing <last> leaves COMMIT unsent): end it here, so the connection goes back to
    // the pool clean; the caller sees the error as before.
    await (baseQuery.call(client, 'ROLLBACK') as Promise<unknown>).catch(() => {});
    throw err;
  }
}

/**
 * A statement made with Prisma's sql template tag (its text pieces and the values between them) as one
 * text with the values as SQL literals, for a simple query. Values are what the pipeline's
 * statements bind: text, numbers, booleans, null, dates and arrays of text.
 */
export function inlineSql(sql: { readonly strings: readonly string[]; readonly values: readonly unknown[] }): string {
  let text = sql.strings[0] ?? '';
  sql.values.forEach((value, i) => {
    text += literal(value) + (sql.strings[i + 1] ?? '');
  });
  return text;
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`inlineSql: ${value} is not a finite number`);
    // Parenthesized: a negative number followed by a cast (`-1::int`) would cast before negating.
    return `(${value})`;
  }
  if (typeof value === 'string') return pg.escapeLiteral(value);
  if (value instanceof Date) return pg.escapeLiteral(value.toISOString());
  if (Array.isArray(value)) {
    // PostgreSQL's array input syntax, each element quoted: '{"a","b"}'.
    const elements = value.map((v) => {
      if (v === null || v === undefined) return 'NULL';
      return `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    });
    return pg.escapeLiteral(`{${elements.join(',')}}`);
  }
  throw new Error(`inlineSql: cannot inline a ${typeof value}`);
}
