// Ends an override or temporary grant early. The row stays (revokedAt) for the timeline.
import { inTransaction, type DbOrTx } from '../../db/tx.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { entitlementValues, resolveEntitlements } from './resolve-entitlements.ts';

export async function revokeOverride(db: DbOrTx, input: { overrideId: string; reason: string; actor: Actor }) {
  if (!input.reason.trim()) throw new AppError('VALIDATION', 'A reason is required');
  return inTransaction(db, async (tx) => {
    const override = await tx.customerOverride.findUnique({ where: { id: input.overrideId } });
    if (!override) throw new AppError('NOT_FOUND', 'Override not found');
    if (override.revokedAt) return override;
    const before = await resolveEntitlements(tx, override.customerId);
    const revoked = await tx.customerOverride.update({ where: { id: override.id }, data: { revokedAt: new Date() } });
    const after = await resolveEntitlements(tx, override.customerId);
    await tx.entitlementEvent.create({
      data: {
        customerId: override.customerId,
        kind: 'override_revoked',
        before: { entitlements: entitlementValues(before) },
        after: { entitlements: entitlementValues(after), overrideId: override.id },
        reason: input.reason,
        reference: override.id,
      },
    });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'entitlement.override_revoked',
      targetType: 'customer_override',
      targetId: override.id,
      customerId: override.customerId,
      before: { feature: override.feature, value: override.value, expiresAt: override.expiresAt },
      reason: input.reason,
    });
    return revoked;
  });
}
