// The product's backend reports one use of a feature: check and consume in one atomic step.
// Refusals are distinct (BLOCKED, NOT_ENTITLED, INSUFFICIENT_CREDITS) and charge nothing. The
// client's idempotency key makes retries safe: the same key with the same payload returns the
// original result (replayed: true); with another payload it is a CONFLICT. Under concurrency the
// ledger's customer row lock decides: one request posts, the others see its entry and replay.
import { createHash, randomUUID } from 'node:crypto';
import { inTransaction, type DbOrTx } from '../../db/tx.ts';
import type { Prisma, Usage } from '../../generated/prisma/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError, isAppError } from '../../lib/app-error.ts';
import { metrics } from '../../lib/metrics.ts';
import { canonicalJson, jsonColumn } from '../../lib/json.ts';
import { isUniqueViolation } from '../../lib/prisma-errors.ts';
import { loadCatalogSnapshot, type CatalogSnapshot } from '../catalog/catalog-snapshot.ts';
import {
  entitlementFromFacts,
  loadCustomerFeatureFacts,
  plansIncluding,
} from '../entitlements/customer-feature-facts.ts';
import { isEntitled } from '../entitlements/resolve-entitlements.ts';
import { ledgerRequest, readOutcome, type EntryContext, type Movement } from './post-entry.ts';
import { drawForUsage, type UsageTarget } from './usage-draws.ts';

export interface RecordUsageInput {
  /** The product's user id (Customer.externalId). */
  externalId: string;
  feature: string;
  idempotencyKey: string;
  /** Defaults to the feature's creditCost (0 when it has none). */
  credits?: number;
  /** Model, operation, result reference, client IP, user agent...: kept as dispute evidence. */
  metadata?: Record<string, unknown>;
  actor: Actor;
}

export interface RecordUsageResult {
  usageId: string;
  credits: number;
  balance: number;
  replayed: boolean;
}

function usageEntryKey(idempotencyKey: string): string {
  return `usage:${idempotencyKey}`;
}

function requestHash(input: RecordUsageInput): string {
  const payload = {
    customerId: input.externalId,
    feature: input.feature,
    credits: input.credits ?? null,
    metadata: input.metadata ?? null,
  };
  return createHash('sha256').update(canonicalJson(payload)).digest('hex');
}

/** A refusal the product's backend is told about (402/403/404/409), counted by its code. */
const REFUSALS = new Set(['BLOCKED', 'NOT_ENTITLED', 'INSUFFICIENT_CREDITS', 'NOT_FOUND', 'CONFLICT', 'VALIDATION']);

export async function recordUsage(
  db: DbOrTx,
  input: RecordUsageInput,
  catalog: () => Promise<CatalogSnapshot> = () => loadCatalogSnapshot(db),
): Promise<RecordUsageResult> {
  try {
    const result = await chargeUsage(db, input, catalog);
    metrics.usage(result.replayed ? { outcome: 'replayed' } : { outcome: 'charged', credits: result.credits });
    return result;
  } catch (err) {
    metrics.usage(
      isAppError(err) && REFUSALS.has(err.code)
        ? { outcome: 'refused', reason: err.code.toLowerCase() }
        : { outcome: 'error' },
    );
    throw err;
  }
}

async function chargeUsage(
  db: DbOrTx,
  input: RecordUsageInput,
  catalog: () => Promise<CatalogSnapshot>,
): Promise<RecordUsageResult> {
  const hash = requestHash(input);
  const snapshot = await catalog();
  // The common case in one statement: a known feature that costs credits, on a customer whose
  // plan already includes it (overrides can only add to a plan, so they need not be read). The
  // statement declines (null) when the customer is unknown, on another plan, or the key was used:
  // then the general path below decides, with every rule and refusal in its usual order.
  const feature = snapshot.features.get(input.feature);
  const cost = input.credits ?? feature?.creditCost ?? 0;
  if (feature && cost > 0) {
    const plans = plansIncluding(snapshot, input.feature);
    const target = { externalId: input.externalId, plans, defaultPlan: snapshot.defaultPlan?.key ?? null };
    const fast = await consumeForUsage(db, input, target, cost, hash);
    if (fast) return fast;
  }
  const facts = await loadCustomerFeatureFacts(db, {
    externalId: input.externalId,
    feature: input.feature,
    idempotencyKey: input.idempotencyKey,
    now: new Date(),
  });
  // A retry is answered with the original result, whatever changed since (plan, block, balance).
  if (facts.earlier) {
    const earlier = facts.earlier;
    if (earlier.requestHash !== hash) throw keyConflict(earlier.idempotencyKey);
    return { usageId: earlier.id, credits: earlier.credits, balance: earlier.balance, replayed: true };
  }
  const customer = facts.customer;
  if (!customer) throw new AppError('NOT_FOUND', `No customer with externalId "${input.externalId}"`);
  const resolved = entitlementFromFacts(snapshot, customer, input.feature);
  if (!resolved) throw new AppError('NOT_FOUND', `Unknown feature "${input.feature}"`);
  const { entitlement, plan } = resolved;
  if (resolved.blocked) throw new AppError('BLOCKED', 'The customer is blocked');
  if (!isEntitled(entitlement.value)) {
    throw new AppError('NOT_ENTITLED', `The ${plan?.name ?? 'current'} plan does not include ${input.feature}`, {
      feature: input.feature,
      plan: plan?.key ?? null,
    });
  }
  const credits = input.credits ?? entitlement.creditCost ?? 0;
  try {
    return credits > 0
      ? (await consumeForUsage(db, input, { customerId: customer.id }, credits, hash))!
      : await recordFreeUsage(db, input, customer.id, randomUUID(), hash);
  } catch (err) {
    // The same key raced in for another customer, or as a free use.
    if (isUniqueViolation(err)) throw keyConflict(input.idempotencyKey);
    throw err;
  }
}

