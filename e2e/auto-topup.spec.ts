// Auto top-up end to end: the product's backend sends its user to Checkout with "autoTopup" (the
// card is saved), support sets the threshold, usage takes the balance under it, the job charges
// the saved card off-session in the Stripe emulator, the webhook brings the credits, and support
// sees the top-up (and what the product was told) on the customer's timeline.
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { signIn } from './fixtures';
import { driver, person, trpc } from './support-fixtures';

test('a consume under the threshold buys the pack with the saved card; support sees it on the timeline', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  await signIn(page, 'admin');
  const { key } = await trpc<{ key: string }>(page, 'apiKeys.create', { name: `e2e topup ${randomUUID()}` }, 'POST');
  const auth = { authorization: `Bearer ${key}` };
  const who = person(`topup_${Date.now().toString(36)}`);
  const created = await request.put(`/api/v1/customers/${who.userId}`, {
    headers: auth,
    data: { email: who.email, name: who.name },
  });
  expect(created.ok(), await created.text()).toBe(true);
  const customerId = ((await created.json()) as { id: string }).id;

  const checkout = await request.post('/api/v1/checkout-sessions', {
    headers: auth,
    data: {
      customerId: who.userId,
      pack: 'pack_1000',
      autoTopup: true,
      successUrl: 'https://product.example.test/thanks',
      cancelUrl: 'https://product.example.test/billing',
    },
  });
  expect(checkout.ok(), await checkout.text()).toBe(true);
  await driver.payCheckoutSession(((await checkout.json()) as { id: string }).id, 'card_success', {
    email: who.email,
    name: who.name,
  });
  await driver.waitForIdle();
  const balance = async () =>
    (
      (await (await request.get(`/api/v1/customers/${who.userId}/balance`, { headers: auth })).json()) as {
        balance: number;
      }
    ).balance;
  await expect.poll(balance, { timeout: 20_000 }).toBe(1000);

  // Support turns it on from the customer's Entitlements tab (the checkout already enabled it; the
  // demo plans have no default threshold or pack, so one is set here).
  await page.goto(`/customers/${customerId}?tab=entitlements`);
  await page.getByLabel('Threshold (credits)').fill('500');
  await page.getByLabel('Pack', { exact: true }).fill('pack_1000');
  // Two cards on this tab ask for an audited reason; this one is the auto top-up's.
  await page.locator('#topup-reason').fill('customer asked for top-ups under 500');
  await page.getByRole('button', { name: 'Save auto top-up' }).click();
  await expect(page.getByText('Auto top-up saved')).toBeVisible();
  // The low-balance alert beside it is the same setting form: its contract refuses a threshold that
  // is no number, then a real one saves (300: the drop to 400 below stays above it).
  await page.locator('#low-threshold').fill('lots');
  await page.locator('#low-reason').fill('customer wants an early warning');
  await page.getByRole('button', { name: 'Save threshold' }).click();
  await expect(page.locator('#low-threshold')).toHaveAttribute('aria-invalid', 'true');
  await page.locator('#low-threshold').fill('300');
  await page.getByRole('button', { name: 'Save threshold' }).click();
  await expect(page.getByText('Low-balance threshold saved')).toBeVisible();

  const used = await request.post('/api/v1/usage', {
    headers: auth,
    data: { customerId: who.userId, feature: 'chat', credits: 600, idempotencyKey: `e2e-topup-${who.userId}` },
  });
  expect(used.ok(), await used.text()).toBe(true);
  // 1,000 - 600 = 400, under 500: the job charges 1,000 credits off-session; the webhook grants them.
  await expect.poll(balance, { timeout: 30_000 }).toBe(1400);

  await page.goto(`/customers/${customerId}`);
  await page.getByRole('tab', { name: 'Timeline' }).click();
  const timeline = page.getByRole('list', { name: 'Timeline, newest first' });
  await expect(timeline.getByText('Automatic top-up').first()).toBeVisible({ timeout: 20_000 });
  await expect(timeline.getByText(/Bought pack pack_1000 automatically/).first()).toBeVisible();
  await expect(timeline.getByText('Told the product: topup.succeeded').first()).toBeVisible();
});
