import type { Db } from '../../db/client.ts';
import type { StaffRole } from '../../auth.ts';
import { TX_OPTIONS } from '../../db/tx.ts';
import type { Actor } from '../../lib/actor.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { assertNotLastAdmin, findStaffOrThrow } from './staff-guards.ts';

export async function setStaffRole(prisma: Db, actor: Actor, input: { userId: string; role: StaffRole }) {
  return prisma.$transaction(async (tx) => {
    const user = await findStaffOrThrow(tx, input.userId);
    if (user.role === input.role) return { id: user.id, role: input.role, changed: false };
    if (user.role === 'admin') await assertNotLastAdmin(tx, user.id);
    await tx.user.update({ where: { id: user.id }, data: { role: input.role } });
    // Sessions carry the role: end them so the new role applies at the next sign-in.
    await tx.session.deleteMany({ where: { userId: user.id } });
    await recordAudit(tx, {
      actor,
      action: 'staff.set_role',
      targetType: 'staff',
      targetId: user.id,
      before: { role: user.role },
      after: { role: input.role },
    });
    return { id: user.id, role: input.role, changed: true };
  }, TX_OPTIONS);
}
