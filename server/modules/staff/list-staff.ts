import type { Db } from '../../db/client.ts';

export async function listStaff(prisma: Db) {
  const users = await prisma.user.findMany({
    orderBy: { createdAt: 'asc' },
    select: { id: true, email: true, name: true, role: true, banned: true, createdAt: true },
  });
  return users.map((u) => ({ ...u, banned: u.banned ?? false }));
}
