// A staff member changes their own password: the current one proves it is them (a borrowed,
// unlocked screen is not enough), the new one meets the one policy (contracts/staff.ts), and every
// other session of theirs ends, so whoever else held one is out. The session that made the change
// stays signed in. Refusals change nothing.
import type { Auth } from '../../auth.ts';
import { changePasswordInput, type ChangePasswordInput } from '../../contracts/staff.ts';
import type { Db } from '../../db/client.ts';
import { TX_OPTIONS } from '../../db/tx.ts';
import { AppError } from '../../lib/app-error.ts';
import type { Actor } from '../../lib/actor.ts';
import { recordAudit } from '../audit/record-audit.ts';

/** The refusal the transport counts as a failed password guess (details.reason). */
export const WRONG_CURRENT_PASSWORD = 'wrong_current_password';

type StaffActor = Extract<Actor, { type: 'staff' }>;

export async function changeOwnPassword(
  prisma: Db,
  auth: Auth,
  actor: StaffActor,
  currentSessionId: string | undefined,
  input: ChangePasswordInput,
): Promise<{ otherSessionsEnded: number }> {
  // Checked here too, not only by the procedure's input: the policy holds for every caller.
  const parsed = changePasswordInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError('VALIDATION', issue.message, { field: String(issue.path[0] ?? '') });
  }
  const { currentPassword, newPassword } = parsed.data;
  const { password } = await auth.$context;

  const account = await prisma.account.findFirst({ where: { userId: actor.id, providerId: 'credential' } });
  if (!account?.password) throw new AppError('NOT_FOUND', 'Your account has no password to change');
  if (!(await password.verify({ hash: account.password, password: currentPassword }))) {
    throw new AppError('VALIDATION', 'Your current password is not correct', {
      field: 'currentPassword',
      reason: WRONG_CURRENT_PASSWORD,
    });
  }
  const newHash = await password.hash(newPassword);

  return prisma.$transaction(async (tx) => {
    // Compare-and-set on the hash we verified: of two concurrent changes only one applies.
    const { count } = await tx.account.updateMany({
      where: { id: account.id, password: account.password },
      data: { password: newHash },
    });
    if (count !== 1) throw new AppError('CONFLICT', 'Your password was changed meanwhile; sign in again');
    const ended = await tx.session.deleteMany({
      where: { userId: actor.id, ...(currentSessionId ? { id: { not: currentSessionId } } : {}) },
    });
    await recordAudit(tx, {
      actor,
      action: 'staff.password_change',
      targetType: 'staff',
      targetId: actor.id,
      after: { otherSessionsEnded: ended.count },
    });
    return { otherSessionsEnded: ended.count };
  }, TX_OPTIONS);
}
