// Issue 16: signing in at http://127.0.0.1:<port> while PUBLIC_URL is http://localhost:<port> used
// to fail with "This account is disabled". Loopback aliases of the configured origin are accepted
// outside production; a refused origin is explained in words, never as a disabled account.
import { expect, test } from '@playwright/test';
import { DEMO } from './fixtures';

const PORT = Number(process.env.E2E_PORT ?? 3100);
const PUBLIC_URL = `http://localhost:${PORT}`;

test('signs in through 127.0.0.1 and works there', async ({ page }) => {
  await page.goto(`http://127.0.0.1:${PORT}/login`);
  await page.getByLabel('Email').fill(DEMO.support.email);
  await page.getByLabel('Password').fill(DEMO.support.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('role-badge')).toHaveText('support');
  expect(new URL(page.url()).host).toBe(`127.0.0.1:${PORT}`);
  // A mutation goes through too (the Origin check accepts the alias): sign out.
  await page.getByRole('button', { name: 'Account menu' }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
});

test('a refused origin says where to open Creditdesk, not "account disabled"', async ({ page }) => {
  // As if the page had been served from an address the server does not know (a LAN IP, say).
  // (The browser will not rewrite Origin itself, so the request is replayed with it from Node.)
  await page.route('**/api/auth/sign-in/email', async (route) => {
    const response = await route.fetch({
      headers: { ...route.request().headers(), origin: 'http://192.168.1.20:8080' },
    });
    await route.fulfill({ response });
  });
  await page.goto('/login');
  await page.getByLabel('Email').fill(DEMO.support.email);
  await page.getByLabel('Password').fill(DEMO.support.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText(`Open Creditdesk at ${PUBLIC_URL}`);
  await expect(alert).not.toContainText('disabled');
});
