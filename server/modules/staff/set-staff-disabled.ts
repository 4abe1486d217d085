import type { Db } from '../../db/client.ts';
import { TX_OPTIONS } from '../../db/tx.ts';
import { AppError } from '../../lib/app-error.ts';
import type { Actor } from '../../lib/actor.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { assertNotLastAdmin, findStaffOrThrow } from './staff-guards.ts';

/** Disabling bans the account in better-auth (sign-in refused) and ends its sessions at once. */
export async function setStaffDisabled(
  prisma: Db,
  actor: Actor,
  input: { userId: string; disabled: boolean; reason: string },
) {
  if (actor.type === 'staff' && actor.id === input.userId && input.disabled) {
    throw new AppError('CONFLICT', 'You cannot disable your own account');
  }
  return prisma.$transaction(async (tx) => {
    const user = await findStaffOrThrow(tx, input.userId);
    const wasDisabled = user.banned ?? false;
    if (wasDisabled === input.disabled) return { id: user.id, disabled: input.disabled, changed: false };
    if (input.disabled && user.role === 'admin') await assertNotLastAdmin(tx, user.id);
    await tx.user.update({
      where: { id: user.id },
      data: { banned: input.disabled, banReason: input.disabled ? input.reason : null, banExpires: null },
    });
    if (input.disabled) await tx.session.deleteMany({ where: { userId: user.id } });
    await recordAudit(tx, {
      actor,
      action: input.disabled ? 'staff.disable' : 'staff.enable',
      targetType: 'staff',
      targetId: user.id,
      before: { disabled: wasDisabled },
      after: { disabled: input.disabled },
      reason: input.reason,
    });
    return { id: user.id, disabled: input.disabled, changed: true };
  }, TX_OPTIONS);
}
