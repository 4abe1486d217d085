// Demo staff, one per role. Their passwords are public (README, `npm start` output), which is why
// the server refuses to start in production while any of them exists.
import type { Auth, StaffRole } from '../auth.ts';
import type { Db } from '../db/client.ts';

const DEMO_EMAIL_DOMAIN = 'creditdesk.demo';

export const DEMO_STAFF: ReadonlyArray<{ role: StaffRole; email: string; password: string; name: string }> = [
  { role: 'support', email: `support@${DEMO_EMAIL_DOMAIN}`, password: 'support-demo-pass', name: 'Sam Support' },
  { role: 'finance', email: `finance@${DEMO_EMAIL_DOMAIN}`, password: 'finance-demo-pass', name: 'Fran Finance' },
  { role: 'admin', email: `admin@${DEMO_EMAIL_DOMAIN}`, password: 'admin-demo-pass', name: 'Alex Admin' },
];

export async function seedDemoStaff(prisma: Db, auth: Auth): Promise<void> {
  for (const staff of DEMO_STAFF) {
    const exists = await prisma.user.findUnique({ where: { email: staff.email } });
    if (exists) continue;
    await auth.api.createUser({
      body: { email: staff.email, password: staff.password, name: staff.name, role: staff.role },
    });
  }
}

export async function hasDemoStaff(prisma: Db): Promise<boolean> {
  const count = await prisma.user.count({ where: { email: { endsWith: `@${DEMO_EMAIL_DOMAIN}` } } });
  return count > 0;
}
