// Finance refunds a credit pack from the customer's Payments tab: the calculator shows the formula
// with its numbers, finance lowers the amount, the confirm step restates the effect, the refund
// goes through the Stripe emulator, and the customer's balance and timeline show it. Then the
// Refunds page lists it as refunded, and Reports streams its CSV.
import { expect, test } from '@playwright/test';
import { expectAccessible, signIn } from './fixtures';
import { openByEmail, packSession, pay, person, stripe } from './support-fixtures';

test('finance refunds part of a pack through Stripe: balance reduced, refund in the timeline', async ({ page }) => {
  const who = person('refund_buyer');
  const paid = await pay(who, await packSession(who));
  const chargeId = paid.charge!.id;

  await signIn(page, 'finance');
  await openByEmail(page, who);
  await expect(page.getByTestId('customer-balance')).toHaveText('1,000');

  await page.getByRole('tab', { name: 'Payments' }).click();
  await page.getByRole('button', { name: 'Refund', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByTestId('refund-formula')).toHaveText(
    'Nothing used: full amount €10.00 − €0.00 already refunded = €10.00',
  );
  await expect(dialog.getByLabel('Amount (EUR)')).toHaveValue('10.00');
  await expectAccessible(page);

  // The refund contract holds the amount to the proposal while it is typed.
  await dialog.getByLabel('Amount (EUR)').fill('12.00');
  await expect(dialog.getByText('At most €10.00: the amount can be lowered, never raised')).toBeVisible();
  await expect(dialog.getByLabel('Amount (EUR)')).toHaveAttribute('aria-invalid', 'true');
  await dialog.getByLabel('Amount (EUR)').fill('6.00');
  await expect(dialog.getByText('Claws back 600 credits')).toBeVisible();
  await dialog.getByLabel('Reason Stripe records').selectOption('requested_by_customer');
  await dialog.getByLabel('Reason (recorded in the audit log)').fill('Customer changed plans (ticket 4711)');
  await dialog.getByRole('button', { name: 'Review refund' }).click();
  await expect(dialog.getByTestId('refund-effect')).toHaveText(`Refund €6.00 to ${chargeId}, claw back 600 credits.`);
  await dialog.getByRole('button', { name: 'Refund €6.00' }).click();

  await expect(page.getByText(/Refunded €6\.00 \(re_\w+\); 600 credits taken back/)).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('customer-balance')).toHaveText('400');

  const refunds = await stripe.refunds.list({ charge: chargeId });
  expect(refunds.data).toHaveLength(1);
  expect(refunds.data[0]).toMatchObject({ amount: 600, reason: 'requested_by_customer' });

  await page.getByRole('tab', { name: 'Timeline' }).click();
  const item = page
    .getByRole('list', { name: 'Timeline, newest first' })
    .getByRole('listitem')
    .filter({ hasText: '600 credits clawed back' })
    .first();
  await expect(item).toBeVisible();
  await expect(item).toContainText('Refund');
  await expect(item).toContainText('reason: Customer changed plans (ticket 4711)');

  await page.goto('/refunds?view=history');
  const row = page.getByRole('row').filter({ hasText: who.email });
  await expect(row).toContainText('refunded');
  await expect(row).toContainText('€6.00');
  await expectAccessible(page);

  await page.goto('/reports');
  await expect(page.getByRole('heading', { name: 'Revenue per month' })).toBeVisible();
  // The money axis steps evenly in whole euros (money-ticks.test.ts covers amounts where Recharts'
  // own ticks in cents would not).
  const revenue = page.locator('[data-slot="card"]', { has: page.getByRole('heading', { name: 'Revenue per month' }) });
  // The money axis's labels are the tick values that carry the currency (the other axis has months).
  const tickLabels = revenue.locator('.recharts-cartesian-axis-tick-value').filter({ hasText: '€' });
  await expect(tickLabels.nth(2)).toBeVisible();
  const ticks = (await tickLabels.allTextContents()).map((t) => Number(t.replace(/[^\d.]/g, '')));
  expect(ticks.length).toBeGreaterThanOrEqual(3);
  expect(ticks[0]).toBe(0);
  for (const [i, t] of ticks.entries()) {
    expect(Number.isInteger(t)).toBe(true);
    if (i > 0) expect(t - ticks[i - 1]!).toBe(ticks[1]! - ticks[0]!);
  }
  await page.getByRole('button', { name: 'Export Refunds as CSV' }).click();
  await expect(page.getByTestId('export-status')).toContainText(/Refunds: \d+ rows downloaded\./);
  await expectAccessible(page);
});
