// The ledger's one write path, TypeScript side. Every movement of credits goes through postEntry,
// which makes one call of the database function ledger_post_entry (its current source:
// prisma/sql/functions/ledger_post_entry.sql). That function locks the customer row, checks the idempotency
// key under the lock, draws or adjusts lots, appends the entry and its allocations, and updates
// lot.remaining and customer.balance, all in one statement: one round trip holds the lock.
// Here we only shape the request, check replays against the request, and turn the outcome into
// typed rows or AppErrors. Nothing else in the codebase writes ledger_entry, ledger_allocation,
// credit_lot.remaining or customer.balance.
import type { DbOrTx } from '../../db/tx.ts';
import type {
  CostBasis,
  CreditLot,
  LedgerAllocation,
  LedgerEntry,
  LedgerEntryType,
  LotSource,
  Prisma,
} from '../../generated/prisma/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { toJson } from '../../lib/json.ts';

export interface EntryContext {
  type: LedgerEntryType;
  idempotencyKey: string;
  reason: string;
  actor: Actor;
  /** Stripe object id, usage id, staff id...: what a support agent follows to the cause. */
  reference?: string | null;
  referenceType?: string | null;
  metadata?: Record<string, unknown> | null;
  /** Refuse (BLOCKED) when the customer is blocked; set for usage. */
  requireActive?: boolean;
  /** Clock for expiry decisions; the database clock when omitted (tests pass their own). */
  now?: Date;
}

export interface NewLot {
  source: LotSource;
  costBasis: CostBasis;
  amountPaid?: number | null;
  currency?: string | null;
  stripeReference?: string | null;
  expiresAt?: Date | null;
}

export type Movement =
  | { mode: 'grant'; customerId: string; credits: number; lot: NewLot }
  | { mode: 'draw'; customerId: string; credits: number }
  /** Signed changes on named lots; `cap` clamps each negative change to what the lot still holds. */
  | { mode: 'lots'; changes: Array<{ lotId: string; credits: number }>; cap?: boolean }
  | { mode: 'expire' | 'freeze' | 'release'; lotId: string };

export interface PostedEntry {
  entry: LedgerEntry;
  /** Per-lot movements in draw order (empty for grants, freezes and releases). */
  allocations: LedgerAllocation[];
  /** The entry's lot (grants, single-lot movements); null for draws across lots. */
  lot: CreditLot | null;
  /** true when the idempotency key had already been used: nothing was written. */
  replayed: boolean;
}

type Row = Record<string, unknown>;
export interface LedgerOutcome {
  status: string;
  entry?: Row;
  allocations?: Row[];
  lot?: Row | null;
  required?: number;
  available?: number;
  balance?: number;
  problems?: unknown[];
}

/** Posts one ledger movement. Returns null when there was nothing to move (expire, capped change). */
export async function postEntry(db: DbOrTx, movement: Movement, ctx: EntryContext): Promise<PostedEntry | null> {
  const rows = await db.$queryRaw<
    Array<{ r: LedgerOutcome }>
  >`SELECT ledger_post_entry(${ledgerRequest(movement, ctx)}::jsonb) AS r`;
  return readOutcome(rows[0]?.r, movement, ctx);
}

/** The JSON argument of ledger_post_entry, for callers that add to the same statement (usage). */
export function ledgerRequest(movement: Movement, ctx: EntryContext): string {
  return JSON.stringify({
    ...movementFields(movement),
    type: ctx.type,
    idempotencyKey: ctx.idempotencyKey,
    reason: ctx.reason,
    actorType: ctx.actor.type,
    actorId: ctx.actor.id,
    reference: ctx.reference ?? null,
    referenceType: ctx.referenceType ?? null,
    metadata: toJson(ctx.metadata ?? null),
    requireActive: ctx.requireActive ?? false,
    now: ctx.now?.toISOString() ?? null,
  });
}

/** Turns what ledger_post_entry answered into rows, or the AppError the caller should see. */
export function readOutcome(
  outcome: LedgerOutcome | undefined,
  movement: Movement,
  ctx: EntryContext,
): PostedEntry | null {
  if (!outcome) throw new AppError('INTERNAL', 'The ledger returned no outcome');
  switch (outcome.status) {
    case 'posted':
      return toPosted(outcome, false);
    case 'replayed': {
      const posted = toPosted(outcome, true);
      assertSameRequest(posted, movement, ctx);
      return posted;
    }
    case 'noop':
      return null;
    case 'insufficient':
      throw new AppError(
        'INSUFFICIENT_CREDITS',
        `Not enough credits: ${outcome.required} needed, ${outcome.available} available`,
        { required: outcome.required, available: outcome.available, balance: outcome.balance },
      );
    case 'blocked':
      throw new AppError('BLOCKED', 'The customer is blocked');
    case 'customer_not_found':
      throw new AppError('NOT_FOUND', 'Customer not found');
    case 'lot_not_found':
      throw new AppError('NOT_FOUND', 'Credit lot not found');
    case 'out_of_range':
      throw new AppError('UNPROCESSABLE', 'A lot cannot go below 0 or above the credits it was granted', {
        problems: outcome.problems,
      });
    case 'already_frozen':
      throw new AppError('CONFLICT', 'The lot is already frozen');
    case 'not_frozen':
      throw new AppError('CONFLICT', 'The lot is not frozen');
    default:
      throw new AppError('INTERNAL', `Unexpected ledger outcome "${outcome.status}"`);
  }
}

