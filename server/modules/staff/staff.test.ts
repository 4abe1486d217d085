import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestContext } from '../../../test/deps.ts';
import { createContextInner } from '../../trpc/context.ts';
import { createCallerFactory } from '../../trpc/init.ts';
import { appRouter } from '../../trpc/router.ts';
import { seedDemoStaff } from '../../seed/demo-staff.ts';

let t: TestContext;
let adminId: string;
const caller = (role: 'support' | 'finance' | 'admin', id = `u-${role}`) =>
  createCallerFactory(appRouter)(
    createContextInner(t.deps, { id, email: `${role}@x.io`, name: role, role }, '10.1.1.1'),
  );

beforeAll(async () => {
  t = await createTestDeps();
  await seedDemoStaff(t.deps.prisma, t.deps.auth);
  adminId = (await t.deps.prisma.user.findUniqueOrThrow({ where: { email: 'admin@creditdesk.demo' } })).id;
});
afterAll(() => t?.db.drop());

describe('staff management', () => {
  it('creates a staff member who can sign in, audited without the password', async () => {
    const created = await caller('admin', adminId).staff.create({
      name: 'New Agent',
      email: 'Agent@Example.com',
      role: 'support',
      password: 'a-long-password',
    });
    expect(created.email).toBe('agent@example.com');
    const signIn = await t.deps.auth.api.signInEmail({
      body: { email: 'agent@example.com', password: 'a-long-password' },
    });
    expect(signIn.user.email).toBe('agent@example.com');
    const audit = await t.deps.prisma.auditLog.findFirstOrThrow({
      where: { action: 'staff.create', targetId: created.id },
    });
    expect(audit.actorId).toBe(adminId);
    expect(JSON.stringify(audit.after)).not.toContain('a-long-password');
    await expect(
      caller('admin', adminId).staff.create({
        name: 'Dup',
        email: 'agent@example.com',
        role: 'support',
        password: 'a-long-password',
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses staff management to support and finance', async () => {
    await expect(
      caller('support').staff.create({ name: 'X', email: 'x@x.io', role: 'admin', password: 'a-long-password' }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(caller('finance').staff.setRole({ userId: adminId, role: 'support' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('never removes the last admin, and disabling ends sessions and sign-in', async () => {
    const admin = caller('admin', 'someone-else');
    await expect(admin.staff.setRole({ userId: adminId, role: 'support' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('last active admin'),
    });
    await expect(admin.staff.setDisabled({ userId: adminId, disabled: true, reason: 'leaving' })).rejects.toMatchObject(
      { code: 'CONFLICT' },
    );

    const support = await t.deps.prisma.user.findUniqueOrThrow({ where: { email: 'support@creditdesk.demo' } });
    await admin.staff.setRole({ userId: support.id, role: 'admin' });
    // Two admins now: the first may be demoted.
    await expect(admin.staff.setRole({ userId: adminId, role: 'finance' })).resolves.toMatchObject({ changed: true });
    await expect(admin.staff.setRole({ userId: support.id, role: 'support' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await admin.staff.setRole({ userId: adminId, role: 'admin' });

    const finance = await t.deps.prisma.user.findUniqueOrThrow({ where: { email: 'finance@creditdesk.demo' } });
    await t.deps.auth.api.signInEmail({ body: { email: 'finance@creditdesk.demo', password: 'finance-demo-pass' } });
    expect(await t.deps.prisma.session.count({ where: { userId: finance.id } })).toBeGreaterThan(0);
    await admin.staff.setDisabled({ userId: finance.id, disabled: true, reason: 'left the company' });
    expect(await t.deps.prisma.session.count({ where: { userId: finance.id } })).toBe(0);
    await expect(
      t.deps.auth.api.signInEmail({ body: { email: 'finance@creditdesk.demo', password: 'finance-demo-pass' } }),
    ).rejects.toThrow();
    const audit = await t.deps.prisma.auditLog.findFirstOrThrow({
      where: { action: 'staff.disable', targetId: finance.id },
    });
    expect(audit.reason).toBe('left the company');
  });

  it('does not let an admin disable their own account', async () => {
    await expect(
      caller('admin', adminId).staff.setDisabled({ userId: adminId, disabled: true, reason: 'oops' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });
});

describe('staff directory (issue 16: names, not ids)', () => {
  it('gives every staff role the names behind the staff ids that records carry, and nothing secret', async () => {
    const dir = await caller('support').system.staffDirectory();
    const admin = dir.find((s) => s.id === adminId);
    expect(admin).toMatchObject({ email: 'admin@creditdesk.demo', role: 'admin', disabled: false });
    expect(admin?.name.length).toBeGreaterThan(0);
    expect(Object.keys(admin!).sort()).toEqual(['disabled', 'email', 'id', 'name', 'role']);
    expect((await caller('finance').system.staffDirectory()).length).toBe(dir.length);
  });
});
