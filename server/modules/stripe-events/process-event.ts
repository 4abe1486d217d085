// Applies one stored event exactly once. The handler's effects, the status change to `processed`
// and the attempt record commit in one transaction under a row lock on the event, so a crash or a
// concurrent duplicate can only lead to another attempt, never to a lost or a double effect.
// Effects are also keyed on Stripe object ids (grant:cs_..., grant:in_...), so even a forced
// reprocess or a second event about the same object replays instead of applying twice.
import type Stripe from 'stripe';
import type { Db } from '../../db/client.ts';
import { inlineSql, transactionEnds, withTransactionEnds } from '../../db/transaction-ends.ts';
import { PIPELINE_TX_OPTIONS, type Tx } from '../../db/tx.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import { bindBillingCatalog, type BillingCatalogSource } from '../catalog/billing-catalog.ts';
import type { EventStatus } from '../../generated/prisma/enums.ts';
import { AppError } from '../../lib/app-error.ts';
import { metrics } from '../../lib/metrics.ts';
import type { EventEnvelope, EventHandler, HandlerMap, HandlerOutcome } from './event-handler.ts';
import { describeEventCause, type EventCause } from '../../contracts/event-causes.ts';
import { EventFailedError, StripeNeededError } from './event-errors.ts';
import { failureCause } from './failure-cause.ts';
import {
  ingestEvent,
  ingestResult,
  ingestStatement,
  type IngestEventInput,
  type IngestEventResult,
  type IngestRow,
} from './ingest-event.ts';
import { normaliseEventObject } from './normalise-event-object.ts';
import { MAX_PROCESSING_ATTEMPTS, isTransientConflict, retryDelayMs } from './retry-policy.ts';

export interface PipelineLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  /** pino's: a logger whose every line carries `bindings` (the delivery's request id). */
  child?(bindings: Record<string, unknown>): PipelineLogger;
}

export interface PipelineContext {
  prisma: Db;
  stripe: Stripe | null;
  log: PipelineLogger;
  handlers: HandlerMap;
  /** Injected in tests; the wall clock otherwise. */
  now?: () => Date;
  /** This deployment's mode: an event of the other mode is refused (failed, never applied). */
  livemode?: boolean;
  /** The process's in-memory catalog (billing-catalog.ts); unset: handlers read the catalog's tables. */
  catalog?: BillingCatalogSource;
}

export interface StoredEventRow {
  id: string;
  type: string;
  created: Date;
  livemode: boolean;
  customerId: string | null;
  payload: unknown;
  status: EventStatus;
  /** The delivering request's id (null for reconciliation or manual ingest). */
  requestId?: string | null;
}

export interface ProcessOptions {
  /** Run the handler even if the event is already processed or ignored (manual reprocess). */
  force?: boolean;
  /** Staff user who asked for this attempt. */
  actorId?: string | null;
  /** The row as just stored (the webhook route has it): saves reading it back. */
  stored?: StoredEventRow;
  /** The webhook delivery this attempt answers: its outcome and duration are written with the result. */
  delivery?: { id: bigint; startedAt: number };
  /** Answering a webhook: no Stripe API call; work that needs one is left to the background job. */
  inline?: boolean;
  /** A repeated delivery: its attempt is recorded but does not use up the event's retry budget. */
  duplicate?: boolean;
}

export interface ProcessResult {
  eventId: string;
  status: EventStatus;
  /** true when nothing ran because the event was already done. */
  skipped: boolean;
  summary?: string;
  error?: string;
  /** Why it failed or waits, as data (the error above is its words). */
  cause?: EventCause;
}

const CONFLICT_RETRIES = 4;

/** The envelope and data.object as handlers read them: in the endive shape whatever the event's
 * API version (normalise-event-object.ts); throws payload_unreadable when that cannot be done. */
