// The product's backend reports one use of a feature: check and consume in one atomic step.
// Refusals are distinct (BLOCKED, NOT_ENTITLED, INSUFFICIENT_CREDITS) and charge nothing. The
// client's idempotency key makes retries safe: the same key with the same payload returns the
// original result (replayed: true); with another payload it is a CONFLICT. Under concurrency the
// ledger's customer row lock decides: one request posts, the others see its entry and replay.
import { createHash, randomUUID } from 'node:crypto';
import { inTransaction, type DbOrTx } from '../../db/tx.ts';
import type { Customer, Prisma, Usage } from '../../generated/prisma/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { canonicalJson, jsonColumn } from '../../lib/json.ts';
import { isUniqueViolation } from '../../lib/prisma-errors.ts';
import { isEntitled, resolveEntitlements } from '../entitlements/resolve-entitlements.ts';
import { consumeCredits } from './consume-credits.ts';

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

export function usageEntryKey(idempotencyKey: string): string {
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

export async function recordUsage(db: DbOrTx, input: RecordUsageInput): Promise<RecordUsageResult> {
  const hash = requestHash(input);
  const earlier = await db.usage.findUnique({ where: { idempotencyKey: input.idempotencyKey } });
  if (earlier) return replay(db, earlier, hash);

  const customer = await db.customer.findUnique({ where: { externalId: input.externalId } });
  if (!customer) throw new AppError('NOT_FOUND', `No customer with externalId "${input.externalId}"`);
  const resolved = await resolveEntitlements(db, customer);
  const entitlement = resolved.features[input.feature];
  if (!entitlement) throw new AppError('NOT_FOUND', `Unknown feature "${input.feature}"`);
  if (resolved.blocked) throw new AppError('BLOCKED', 'The customer is blocked');
  if (!isEntitled(entitlement.value)) {
    throw new AppError(
      'NOT_ENTITLED',
      `The ${resolved.plan?.name ?? 'current'} plan does not include ${input.feature}`,
      {
        feature: input.feature,
        plan: resolved.plan?.key ?? null,
      },
    );
  }
  const credits = input.credits ?? entitlement.creditCost ?? 0;
  const usageId = randomUUID();

  try {
    return await inTransaction(db, async (tx) => {
      let entryId: bigint | null = null;
      let balance: number;
      if (credits > 0) {
        const consumed = await consumeCredits(tx, {
          customerId: customer.id,
          credits,
          idempotencyKey: usageEntryKey(input.idempotencyKey),
          reason: `${input.feature} usage`,
          actor: input.actor,
          reference: usageId,
          referenceType: 'usage',
          metadata: { feature: input.feature, ...input.metadata },
          requireActive: true,
        });
        if (consumed.replayed) return replayAfterRace(tx, input.idempotencyKey, hash);
        entryId = consumed.entry.id;
        balance = consumed.entry.balanceAfter;
      } else {
        balance = await lockFreeUsage(tx, customer);
      }
      await tx.usage.create({
        data: {
          id: usageId,
          customerId: customer.id,
          feature: input.feature,
          credits,
          idempotencyKey: input.idempotencyKey,
          requestHash: hash,
          metadata: jsonColumn(input.metadata) as Prisma.InputJsonValue | undefined,
          entryId,
        },
      });
      return { usageId, credits, balance, replayed: false };
    });
  } catch (err) {
    // A free (0-credit) use raced with the same key for another customer.
    if (isUniqueViolation(err)) throw keyConflict(input.idempotencyKey);
    throw err;
  }
}

/** Free uses post no entry: the customer row lock still orders them and re-checks the block. */
async function lockFreeUsage(tx: DbOrTx, customer: Customer): Promise<number> {
  const rows = await tx.$queryRaw<Array<{ balance: number; status: string }>>`
    SELECT balance, status::text AS status FROM customer WHERE id = ${customer.id}::uuid FOR UPDATE`;
  if (rows[0]?.status === 'blocked') throw new AppError('BLOCKED', 'The customer is blocked');
  return rows[0]?.balance ?? 0;
}

async function replayAfterRace(tx: DbOrTx, idempotencyKey: string, hash: string): Promise<RecordUsageResult> {
  const usage = await tx.usage.findUnique({ where: { idempotencyKey } });
  if (!usage) throw keyConflict(idempotencyKey);
  return replay(tx, usage, hash);
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
