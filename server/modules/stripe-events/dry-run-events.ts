// Reprocess, dry run: what reprocessing stored events would do, without doing it. The events are
// applied by their real handlers, in the order Stripe created them, inside one transaction that is
// always rolled back; before that, the rows the run wrote are read back and compared with what is
// committed: ledger entries, entitlement changes, and the customers, subscriptions and payments
// whose state would change. Each event runs under a savepoint, so a failing one leaves nothing
// behind for the next, as in the real pipeline where each event has its own transaction.
//
// Finding "the rows this run wrote": the transaction is REPEATABLE READ and takes its xid in its
// first statement, so every row version it can see with an xmin at or above that xid was written
// by itself (or one of its savepoints): transactions with later xids began after its snapshot and
// stay invisible to it. Reads are by customer (indexed), never whole-table scans.
//
// "Before" is read on the same connection, after rolling back to a savepoint taken before the run:
// the snapshot's committed state. Never through another connection while the transaction is open:
// the embedded database has one session, so such a query waits for this transaction to end, which
// waits for the query (a hang until the transaction's timeout).
import { Prisma } from '../../generated/prisma/client.ts';
import type { EventStatus } from '../../generated/prisma/enums.ts';
import { PIPELINE_TX_OPTIONS, type Tx } from '../../db/tx.ts';
import { AppError } from '../../lib/app-error.ts';
import type { EventHandler, HandlerMap } from './event-handler.ts';
import { describeEventCause, type EventCause } from '../../contracts/event-causes.ts';
import { failureCause } from './failure-cause.ts';
import { livemodeMismatch, toEnvelope, type PipelineContext } from './process-event.ts';

export const MAX_DRY_RUN_EVENTS = 50;

export type DryRunOutcome = 'processed' | 'failed' | 'deferred' | 'error' | 'ignored';

export interface DryRunLedgerEntry {
  customerId: string;
  type: string;
  credits: number;
  balanceAfter: number;
  reason: string;
  idempotencyKey: string;
}

export interface DryRunEntitlementChange {
  customerId: string;
  kind: string;
  reason: string;
  before: unknown;
  after: unknown;
}

export interface DryRunEventResult {
  eventId: string;
  type: string;
  /** The event's status now (the dry run does not change it). */
  status: EventStatus;
  outcome: DryRunOutcome;
  summary: string | null;
  error: string | null;
  /** Why it would fail or wait, as data (the error above is its words). */
  cause: EventCause | null;
  ledgerEntries: DryRunLedgerEntry[];
  entitlementChanges: DryRunEntitlementChange[];
}

interface CustomerState {
  externalId: string;
  email: string;
  balance: number;
  planKey: string | null;
  status: string;
}
interface SubscriptionState {
  customerId: string;
  status: string;
  planKey: string | null;
  stripePriceId: string | null;
  graceUntil: Date | null;
}
interface PaymentState {
  customerId: string | null;
  status: string;
  amount: number;
  currency: string;
  creditsGranted: number;
  amountRefunded: number;
}

/** A row the run would create (before null) or change. */
export interface RowChange<T> {
  id: string;
  before: T | null;
  after: T;
}

export interface DryRunReport {
  events: DryRunEventResult[];
  customers: Array<RowChange<CustomerState>>;
  subscriptions: Array<RowChange<SubscriptionState>>;
  payments: Array<RowChange<PaymentState>>;
  totals: { credits: number; entries: number; entitlementChanges: number; wouldFail: number };
}

class RollBack extends Error {}

const CUSTOMER_FIELDS = {
  id: true,
  externalId: true,
  email: true,
  balance: true,
  planKey: true,
  status: true,
} as const;
const SUBSCRIPTION_FIELDS = {
  id: true,
  customerId: true,
  status: true,
  planKey: true,
  stripePriceId: true,
  graceUntil: true,
} as const;
const PAYMENT_FIELDS = {
  id: true,
  customerId: true,
  status: true,
  amount: true,
  currency: true,
  creditsGranted: true,
  amountRefunded: true,
} as const;

function outcomeOf(
  ctx: PipelineContext,
  eventId: string,
  err: unknown,
): { outcome: DryRunOutcome; error: string; cause: EventCause } {
  const { cause, kind } = failureCause(err);
  if (kind === 'error') ctx.log.error({ err, eventId, cause: cause.detail }, 'stripe event dry run failed');
  return { outcome: kind, error: describeEventCause(cause), cause };
}

function changed<T extends object>(before: T | null, after: T): boolean {
  if (!before) return true;
  return Object.keys(after).some((k) => {
    const a = (before as Record<string, unknown>)[k];
    const b = (after as Record<string, unknown>)[k];
    return a instanceof Date || b instanceof Date
      ? (a as Date | null)?.getTime() !== (b as Date | null)?.getTime()
      : a !== b;
  });
}

