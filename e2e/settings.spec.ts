// Settings shows what it promises (issue 16): the Stripe connection as Stripe reports it (mode,
// account, the webhook endpoint pointed at us and its status) and the policies in force.
import { expect, test } from '@playwright/test';
import { expectAccessible, signIn } from './fixtures';

test('admin sees the Stripe connection and the policies in Settings', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/settings');
  const stripe = page.getByTestId('stripe-connection');
  await expect(stripe).toContainText('Emulator');
  await expect(stripe).toContainText('no real account');
  await expect(stripe).toContainText('/api/stripe/webhook');
  await expect(stripe.getByText('enabled', { exact: true })).toBeVisible();
  await expect(stripe).toContainText('Signing secrets1');
  const policies = page.getByTestId('policies');
  await expect(policies.getByRole('heading', { name: 'Refund policy' })).toBeVisible();
  await expect(policies.getByRole('heading', { name: 'Cancellation policy' })).toBeVisible();
  await expect(policies).toContainText('wait for a second approver');
  await expectAccessible(page);
});
