// Support's manual grant or adjustment, through the ledger's own adjustCredits (which audits it).
// The reason is mandatory; the client's request id is the idempotency key, so a double submit or a
// retry after a timeout is one grant. Above the catalog's manualGrantFinanceAbove (in credits,
// either direction) it needs finance or admin: support is refused before anything is written.
import type { DbOrTx } from '../../db/tx.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { getRules } from '../catalog/get-rules.ts';
import { adjustCredits } from '../ledger/adjust-credits.ts';

export interface ManualGrantInput {
  customerId: string;
  credits: number;
  kind: 'grant' | 'adjustment';
  reason: string;
  requestId: string;
  expiresAt?: Date | null;
}

export async function manualGrant(db: DbOrTx, input: ManualGrantInput, actor: Actor) {
  if (actor.type !== 'staff') throw new AppError('FORBIDDEN', 'Manual grants are made by staff');
  const reason = input.reason.trim();
  if (reason.length < 5) throw new AppError('VALIDATION', 'Say why in a few words (5 characters or more)');
  const rules = await getRules(db);
  const size = Math.abs(input.credits);
  if (size > rules.manualGrantFinanceAbove && actor.role === 'support') {
    throw new AppError(
      'FORBIDDEN',
      `Grants and adjustments over ${rules.manualGrantFinanceAbove} credits need the finance or admin role`,
      { limit: rules.manualGrantFinanceAbove, requested: input.credits },
    );
  }
  const customer = await db.customer.findUnique({ where: { id: input.customerId }, select: { id: true } });
  if (!customer) throw new AppError('NOT_FOUND', 'Customer not found');
  const { entry, replayed } = await adjustCredits(db, {
    customerId: customer.id,
    credits: input.credits,
    kind: input.kind,
    reason,
    idempotencyKey: `manual:${input.requestId}`,
    actor,
    expiresAt: input.expiresAt ?? null,
  });
  return { entryId: entry.id.toString(), credits: entry.credits, balanceAfter: entry.balanceAfter, replayed };
}
