// Who is who, for every signed-in staff member: ledger entries, blocks, refunds and audit records
// store a staff user's id, and pages show the name beside it (never a bare "JL9BSO…"). Names,
// emails and roles only; disabling and role changes stay admin-only (list-staff.ts).
import type { Db } from '../../db/client.ts';

export interface StaffDirectoryEntry {
  id: string;
  name: string;
  email: string;
  role: string | null;
  disabled: boolean;
}

export async function staffDirectory(prisma: Db): Promise<StaffDirectoryEntry[]> {
  const users = await prisma.user.findMany({
    orderBy: { name: 'asc' },
    select: { id: true, email: true, name: true, role: true, banned: true },
  });
  return users.map((u) => ({ id: u.id, name: u.name, email: u.email, role: u.role, disabled: u.banned ?? false }));
}
