import { expect, test } from '@playwright/test';
import { DEMO, expectAccessible, signIn, type DemoRole } from './fixtures';

const VISIBLE: Record<DemoRole, string[]> = {
  support: ['Customers', 'Webhooks', 'Disputes', 'Blocks', 'Settings'],
  finance: ['Customers', 'Webhooks', 'Refunds', 'Disputes', 'Blocks', 'Reports', 'Audit log', 'Settings'],
  admin: ['Customers', 'Webhooks', 'Refunds', 'Disputes', 'Blocks', 'Reports', 'Catalog', 'Audit log', 'Settings'],
};
const ALL = VISIBLE.admin;

test('the login page is accessible and refuses a wrong password', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
  await expectAccessible(page);
  await page.getByLabel('Email').fill(DEMO.support.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Email or password is not correct.');
});

for (const role of Object.keys(DEMO) as DemoRole[]) {
  test(`${role} signs in, sees only the navigation for the role, and signs out`, async ({ page }) => {
    await signIn(page, role);
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const label of ALL) {
      const link = nav.getByRole('link', { name: label, exact: true });
      if (VISIBLE[role].includes(label)) await expect(link).toBeVisible();
      else await expect(link).toHaveCount(0);
    }
    await expectAccessible(page);

    if (role !== 'admin') {
      // Typing the URL of an admin page: the page says no, and the server refuses the data.
      await page.goto('/catalog');
      await expect(page.getByText(`Your role (${role}) cannot open this page.`)).toBeVisible();
      const status = await page.evaluate(async () => (await fetch('/trpc/staff.list')).status);
      expect(status).toBe(403);
      // Settings holds only their own password.
      await page.goto('/settings');
      await expect(page.getByRole('form', { name: 'Change your password' })).toBeVisible();
      await expect(page.getByRole('cell', { name: DEMO.support.email })).toHaveCount(0);
    } else {
      await page.goto('/settings');
      await expect(page.getByRole('cell', { name: DEMO.support.email })).toBeVisible();
    }

    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto('/customers');
    await expect(page).toHaveURL(/\/login\?next=%2Fcustomers/);
  });
}

test('unknown pages show a 404 inside the app', async ({ page }) => {
  await signIn(page, 'support');
  await page.goto('/no-such-page');
  await expect(page.getByRole('heading', { name: 'There is no page at this address' })).toBeVisible();
});

test('keyboard: g w jumps to webhooks, ? lists shortcuts, Esc closes', async ({ page }) => {
  await signIn(page, 'support');
  await page.keyboard.press('g');
  await page.keyboard.press('w');
  await expect(page).toHaveURL(/\/webhooks/);
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.keyboard.press('Control+k');
  await page.getByLabel('Search commands').fill('disputes');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/disputes/);
});
