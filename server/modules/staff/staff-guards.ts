import type { DbOrTx } from '../../db/tx.ts';
import { AppError } from '../../lib/app-error.ts';

export async function findStaffOrThrow(db: DbOrTx, userId: string) {
  const user = await db.user.findUnique({ where: { id: userId } });
  if (!user) throw new AppError('NOT_FOUND', 'No staff member with this id');
  return user;
}

/**
 * The last active admin can be neither demoted nor disabled: nobody could then manage staff,
 * the catalog or API keys. Called inside the changing transaction, after locking the admins.
 */
export async function assertNotLastAdmin(db: DbOrTx, userId: string): Promise<void> {
  // Lock every active admin row so two concurrent demotions cannot both pass the count.
  const admins = await db.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM "user" WHERE role = 'admin' AND COALESCE(banned, false) = false FOR UPDATE`;
  if (admins.length <= 1 && admins.some((a) => a.id === userId)) {
    throw new AppError('CONFLICT', 'This is the last active admin: make someone else admin first');
  }
}