export function toEnvelope(row: {
  id: string;
  type: string;
  created: Date;
  livemode: boolean;
  customerId: string | null;
  payload: unknown;
}): { envelope: EventEnvelope; object: unknown } {
  const payload = row.payload as Partial<Stripe.Event> & {
    data?: { object?: unknown; previous_attributes?: Record<string, unknown> };
  };
  return {
    envelope: {
      id: row.id,
      type: row.type,
      created: row.created,
      livemode: row.livemode,
      linkedCustomerId: row.customerId,
      requestIdempotencyKey: payload.request?.idempotency_key ?? null,
      previousAttributes: payload.data?.previous_attributes ?? null,
    },
    object: normaliseEventObject(row.type, payload.api_version ?? null, payload.data?.object ?? null),
  };
}

export async function processEvent(
  pipeline: PipelineContext,
  eventId: string,
  options: ProcessOptions = {},
): Promise<ProcessResult> {
  const row =
    options.stored ??
    (await pipeline.prisma.stripeEvent.findUnique({
      where: { id: eventId },
      select: {
        id: true,
        type: true,
        created: true,
        livemode: true,
        customerId: true,
        payload: true,
        status: true,
        requestId: true,
      },
    }));
  if (!row) throw new AppError('NOT_FOUND', `No stored Stripe event ${eventId}`);
  // Away from the delivery (retry job, staff), lines about this event carry the delivery's request
  // id, so one id follows it from delivery to ledger entry. Inline, the request's logger has it.
  const background = !options.inline && !!row.requestId && !!pipeline.log.child;
  const ctx = background ? { ...pipeline, log: pipeline.log.child!({ reqId: row.requestId, eventId }) } : pipeline;
  if (!options.force && (row.status === 'processed' || row.status === 'ignored')) {
    return { eventId, status: row.status, skipped: true };
  }
  const handler = ctx.handlers[row.type as keyof HandlerMap] as EventHandler<unknown, unknown> | undefined;
  if (!handler) {
    if (row.status !== 'processed') {
      await ctx.prisma.stripeEvent.update({ where: { id: eventId }, data: { status: 'ignored', nextAttemptAt: null } });
    }
    return { eventId, status: row.status === 'processed' ? 'processed' : 'ignored', skipped: true };
  }

  const started = Date.now();
  const mismatch = livemodeMismatch(ctx, row);
  if (mismatch) return counted(ctx, row, options, await recordFailure(ctx, eventId, mismatch, options, 0));
  try {
    const { envelope, object } = toEnvelope(row);
    const prepared = handler.prepare
      ? await handler.prepare({ prisma: ctx.prisma, stripe: ctx.stripe, inline: !!options.inline }, object, envelope)
      : undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        const applied = await applyInTransaction(ctx, handler, envelope, object, prepared, options, started);
        return counted(ctx, row, options, applied);
      } catch (err) {
        if (attempt >= CONFLICT_RETRIES || !isTransientConflict(err)) throw err;
      }
    }
  } catch (err) {
    return counted(ctx, row, options, await recordFailure(ctx, eventId, err, options, Date.now() - started));
  }
}

/** Every attempt that ran is counted once, by type and resulting status (metrics.ts); one not
 * answering a delivery (retry job, staff) is also logged, under the delivery's request id. */
function counted(
  ctx: PipelineContext,
  row: { type: string; created: Date },
  options: ProcessOptions,
  result: ProcessResult,
): ProcessResult {
  if (result.skipped) return result;
  metrics.eventAttempt(row.type, result.status, row.created);
  if (!options.inline) {
    ctx.log.info(
      { eventId: result.eventId, type: row.type, status: result.status, cause: result.cause?.code },
      'stripe event attempt',
    );
  }
  return result;
}

/**
 * A first webhook delivery of a handled event, stored and applied in one transaction: the event
 * row, its delivery, the handler's effects and the outcome commit together (one commit and no
 * separate lock statement instead of an ingest, then a processing transaction). The answer is
 * the same as ingestEvent followed by processEvent(inline): if the handler fails, the event is
 * stored afterwards and the failure recorded as that attempt's, exactly as the two steps would.
 * `done: false` when the event turned out to be a repeat (stored by another delivery first): only
 * this arrival was recorded, and the caller treats it as any repeat. null when nothing was
 * written and the caller must take the two steps (prepare needs Stripe or failed, a livemode
 * mismatch, a conflict to retry). `wake`: work was left for the retry job.
 */