function movementFields(movement: Movement) {
  switch (movement.mode) {
    case 'grant':
      return {
        mode: 'grant',
        customerId: movement.customerId,
        credits: movement.credits,
        lot: { ...movement.lot, expiresAt: movement.lot.expiresAt?.toISOString() ?? null },
      };
    case 'draw':
      return { mode: 'draw', customerId: movement.customerId, credits: movement.credits };
    case 'lots':
      return {
        mode: 'lots',
        lotIds: movement.changes.map((c) => c.lotId),
        deltas: movement.changes.map((c) => c.credits),
        cap: movement.cap ?? false,
      };
    default:
      return { mode: movement.mode, lotId: movement.lotId };
  }
}

/** A key reused for another customer, type, amount or lot is a conflict, never a silent replay. */
function assertSameRequest(posted: PostedEntry, movement: Movement, ctx: EntryContext): void {
  const { entry, allocations } = posted;
  const differences: string[] = [];
  if (entry.type !== ctx.type) differences.push(`type ${entry.type}`);
  switch (movement.mode) {
    case 'grant':
      if (entry.customerId !== movement.customerId) differences.push('another customer');
      if (entry.credits !== movement.credits) differences.push(`${entry.credits} credits`);
      break;
    case 'draw':
      if (entry.customerId !== movement.customerId) differences.push('another customer');
      if (entry.credits !== -movement.credits) differences.push(`${entry.credits} credits`);
      break;
    case 'lots': {
      const requested = new Set(movement.changes.map((c) => c.lotId));
      if (allocations.some((a) => !requested.has(a.lotId))) differences.push('other lots');
      // A capped change may legitimately have moved less than asked: only its lots must match.
      if (!movement.cap) {
        const total = movement.changes.reduce((sum, c) => sum + c.credits, 0);
        if (entry.credits !== total) differences.push(`${entry.credits} credits`);
      }
      break;
    }
    default:
      if (entry.lotId !== movement.lotId) differences.push('another lot');
  }
  if (differences.length) {
    throw new AppError(
      'CONFLICT',
      `Idempotency key "${ctx.idempotencyKey}" was already used for a different ledger entry (${differences.join(', ')})`,
      { idempotencyKey: ctx.idempotencyKey, entryId: entry.id.toString() },
    );
  }
}

function toPosted(outcome: LedgerOutcome, replayed: boolean): PostedEntry {
  if (!outcome.entry) throw new AppError('INTERNAL', 'The ledger returned no entry');
  return {
    entry: toEntry(outcome.entry),
    allocations: (outcome.allocations ?? []).map(toAllocation),
    lot: outcome.lot ? toLot(outcome.lot) : null,
    replayed,
  };
}

// Rows come back as to_jsonb() output: snake_case keys, timestamps as ISO 8601 text with their offset.
const date = (v: unknown): Date => new Date(String(v));
const optDate = (v: unknown): Date | null => (v == null ? null : date(v));
const str = (v: unknown): string | null => (v == null ? null : String(v));

function toEntry(r: Row): LedgerEntry {
  return {
    id: BigInt(String(r.id)),
    customerId: String(r.customer_id),
    type: r.type as LedgerEntryType,
    credits: Number(r.credits),
    lotId: str(r.lot_id),
    referenceType: str(r.reference_type),
    reference: str(r.reference),
    actorType: r.actor_type as LedgerEntry['actorType'],
    actorId: str(r.actor_id),
    reason: String(r.reason),
    idempotencyKey: String(r.idempotency_key),
    balanceAfter: Number(r.balance_after),
    metadata: (r.metadata ?? null) as Prisma.JsonValue,
    createdAt: date(r.created_at),
  };
}

function toAllocation(r: Row): LedgerAllocation {
  return {
    id: BigInt(String(r.id)),
    entryId: BigInt(String(r.entry_id)),
    lotId: String(r.lot_id),
    credits: Number(r.credits),
    position: Number(r.position),
  };
}

function toLot(r: Row): CreditLot {
  return {
    id: String(r.id),
    customerId: String(r.customer_id),
    source: r.source as LotSource,
    granted: Number(r.granted),
    remaining: Number(r.remaining),
    expiresAt: optDate(r.expires_at),
    costBasis: r.cost_basis as CostBasis,
    amountPaid: r.amount_paid == null ? null : Number(r.amount_paid),
    currency: str(r.currency),
    stripeReference: str(r.stripe_reference),
    frozen: Boolean(r.frozen),
    createdAt: date(r.created_at),
  };
}
