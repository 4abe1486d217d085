// Changing one's own password, on real PostgreSQL through the tRPC procedure and the domain function:
// the other sessions end (the current one stays), the policy and the current password are enforced
// with clear words, wrong current passwords are counted like failed sign-ins, and a refusal
// changes nothing (hash, sessions, audit).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDeps, type TestContext } from '../../../test/deps.ts';
import { SYSTEM_ACTOR } from '../../lib/actor.ts';
import { createContextInner } from '../../trpc/context.ts';
import { createCallerFactory } from '../../trpc/init.ts';
import { appRouter } from '../../trpc/router.ts';
import { changeOwnPassword } from './change-own-password.ts';
import { createStaff } from './create-staff.ts';

const EMAIL = 'pat@example.com';
const FIRST = 'first-password-of-pat';
let t: TestContext;
let userId: string;

beforeAll(async () => {
  t = await createTestDeps({ env: { LOGIN_MAX_FAILURES: '3' } });
  userId = (
    await createStaff(t.deps.prisma, t.deps.auth, SYSTEM_ACTOR, {
      name: 'Pat',
      email: EMAIL,
      role: 'support',
      password: FIRST,
    })
  ).id;
});
afterAll(() => t?.db.drop());

let password = FIRST;
let sessions: string[] = [];

/** Three signed-in browsers; the caller acts through the first. */
beforeEach(async () => {
  await t.deps.prisma.session.deleteMany({ where: { userId } });
  await t.deps.prisma.$executeRaw`DELETE FROM login_failure`;
  for (let i = 0; i < 3; i++) await t.deps.auth.api.signInEmail({ body: { email: EMAIL, password } });
  sessions = (await t.deps.prisma.session.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } })).map(
    (s) => s.id,
  );
  expect(sessions).toHaveLength(3);
});

const caller = (ip = '10.4.4.4') =>
  createCallerFactory(appRouter)(
    createContextInner(t.deps, { id: userId, sessionId: sessions[0], email: EMAIL, name: 'Pat', role: 'support' }, ip),
  );
const hash = async () =>
  (await t.deps.prisma.account.findFirstOrThrow({ where: { userId, providerId: 'credential' } })).password;
const audits = () => t.deps.prisma.auditLog.count({ where: { action: 'staff.password_change', targetId: userId } });
const signsIn = (pw: string) =>
  t.deps.auth.api.signInEmail({ body: { email: EMAIL, password: pw } }).then(
    () => true,
    () => false,
  );

/** Nothing changed: same hash, every session alive, no audit record. */
async function expectUnchanged(before: { hash: string | null; audits: number }) {
  expect(await hash()).toBe(before.hash);
  expect(await t.deps.prisma.session.count({ where: { userId } })).toBe(3);
  expect(await audits()).toBe(before.audits);
}

describe('changing my own password', () => {
  it('changes it, ends my other sessions, keeps this one, and audits without the password', async () => {
    const next = 'a-brand-new-passphrase';
    const result = await caller().account.changePassword({
      currentPassword: password,
      newPassword: next,
      confirmPassword: next,
    });
    expect(result).toEqual({ otherSessionsEnded: 2 });
    const left = await t.deps.prisma.session.findMany({ where: { userId } });
    expect(left.map((s) => s.id)).toEqual([sessions[0]]);
    expect(await signsIn(password)).toBe(false);
    expect(await signsIn(next)).toBe(true);
    const audit = await t.deps.prisma.auditLog.findFirstOrThrow({
      where: { action: 'staff.password_change', targetId: userId },
    });
    expect(audit.actorId).toBe(userId);
    expect(audit.ip).toBe('10.4.4.4');
    password = next;
    const recorded = JSON.stringify([audit.before, audit.after, audit.reason]);
    expect(recorded).toBe('[null,{"otherSessionsEnded":2},null]');
  });

  it.each([
    ['too short', 'short-pass1', 'At least 12 characters'],
    ['common', 'Password1234', 'This password is too common: choose another'],
  ])('refuses a weak new password (%s) with a clear message and changes nothing', async (_, weak, message) => {
    const before = { hash: await hash(), audits: await audits() };
    // Through the procedure (the form's contract) ...
    await expect(
      caller().account.changePassword({ currentPassword: password, newPassword: weak, confirmPassword: weak }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining(message) });
    // ... and straight into the domain function, which holds the policy for every caller.
    await expect(
      changeOwnPassword(
        t.deps.prisma,
        t.deps.auth,
        { type: 'staff', id: userId, email: EMAIL, role: 'support', ip: null },
        sessions[0],
        { currentPassword: password, newPassword: weak, confirmPassword: weak },
      ),
    ).rejects.toMatchObject({ code: 'VALIDATION', message });
    await expectUnchanged(before);
    expect(await signsIn(weak)).toBe(false);
  });

  it('refuses mismatched confirmation and reusing the current password', async () => {
    const before = { hash: await hash(), audits: await audits() };
    await expect(
      caller().account.changePassword({
        currentPassword: password,
        newPassword: 'another-good-passphrase',
        confirmPassword: 'another-good-passphrasf',
      }),
    ).rejects.toMatchObject({ message: expect.stringContaining('The passwords differ') });
    await expect(
      caller().account.changePassword({ currentPassword: password, newPassword: password, confirmPassword: password }),
    ).rejects.toMatchObject({ message: expect.stringContaining('Choose a new password') });
    await expectUnchanged(before);
  });

  it('refuses a wrong current password and changes nothing', async () => {
    const before = { hash: await hash(), audits: await audits() };
    const next = 'attacker-chosen-passphrase';
    await expect(
      caller().account.changePassword({ currentPassword: 'not-my-password', newPassword: next, confirmPassword: next }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: 'Your current password is not correct' });
    await expectUnchanged(before);
    expect(await signsIn(next)).toBe(false);
    expect(await signsIn(password)).toBe(true);
  });

  it('counts wrong current passwords like failed sign-ins: the limit then refuses even the right one', async () => {
    const next = 'attacker-chosen-passphrase';
    const before = { hash: await hash(), audits: await audits() };
    for (let i = 0; i < 3; i++) {
      await expect(
        caller('10.4.4.5').account.changePassword({
          currentPassword: `guess-${i}`,
          newPassword: next,
          confirmPassword: next,
        }),
      ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
    await expect(
      caller('10.4.4.5').account.changePassword({
        currentPassword: password,
        newPassword: next,
        confirmPassword: next,
      }),
    ).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    await expectUnchanged(before);
  });

  it('a weak new password is not counted as a guess', async () => {
    for (let i = 0; i < 5; i++) {
      await expect(
        caller('10.4.4.6').account.changePassword({
          currentPassword: password,
          newPassword: 'x',
          confirmPassword: 'x',
        }),
      ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
    const next = 'the-final-passphrase-ok';
    await expect(
      caller('10.4.4.6').account.changePassword({
        currentPassword: password,
        newPassword: next,
        confirmPassword: next,
      }),
    ).resolves.toEqual({ otherSessionsEnded: 2 });
    password = next;
  });
});