export async function storeAndProcessEvent(
  ctx: PipelineContext,
  input: IngestEventInput & { payload: unknown },
  startedAt: number,
): Promise<{ stored: IngestEventResult; status: EventStatus | null; done: boolean; wake?: boolean } | null> {
  const handler = ctx.handlers[input.event.type as keyof HandlerMap] as EventHandler<unknown, unknown> | undefined;
  if (!handler) return null;
  const row = {
    id: input.event.id,
    type: input.event.type,
    created: new Date(input.event.created * 1000),
    livemode: input.event.livemode,
    customerId: null,
    payload: input.payload,
  };
  if (livemodeMismatch(ctx, row)) return null;
  const started = Date.now();
  let envelope: EventEnvelope;
  let object: unknown;
  let prepared: unknown;
  try {
    ({ envelope, object } = toEnvelope(row));
    prepared = handler.prepare
      ? await handler.prepare({ prisma: ctx.prisma, stripe: ctx.stripe, inline: true }, object, envelope)
      : undefined;
  } catch {
    return null;
  }
  const ingest: { input: IngestEventInput; startedAt: number; stored?: IngestEventResult } = { input, startedAt };
  const options: ProcessOptions = { inline: true };
  try {
    const result = await applyInTransaction(ctx, handler, envelope, object, prepared, options, started, ingest);
    if (ingest.stored!.duplicate) return { stored: ingest.stored!, status: ingest.stored!.status, done: false };
    counted(ctx, row, options, result);
    return { stored: ingest.stored!, status: result.status, done: true };
  } catch (err) {
    if (isTransientConflict(err)) return null;
    // The handler's attempt failed and rolled back: store the event, then record that attempt.
    // (Another delivery may have stored it meanwhile: this arrival's attempt is still recorded, as a
    // repeat's, which does not use up the event's retries.)
    const stored = await ingestEvent(ctx.prisma, input);
    const delivered = { ...options, duplicate: stored.duplicate, delivery: { id: stored.deliveryId, startedAt } };
    try {
      const failed = await recordFailure(ctx, row.id, err, delivered, Date.now() - started);
      counted(ctx, row, delivered, failed);
      const wake = failed.status === 'deferred' && failed.cause?.code === 'stripe_call_pending';
      return { stored, status: failed.status, done: true, wake };
    } catch (recordErr) {
      // Stored but its attempt not recorded: the retry sweep picks it up; Stripe still gets its 2xx.
      ctx.log.error({ err: recordErr, eventId: row.id }, 'recording a failed stripe event attempt failed');
      return { stored, status: stored.status, done: true, wake: true };
    }
  }
}

/** A live event on a test deployment (or the reverse) is a misrouted endpoint: never applied. */
export function livemodeMismatch(ctx: PipelineContext, row: { livemode: boolean }): EventFailedError | null {
  if (ctx.livemode === undefined || row.livemode === ctx.livemode) return null;
  return new EventFailedError({ code: 'livemode_mismatch', detail: { eventLivemode: row.livemode } });
}

