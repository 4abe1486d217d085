// Support's manual grant or adjustment, through the ledger's own adjustCredits (which audits it).
// The reason is mandatory; the client's request id is the idempotency key, so a double submit or a
// retry after a timeout is one grant. Support may move at most the catalog's manualGrantFinanceAbove
// credits (either direction) to one customer within manualGrantWindowHours, counting what that staff
// member already moved there: five grants of 1,000 are refused like one of 5,000. The total is
// read and the grant written under the customer's row lock, so concurrent grants see each other.
// Finance and admin are not limited.
import { inTransaction, type DbOrTx } from '../../db/tx.ts';
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
  const customer = await db.customer.findUnique({ where: { id: input.customerId }, select: { id: true } });
  if (!customer) throw new AppError('NOT_FOUND', 'Customer not found');
  const { entry, replayed } = await inTransaction(db, async (tx) => {
    if (actor.role === 'support') {
      await tx.$queryRaw`SELECT id FROM customer WHERE id = ${customer.id}::uuid FOR UPDATE`;
      const replay = await tx.ledgerEntry.findUnique({ where: { idempotencyKey: `manual:${input.requestId}` } });
      if (!replay) await assertWithinSupportLimit(tx, customer.id, Math.abs(input.credits), actor.id);
    }
    return adjustCredits(tx, {
      customerId: customer.id,
      credits: input.credits,
      kind: input.kind,
      reason,
      idempotencyKey: `manual:${input.requestId}`,
      actor,
      expiresAt: input.expiresAt ?? null,
    });
  });
  return { entryId: entry.id.toString(), credits: entry.credits, balanceAfter: entry.balanceAfter, replayed };
}

/** Support's limit over the window: what this staff member already moved for the customer, plus this. */
async function assertWithinSupportLimit(tx: DbOrTx, customerId: string, size: number, staffId: string) {
  const rules = await getRules(tx);
  const since = new Date(Date.now() - rules.manualGrantWindowHours * 3_600_000);
  const [row] = await tx.$queryRaw<Array<{ moved: bigint | null }>>`
    SELECT sum(abs(credits)) AS moved FROM ledger_entry
     WHERE customer_id = ${customerId}::uuid AND actor_id = ${staffId}
       AND type IN ('grant', 'manual_adjustment') AND created_at >= ${since}`;
  const moved = Number(row?.moved ?? 0);
  if (moved + size > rules.manualGrantFinanceAbove) {
    throw new AppError(
      'FORBIDDEN',
      `Support can grant or adjust at most ${rules.manualGrantFinanceAbove} credits per customer in ` +
        `${rules.manualGrantWindowHours} hours; you already moved ${moved} for this customer. ` +
        'Ask finance or an admin for more.',
      {
        limit: rules.manualGrantFinanceAbove,
        windowHours: rules.manualGrantWindowHours,
        alreadyMoved: moved,
        requested: size,
      },
    );
  }
}
