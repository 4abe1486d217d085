// Per-customer auto top-up settings and the plan defaults they fall back to. The ledger's write path
// (prisma/sql/functions/ledger_post_entry.sql, then outbound_on_balance_drop.sql) reads the same
// columns to decide a crossing in SQL; this is the TypeScript view of it for staff and the charging job.
import type { DbOrTx } from '../../db/tx.ts';
import { inTransaction } from '../../db/tx.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../audit/record-audit.ts';

export interface EffectiveAutoTopup {
  enabled: boolean;
  thresholdCredits: number | null;
  packKey: string | null;
  monthlyCap: number | null;
  paymentMethodId: string | null;
  pausedAt: Date | null;
  pausedReason: string | null;
}

export async function getAutoTopup(db: DbOrTx, customerId: string): Promise<EffectiveAutoTopup> {
  const customer = await db.customer.findUnique({ where: { id: customerId }, select: { planKey: true } });
  if (!customer) throw new AppError('NOT_FOUND', 'Customer not found');
  const [setting, plan] = await Promise.all([
    db.autoTopupSetting.findUnique({ where: { customerId } }),
    db.plan.findFirst({ where: customer.planKey ? { key: customer.planKey } : { isDefault: true } }),
  ]);
  return {
    enabled: setting?.enabled ?? false,
    thresholdCredits: setting?.thresholdCredits ?? plan?.autoTopupThreshold ?? null,
    packKey: setting?.packKey ?? plan?.autoTopupPackKey ?? null,
    monthlyCap: setting?.monthlyCap ?? plan?.autoTopupMonthlyCap ?? null,
    paymentMethodId: setting?.paymentMethodId ?? null,
    pausedAt: setting?.pausedAt ?? null,
    pausedReason: setting?.pausedReason ?? null,
  };
}

export interface SetAutoTopupInput {
  customerId: string;
  enabled: boolean;
  /** null: the plan's default. */
  thresholdCredits?: number | null;
  packKey?: string | null;
  monthlyCap?: number | null;
  paymentMethodId?: string | null;
  actor: Actor;
  reason: string;
}

/** Saves the settings; saving also resumes top-ups paused by a failed charge or the cap. */
export async function setAutoTopup(db: DbOrTx, input: SetAutoTopupInput) {
  if (input.packKey && !(await db.creditPack.findUnique({ where: { key: input.packKey } }))) {
    throw new AppError('VALIDATION', `Unknown credit pack "${input.packKey}"`, { field: 'packKey' });
  }
  return inTransaction(db, async (tx) => {
    const before = await tx.autoTopupSetting.findUnique({ where: { customerId: input.customerId } });
    const data = {
      enabled: input.enabled,
      ...(input.thresholdCredits !== undefined ? { thresholdCredits: input.thresholdCredits } : {}),
      ...(input.packKey !== undefined ? { packKey: input.packKey } : {}),
      ...(input.monthlyCap !== undefined ? { monthlyCap: input.monthlyCap } : {}),
      ...(input.paymentMethodId !== undefined ? { paymentMethodId: input.paymentMethodId } : {}),
      pausedAt: null,
      pausedReason: null,
    };
    const after = await tx.autoTopupSetting.upsert({
      where: { customerId: input.customerId },
      create: { customerId: input.customerId, ...data },
      update: data,
    });
    // Turned on, it must know what to buy and when: from the customer or the plan's defaults.
    const effective = await getAutoTopup(tx, input.customerId);
    if (effective.enabled && (effective.thresholdCredits == null || !effective.packKey)) {
      throw new AppError('VALIDATION', 'Set a threshold and a pack: the customer’s plan has no auto top-up default', {
        field: effective.packKey ? 'thresholdCredits' : 'packKey',
      });
    }
    await recordAudit(tx, {
      actor: input.actor,
      action: 'customer.auto_topup',
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

/** A paid checkout that asked for auto top-up: enabled with the plan's defaults, unpaused. */
export async function enableAutoTopupFromCheckout(tx: DbOrTx, customerId: string): Promise<void> {
  await tx.autoTopupSetting.upsert({
    where: { customerId },
    create: { customerId, enabled: true },
    update: { enabled: true, pausedAt: null, pausedReason: null },
  });
}
