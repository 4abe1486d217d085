// A staff member changes their own password in Settings: the policy and the current password are
// checked with clear words, their other browser is signed out, and the new password signs in while
// the old one no longer does. Uses a staff member created here, so no other spec depends on it.
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './fixtures';

const EMAIL = `pat-${Date.now()}@example.com`;
const FIRST = 'first-password-of-pat';
const NEXT = 'pats-new-long-passphrase';

async function signInAs(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('a staff member changes their password; other sessions end; the new one signs in', async ({ page, browser }) => {
  // An admin creates the staff member this spec owns.
  await signIn(page, 'admin');
  await page.goto('/settings');
  await page.getByRole('button', { name: 'Add staff member' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a staff member' });
  await dialog.getByLabel('Name').fill('Pat Password');
  await dialog.getByLabel('Email').fill(EMAIL);
  await dialog.getByLabel('Initial password').fill(FIRST);
  await dialog.getByRole('button', { name: 'Add staff member' }).click();
  await expect(page.getByRole('cell', { name: EMAIL })).toBeVisible();
  await page.context().clearCookies();

  // Pat is signed in on another computer too.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signInAs(otherPage, EMAIL, FIRST);
  await expect(otherPage.getByTestId('role-badge')).toHaveText('support');

  await signInAs(page, EMAIL, FIRST);
  await expect(page.getByTestId('role-badge')).toHaveText('support');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
  const form = page.getByRole('form', { name: 'Change your password' });

  // A common password is refused in words, before anything is sent.
  await form.getByLabel('Current password', { exact: true }).fill(FIRST);
  await form.getByLabel('New password', { exact: true }).fill('password1234');
  await form.getByLabel('Repeat the new password').fill('password1234');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByText('This password is too common: choose another')).toBeVisible();

  // A wrong current password is refused by the server, shown at its field.
  await form.getByLabel('Current password', { exact: true }).fill('not-my-password');
  await form.getByLabel('New password', { exact: true }).fill(NEXT);
  await form.getByLabel('Repeat the new password').fill(NEXT);
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByText('Your current password is not correct')).toBeVisible();

  await form.getByLabel('Current password', { exact: true }).fill(FIRST);
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Password changed; 1 other session was signed out')).toBeVisible();
  await expect(form.getByLabel('Current password', { exact: true })).toHaveValue('');

  // This browser stays signed in; the other one is out.
  await page.reload();
  await expect(page.getByTestId('role-badge')).toHaveText('support');
  await otherPage.goto('/customers');
  await expect(otherPage).toHaveURL(/\/login/);
  await other.close();

  // The old password no longer signs in; the new one does.
  await page.getByRole('button', { name: 'Account menu' }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await signInAs(page, EMAIL, FIRST);
  await expect(page.getByRole('alert')).toHaveText('Email or password is not correct.');
  await signInAs(page, EMAIL, NEXT);
  await expect(page.getByTestId('role-badge')).toHaveText('support');
});
