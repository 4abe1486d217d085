// Settings -> API: the reference rendered from the served OpenAPI document, next to the keys.
import { expect, test } from '@playwright/test';
import { expectAccessible, signIn } from './fixtures';

test('an admin reads the service API reference in Settings, generated from the served OpenAPI document', async ({
  page,
}) => {
  await signIn(page, 'admin');
  await page.goto('/settings');
  const usage = page.locator('details').filter({ hasText: '/api/v1/usage' }).first();
  await expect(usage).toContainText('Charge credits for one use of a feature');
  await usage.locator('summary').click();
  await expect(usage).toContainText('idempotencyKey');
  await expect(usage).toContainText('insufficient_credits');
  await expect(page.getByRole('link', { name: 'OpenAPI 3.1 document' })).toHaveAttribute(
    'href',
    '/api/v1/openapi.json',
  );
  await expectAccessible(page);
});