async function applyInTransaction(
  ctx: PipelineContext,
  handler: EventHandler<unknown, unknown>,
  envelope: EventEnvelope,
  object: unknown,
  prepared: unknown,
  options: ProcessOptions,
  started: number,
  /** A first arrival stored by this same transaction (storeAndProcessEvent); its delivery is set here. */
  ingest?: { input: IngestEventInput; startedAt: number; stored?: IngestEventResult },
): Promise<ProcessResult> {
  const now = ctx.now?.() ?? new Date();
  const catalog = (await ctx.catalog?.()) ?? null;
  // The event row's lock (or, for a first arrival, its insert), then the handler's keys, sorted,
  // so two events sharing keys always take them in the same order (no deadlock): one statement,
  // sent with BEGIN; the outcome goes with COMMIT (transaction-ends.ts), so the pipeline's own
  // bookkeeping adds no round trip of its own to the handler's statements.
  const keys = [...new Set((handler.lockKeys?.(object) ?? []).filter((k): k is string => !!k))].sort();
  const first = ingest ? ingestStatement(ingest.input, keys) : lockStatement(envelope.id, keys);
  const ends = transactionEnds(inlineSql(first));
  return withTransactionEnds(ends, () =>
    ctx.prisma.$transaction(async (tx: Tx) => {
      bindBillingCatalog(tx, catalog);
      // A concurrent duplicate waits on the event row's lock, then sees `processed`. Storing the
      // event in this transaction holds its row the same way.
      const firstRows = ends.claimed ? ends.firstRows : await tx.$queryRaw<Array<Record<string, unknown>>>(first);
      if (ingest) {
        // Rows read as text (with BEGIN) or through Prisma: the delivery id is a bigint either way.
        const rows = firstRows.map((r) => ({ ...(r as IngestRow), id: BigInt(r.id as bigint | string) }));
        const stored = ingestResult(ingest.input, rows);
        ingest.stored = stored;
        // Another delivery stored it first: only this arrival is recorded (it commits); the caller
        // goes on as for any repeat.
        if (stored.duplicate) return { eventId: envelope.id, status: stored.status ?? 'received', skipped: true };
        options = { ...options, delivery: { id: stored.deliveryId, startedAt: ingest.startedAt } };
      } else {
        const current = firstRows[0]?.status as EventStatus | undefined;
        if (!options.force && (current === 'processed' || current === 'ignored')) {
          return { eventId: envelope.id, status: current, skipped: true };
        }
      }
      const outcome: HandlerOutcome = await handler.apply(tx, {
        event: envelope,
        object,
        prepared,
        actor: { type: 'stripe', id: envelope.id },
        now,
      });
      const record = outcomeStatement({
        eventId: envelope.id,
        status: 'processed',
        now,
        attempts: null,
        lastError: null,
        cause: null,
        nextAttemptAt: null,
        customerId: outcome.customerId ?? null,
        attempt: { outcome: 'processed', summary: outcome.summary, error: null },
        durationMs: Date.now() - started,
        actorId: options.actorId ?? null,
        delivery: options.delivery ?? null,
      });
      if (ends.claimed) ends.last = inlineSql(record);
      else await tx.$executeRaw(record);
      return { eventId: envelope.id, status: 'processed' as const, skipped: false, summary: outcome.summary };
    }, PIPELINE_TX_OPTIONS),
  );
}

/** Locks the stored event's row and reads its status, then takes the handler's advisory locks. */
function lockStatement(eventId: string, keys: string[]): Prisma.Sql {
  return Prisma.sql`
    WITH ev AS (SELECT status FROM stripe_event WHERE id = ${eventId} FOR UPDATE)
    SELECT ev.status,
           (SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0)))
              FROM (SELECT k FROM unnest(${keys}::text[]) AS k ORDER BY k) AS ordered) AS locks
    FROM ev`;
}

interface OutcomeInput {
  eventId: string;
  status: EventStatus;
  now: Date;
  /** null: one more than stored. */
  attempts: number | null;
  lastError: string | null;
  cause: EventCause | null;
  nextAttemptAt: Date | null;
  customerId: string | null;
  attempt: { outcome: string; summary: string | null; error: string | null };
  durationMs: number;
  actorId: string | null;
  delivery: { id: bigint; startedAt: number } | null;
}

/** The event's new state, its attempt record and (for an inline attempt) its delivery's outcome,
 * written in one statement inside the caller's transaction. */
async function recordOutcome(tx: Tx, input: OutcomeInput): Promise<void> {
  await tx.$executeRaw(outcomeStatement(input));
}

