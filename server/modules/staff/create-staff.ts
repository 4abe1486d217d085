import type { Auth } from '../../auth.ts';
import type { Db } from '../../db/client.ts';
import { AppError } from '../../lib/app-error.ts';
import type { Actor } from '../../lib/actor.ts';
import type { CreateStaffInput } from '../../contracts/staff.ts';
import { recordAudit } from '../audit/record-audit.ts';

export async function createStaff(prisma: Db, auth: Auth, actor: Actor, input: CreateStaffInput) {
  if (await prisma.user.findUnique({ where: { email: input.email } })) {
    throw new AppError('CONFLICT', `A staff member with ${input.email} already exists`);
  }
  // better-auth hashes the password and writes user + credential account.
  const { user } = await auth.api.createUser({
    body: { email: input.email, password: input.password, name: input.name, role: input.role },
  });
  await recordAudit(prisma, {
    actor,
    action: 'staff.create',
    targetType: 'staff',
    targetId: user.id,
    after: { email: input.email, name: input.name, role: input.role },
  });
  return { id: user.id, email: user.email, name: user.name, role: input.role };
}
