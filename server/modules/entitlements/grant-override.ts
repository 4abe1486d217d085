// Per-customer exceptions an admin makes: a permanent override (no end date) or a temporary grant
// (ends at expiresAt). They can only add: the most generous of plan and overrides wins.
import { inTransaction, type DbOrTx } from '../../db/tx.ts';
import type { EntitlementValue } from '../../contracts/catalog.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { entitlementValues, resolveEntitlements } from './resolve-entitlements.ts';

export interface GrantOverrideInput {
  customerId: string;
  feature: string;
  value: EntitlementValue;
  expiresAt?: Date | null;
  reason: string;
  actor: Actor;
}

export async function grantOverride(db: DbOrTx, input: GrantOverrideInput) {
  if (!input.reason.trim()) throw new AppError('VALIDATION', 'A reason is required');
  if (input.expiresAt && input.expiresAt <= new Date()) {
    throw new AppError('VALIDATION', 'A temporary grant must end in the future');
  }
  return inTransaction(db, async (tx) => {
    const feature = await tx.feature.findUnique({ where: { key: input.feature } });
    if (!feature) throw new AppError('NOT_FOUND', `Unknown feature "${input.feature}"`);
    if (feature.type === 'boolean' && input.value !== true) {
      throw new AppError('VALIDATION', `"${feature.key}" is an on/off feature: the value must be true`);
    }
    const before = await resolveEntitlements(tx, input.customerId);
    const override = await tx.customerOverride.create({
      data: {
        customerId: input.customerId,
        feature: feature.key,
        value: input.value,
        expiresAt: input.expiresAt ?? null,
        reason: input.reason,
        createdBy: input.actor.type === 'staff' ? input.actor.id : `${input.actor.type}:${input.actor.id}`,
      },
    });
    const after = await resolveEntitlements(tx, input.customerId);
    const kind = override.expiresAt ? 'temporary_grant' : 'override_granted';
    await tx.entitlementEvent.create({
      data: {
        customerId: input.customerId,
        kind,
        before: { entitlements: entitlementValues(before) },
        after: { entitlements: entitlementValues(after), overrideId: override.id },
        reason: input.reason,
        reference: override.id,
      },
    });
    await recordAudit(tx, {
      actor: input.actor,
      action: `entitlement.${kind}`,
      targetType: 'customer_override',
      targetId: override.id,
      customerId: input.customerId,
      after: { feature: override.feature, value: input.value, expiresAt: override.expiresAt },
      reason: input.reason,
    });
    return override;
  });
}
