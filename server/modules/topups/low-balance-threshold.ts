// The per-customer credits.low threshold (customer.low_balance_threshold): support sets it for one
// customer, overriding the plan's. The ledger's write path (prisma/sql/functions/ledger_post_entry.sql)
// reads the same column with the customer row lock, so a new value applies from the next consume.
import type { DbOrTx } from '../../db/tx.ts';
import { inTransaction } from '../../db/tx.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../audit/record-audit.ts';

export interface LowBalanceThreshold {
  /** What credits.low uses: the customer's own value, else the plan's; null: never fires. */
  effective: number | null;
  /** The customer's own value; null: the plan's default applies. */
  customer: number | null;
  plan: number | null;
}

export async function getLowBalanceThreshold(db: DbOrTx, customerId: string): Promise<LowBalanceThreshold> {
  const c = await db.customer.findUnique({
    where: { id: customerId },
    select: { planKey: true, lowBalanceThreshold: true },
  });
  if (!c) throw new AppError('NOT_FOUND', 'Customer not found');
  const plan = await db.plan.findFirst({
    where: c.planKey ? { key: c.planKey } : { isDefault: true },
    select: { lowBalanceThreshold: true },
  });
  const planValue = plan?.lowBalanceThreshold ?? null;
  return { effective: c.lowBalanceThreshold ?? planValue, customer: c.lowBalanceThreshold, plan: planValue };
}

export async function setLowBalanceThreshold(
  db: DbOrTx,
  input: { customerId: string; threshold: number | null; actor: Actor; reason: string },
): Promise<LowBalanceThreshold> {
  // The contract checks this for the API; domain callers get the same refusal.
  if (input.threshold !== null && (!Number.isSafeInteger(input.threshold) || input.threshold < 0)) {
    throw new AppError('VALIDATION', 'The threshold must be a whole number of credits, 0 or more', {
      field: 'threshold',
    });
  }
  return inTransaction(db, async (tx) => {
    const before = await getLowBalanceThreshold(tx, input.customerId);
    await tx.customer.update({ where: { id: input.customerId }, data: { lowBalanceThreshold: input.threshold } });
    const after = await getLowBalanceThreshold(tx, input.customerId);
    await recordAudit(tx, {
      actor: input.actor,
      action: 'customer.low_balance_threshold',
      targetType: 'customer',
      targetId: input.customerId,
      customerId: input.customerId,
      before,
      after,
      reason: input.reason,
    });
    return after;
  });
}