function outcomeStatement(input: OutcomeInput): Prisma.Sql {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const deliveryMs = input.delivery ? Math.round(performance.now() - input.delivery.startedAt) : null;
  return Prisma.sql`
    WITH ev AS (
      UPDATE stripe_event
         SET status = ${input.status}::"EventStatus",
             attempts = COALESCE(${input.attempts}::int, attempts + 1),
             last_error = ${input.lastError},
             cause = ${input.cause?.code ?? null},
             cause_detail = ${input.cause ? JSON.stringify(input.cause.detail) : null}::jsonb,
             next_attempt_at = ${iso(input.nextAttemptAt)}::timestamptz,
             processed_at = CASE WHEN ${input.attempt.outcome} = 'processed'
                                 THEN ${iso(input.now)}::timestamptz ELSE processed_at END,
             customer_id = COALESCE(${input.customerId}::uuid, customer_id),
             updated_at = now()
       WHERE id = ${input.eventId}
      RETURNING id
    ), att AS (
      INSERT INTO event_processing_attempt (event_id, started_at, outcome, error, summary, duration_ms, actor_id)
      SELECT id, now(), ${input.attempt.outcome}, ${input.attempt.error}, ${input.attempt.summary},
             ${input.durationMs}::int, ${input.actorId}
        FROM ev
      RETURNING id
    )
    UPDATE webhook_delivery
       SET outcome = ${input.status}::text, duration_ms = ${deliveryMs}::int
     WHERE id = ${input.delivery?.id ?? null}::bigint AND EXISTS (SELECT 1 FROM att)`;
}

async function recordFailure(
  ctx: PipelineContext,
  eventId: string,
  err: unknown,
  options: ProcessOptions,
  durationMs: number,
): Promise<ProcessResult> {
  const { cause, kind } = failureCause(err);
  const message = describeEventCause(cause);
  const permanent = kind === 'failed';
  if (kind === 'error') {
    const correlationId = 'correlationId' in cause.detail ? cause.detail.correlationId : null;
    ctx.log.error({ err, eventId, correlationId }, 'stripe event processing failed');
  }
  // Neither waiting for Stripe's API (it moves to the background job, due at once) nor a repeated
  // delivery uses up a retry: only the event's own attempts count toward MAX_PROCESSING_ATTEMPTS.
  const forBackground = err instanceof StripeNeededError;
  const counts = !forBackground && !options.duplicate;
  const now = ctx.now?.() ?? new Date();
  return ctx.prisma.$transaction(async (tx: Tx) => {
    await tx.$queryRaw`SELECT 1 FROM stripe_event WHERE id = ${eventId} FOR UPDATE`;
    const current = await tx.stripeEvent.findUnique({
      where: { id: eventId },
      select: { status: true, attempts: true, nextAttemptAt: true },
    });
    const attempts = (current?.attempts ?? 0) + (counts ? 1 : 0);
    // A manual retry that fails shows its error at once instead of going back into the queue.
    const giveUp =
      permanent || (counts && attempts >= MAX_PROCESSING_ATTEMPTS) || (!!options.actorId && !forBackground);
    const status: EventStatus = current?.status === 'processed' ? 'processed' : giveUp ? 'failed' : 'deferred';
    // A duplicate keeps the schedule it found (its backoff is not reset); background work is due now.
    const nextAttemptAt = forBackground
      ? now
      : !counts && current?.status === 'deferred' && current.nextAttemptAt
        ? current.nextAttemptAt
        : new Date(now.getTime() + retryDelayMs(Math.max(1, attempts)));
    await recordOutcome(tx, {
      eventId,
      status,
      now,
      attempts,
      lastError: message,
      cause,
      nextAttemptAt: status === 'deferred' ? nextAttemptAt : null,
      customerId: null,
      attempt: { outcome: kind, summary: null, error: message },
      durationMs,
      actorId: options.actorId ?? null,
      delivery: options.delivery ?? null,
    });
    return { eventId, status, skipped: false, error: message, cause };
  }, PIPELINE_TX_OPTIONS);
}