/**
 * The draw and the usage row in one statement (usage-draws.ts): atomic without a transaction round
 * trip, and the row lock is held for exactly one statement. The usage row is only written when
 * the draw posted. Null when a target by external id did not qualify (nothing was written).
 */
async function consumeForUsage(
  db: DbOrTx,
  input: RecordUsageInput,
  target: UsageTarget,
  credits: number,
  hash: string,
): Promise<RecordUsageResult | null> {
  const usageId = randomUUID();
  const byId = 'customerId' in target;
  const ctx: EntryContext = {
    type: 'usage',
    idempotencyKey: usageEntryKey(input.idempotencyKey),
    reason: `${input.feature} usage`,
    actor: input.actor,
    reference: usageId,
    referenceType: 'usage',
    // The charged feature wins over a "feature" the client put in its metadata.
    metadata: { ...input.metadata, feature: input.feature },
    requireActive: true,
  };
  const row = await drawForUsage(db, target, {
    request: ledgerRequest({ mode: 'draw', customerId: byId ? target.customerId : '', credits }, ctx),
    usageId,
    feature: input.feature,
    credits,
    idempotencyKey: input.idempotencyKey,
    hash,
    metadata: input.metadata ? JSON.stringify(input.metadata) : null,
  });
  if (!row) {
    if (byId) throw new AppError('NOT_FOUND', 'Customer not found');
    return null;
  }
  const movement: Movement = { mode: 'draw', customerId: row.customer_id, credits };
  let posted;
  try {
    posted = readOutcome(row.r, movement, ctx);
  } catch (err) {
    if (isUniqueViolation(err)) throw keyConflict(input.idempotencyKey);
    throw err;
  }
  if (!posted) throw new AppError('INTERNAL', 'A draw always posts or fails');
  if (posted.replayed) {
    // A concurrent request with this key posted first; we waited on its lock, so its row is visible.
    const usage = await db.usage.findUnique({ where: { idempotencyKey: input.idempotencyKey } });
    if (!usage) throw keyConflict(input.idempotencyKey);
    return replay(db, usage, hash);
  }
  return { usageId, credits, balance: posted.entry.balanceAfter, replayed: false };
}

/** Free uses post no entry: the customer row lock still orders them and re-checks the block. */
async function recordFreeUsage(
  db: DbOrTx,
  input: RecordUsageInput,
  customerId: string,
  usageId: string,
  hash: string,
): Promise<RecordUsageResult> {
  return inTransaction(db, async (tx) => {
    const rows = await tx.$queryRaw<Array<{ balance: number; status: string }>>`
      SELECT balance, status::text AS status FROM customer WHERE id = ${customerId}::uuid FOR NO KEY UPDATE`;
    if (rows[0]?.status === 'blocked') throw new AppError('BLOCKED', 'The customer is blocked');
    const earlier = await tx.usage.findUnique({ where: { idempotencyKey: input.idempotencyKey } });
    if (earlier) return replay(tx, earlier, hash);
    await tx.usage.create({
      data: {
        id: usageId,
        customerId,
        feature: input.feature,
        credits: 0,
        idempotencyKey: input.idempotencyKey,
        requestHash: hash,
        metadata: jsonColumn(input.metadata) as Prisma.InputJsonValue | undefined,
      },
    });
    return { usageId, credits: 0, balance: rows[0]?.balance ?? 0, replayed: false };
  });
}

async function replay(db: DbOrTx, usage: Usage, hash: string): Promise<RecordUsageResult> {
  if (usage.requestHash !== hash) throw keyConflict(usage.idempotencyKey);
  const entry = usage.entryId
    ? await db.ledgerEntry.findUnique({ where: { id: usage.entryId }, select: { balanceAfter: true } })
    : null;
  const balance =
    entry?.balanceAfter ??
    (await db.customer.findUnique({ where: { id: usage.customerId }, select: { balance: true } }))?.balance ??
    0;
  return { usageId: usage.id, credits: usage.credits, balance, replayed: true };
}

function keyConflict(idempotencyKey: string): AppError {
  return new AppError('CONFLICT', `Idempotency key "${idempotencyKey}" was already used with a different request`, {
    idempotencyKey,
  });
}