function split<T extends { id: string }>(row: T): [string, Omit<T, 'id'>] {
  const { id, ...rest } = row;
  return [id, rest];
}

export interface DryRunOptions {
  /**
   * A change to try first, inside the same rolled-back transaction (a catalog mapping not saved
   * yet): the report then says what the events would do once that change is made.
   */
  setup?: (tx: Tx) => Promise<unknown>;
}

export async function dryRunEvents(
  ctx: PipelineContext,
  eventIds: readonly string[],
  options: DryRunOptions = {},
): Promise<DryRunReport> {
  const ids = [...new Set(eventIds)];
  if (ids.length === 0) throw new AppError('VALIDATION', 'Choose at least one event');
  if (ids.length > MAX_DRY_RUN_EVENTS) {
    throw new AppError('VALIDATION', `A dry run covers at most ${MAX_DRY_RUN_EVENTS} events at a time`);
  }
  const rows = await ctx.prisma.stripeEvent.findMany({
    where: { id: { in: ids } },
    select: { id: true, type: true, created: true, livemode: true, customerId: true, payload: true, status: true },
    orderBy: [{ created: 'asc' }, { id: 'asc' }],
  });
  const missing = ids.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length) throw new AppError('NOT_FOUND', `No stored Stripe event ${missing.join(', ')}`);

  // The network phase, as in the pipeline: outside the transaction (read-only Stripe calls).
  const prepared = new Map<string, { value: unknown } | { error: unknown }>();
  for (const row of rows) {
    const handler = handlerFor(ctx.handlers, row.type);
    if (!handler?.prepare) continue;
    try {
      const { envelope, object } = toEnvelope(row);
      prepared.set(row.id, {
        value: await handler.prepare({ prisma: ctx.prisma, stripe: ctx.stripe }, object, envelope),
      });
    } catch (err) {
      prepared.set(row.id, { error: err });
    }
  }

  let report: DryRunReport | null = null;
  try {
    await ctx.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SAVEPOINT dry_run`;
        // Its writes carry this transaction's xid too; the measurement reads customers' rows
        // only, which a catalog change does not touch.
        if (options.setup) await options.setup(tx);
        report = await applyAndMeasure(ctx, tx, rows, prepared);
        throw new RollBack();
      },
      { ...PIPELINE_TX_OPTIONS, isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead },
    );
  } catch (err) {
    if (!(err instanceof RollBack)) throw err;
  }
  return report!;
}

function handlerFor(handlers: HandlerMap, type: string): EventHandler<unknown, unknown> | undefined {
  return handlers[type as keyof HandlerMap] as EventHandler<unknown, unknown> | undefined;
}

async function applyAndMeasure(
  ctx: PipelineContext,
  tx: Tx,
  rows: Array<{
    id: string;
    type: string;
    created: Date;
    livemode: boolean;
    customerId: string | null;
    payload: unknown;
    status: EventStatus;
  }>,
  prepared: Map<string, { value: unknown } | { error: unknown }>,
): Promise<DryRunReport> {
  // First statement: takes the snapshot and the xid every written row version will carry (or exceed).
  const [start] = await tx.$queryRaw<Array<{ xid: bigint; max_entry: bigint }>>`
    SELECT (pg_current_xact_id()::text::bigint % 4294967296) AS xid,
           (SELECT coalesce(max(id), 0) FROM ledger_entry) AS max_entry`;
  const xid = start!.xid;
  let lastEntry = start!.max_entry;
  const seenEntitlementEvents = new Set<string>();
  const candidates = new Set<string>();
  const now = ctx.now?.() ?? new Date();
  const events: DryRunEventResult[] = [];

  for (const row of rows) {
    const result: DryRunEventResult = {
      eventId: row.id,
      type: row.type,
      status: row.status,
      outcome: 'processed',
      summary: null,
      error: null,
      cause: null,
      ledgerEntries: [],
      entitlementChanges: [],
    };
    events.push(result);
    if (row.customerId) candidates.add(row.customerId);
    const handler = handlerFor(ctx.handlers, row.type);
    if (!handler) {
      result.outcome = 'ignored';
      result.summary = `no handler for ${row.type}: it would be stored and ignored`;
      continue;
    }
    const mismatch = livemodeMismatch(ctx, row);
    if (mismatch) {
      Object.assign(result, outcomeOf(ctx, row.id, mismatch));
      continue;
    }
    const pre = prepared.get(row.id);
    if (pre && 'error' in pre) {
      Object.assign(result, outcomeOf(ctx, row.id, pre.error));
      continue;
    }
    let read: ReturnType<typeof toEnvelope>;
    try {
      read = toEnvelope(row);
    } catch (err) {
      Object.assign(result, outcomeOf(ctx, row.id, err));
      continue;
    }
    const { envelope, object } = read;
    await tx.$executeRaw`SAVEPOINT dry_run_event`;
    try {
      const outcome = await handler.apply(tx, {
        event: envelope,
        object,
        prepared: pre && 'value' in pre ? pre.value : undefined,
        actor: { type: 'stripe', id: envelope.id },
        now,
      });
      await tx.$executeRaw`RELEASE SAVEPOINT dry_run_event`;
      result.summary = outcome.summary;
      if (outcome.customerId) candidates.add(outcome.customerId);
    } catch (err) {
      // As in the pipeline, a failed event leaves nothing behind.
      await tx.$executeRaw`ROLLBACK TO SAVEPOINT dry_run_event`;
      Object.assign(result, outcomeOf(ctx, row.id, err));
      continue;
    }

    const entries = await tx.ledgerEntry.findMany({
      where: { id: { gt: lastEntry } },
      orderBy: { id: 'asc' },
      select: {
        id: true,
        customerId: true,
        type: true,
        credits: true,
        balanceAfter: true,
        reason: true,
        idempotencyKey: true,
      },
    });
    for (const { id, ...entry } of entries) {
      result.ledgerEntries.push(entry);
      candidates.add(entry.customerId);
      if (id > lastEntry) lastEntry = id;
    }
    const entitlementIds = await written(tx, 'entitlement_event', [...candidates], xid);
    const fresh = entitlementIds.filter((id) => !seenEntitlementEvents.has(id));
    if (fresh.length) {
      const changes = await tx.entitlementEvent.findMany({
        where: { id: { in: fresh } },
        orderBy: { createdAt: 'asc' },
        select: { id: true, customerId: true, kind: true, reason: true, before: true, after: true },
      });
      for (const { id, ...change } of changes) {
        seenEntitlementEvents.add(id);
        result.entitlementChanges.push(change);
      }
    }
  }

  const customerIds = [...candidates];
  const [touchedCustomers, touchedSubscriptions, touchedPayments] = await Promise.all([
    written(tx, 'customer', customerIds, xid, 'id'),
    written(tx, 'subscription', customerIds, xid),
    written(tx, 'payment', customerIds, xid),
  ]);
  const read = () =>
    Promise.all([
      tx.customer.findMany({ where: { id: { in: touchedCustomers } }, select: CUSTOMER_FIELDS }),
      tx.subscription.findMany({ where: { id: { in: touchedSubscriptions } }, select: SUBSCRIPTION_FIELDS }),
      tx.payment.findMany({ where: { id: { in: touchedPayments } }, select: PAYMENT_FIELDS }),
    ]);
  // After: as the run left them. Before: the snapshot's committed state, once the run (and the
  // setup) are rolled back to the savepoint dryRunEvents took first (see the header).
  const [customersAfter, subsAfter, paymentsAfter] = await read();
  await tx.$executeRaw`ROLLBACK TO SAVEPOINT dry_run`;
  const [customersBefore, subsBefore, paymentsBefore] = await read();
  const compare = <T extends { id: string }>(after: T[], before: T[]): Array<RowChange<Omit<T, 'id'>>> => {
    const old = new Map(before.map((r) => split(r)));
    return after
      .map(split)
      .map(([id, state]) => ({ id, before: old.get(id) ?? null, after: state }))
      .filter((c) => changed(c.before, c.after));
  };

  const entries = events.flatMap((e) => e.ledgerEntries);
  return {
    events,
    customers: compare(customersAfter, customersBefore),
    subscriptions: compare(subsAfter, subsBefore),
    payments: compare(paymentsAfter, paymentsBefore),
    totals: {
      credits: entries.reduce((n, e) => n + e.credits, 0),
      entries: entries.length,
      entitlementChanges: events.reduce((n, e) => n + e.entitlementChanges.length, 0),
      wouldFail: events.filter((e) => e.outcome !== 'processed' && e.outcome !== 'ignored').length,
    },
  };
}

/** Ids of rows of `table` for these customers that this transaction wrote (see the header). */
async function written(
  tx: Tx,
  table: 'customer' | 'subscription' | 'payment' | 'entitlement_event',
  customerIds: string[],
  xid: bigint,
  customerColumn: 'id' | 'customer_id' = 'customer_id',
): Promise<string[]> {
  if (customerIds.length === 0) return [];
  const rows = await tx.$queryRaw<Array<{ id: string }>>(
    Prisma.sql`SELECT id::text AS id FROM ${Prisma.raw(`"${table}"`)}
                WHERE ${Prisma.raw(`"${customerColumn}"`)} = ANY(${customerIds}::uuid[])
                  AND xmin::text::bigint >= ${xid}`,
  );
  return rows.map((r) => r.id);
}
