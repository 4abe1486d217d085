// The support desk, for each support case of PRODUCT.md: sign in as support, search the email,
// read the verdict, apply the repair, see the balance corrected and the repair in the timeline and
// the audit log. A finance-only repair is refused for support. The time from typing the email to
// the verdict on screen is measured for each case (bench/results/support-e2e-*.json).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signIn } from './fixtures';
import {
  balanceIs,
  driver,
  existingBuyer,
  openByEmail,
  packSession,
  pay,
  repair,
  stripe,
  trpc,
  untilFailed,
} from './support-fixtures';

const timings: Array<{ case: string; emailToVerdictMs: number }> = [];

test.afterAll(() => {
  if (!timings.length) return;
  const dir = path.resolve('bench/results');
  mkdirSync(dir, { recursive: true });
  const at = new Date().toISOString();
  writeFileSync(
    path.join(dir, `support-e2e-${at.replace(/[:.]/g, '-')}.json`),
    JSON.stringify({ bench: 'support-e2e', at, timings }, null, 2) + '\n',
  );
  console.log(timings.map((t) => `${t.case}: email to verdict ${t.emailToVerdictMs} ms`).join('\n'));
});

async function timeline(page: Page, text: string | RegExp) {
  await page.getByRole('tab', { name: 'Timeline' }).click();
  await expect(page.getByRole('list', { name: 'Timeline, newest first' }).getByText(text).first()).toBeVisible();
}

test('paid, but the webhook never reached us: fetch and apply the event', async ({ page }) => {
  const { who, cus } = await existingBuyer('never_delivered');
  const fault = await driver.setFault({ match: { type: 'checkout.session.completed' }, suppress: true });
  try {
    await pay(who, await packSession(who, { stripeCustomer: cus.id }));
  } finally {
    await driver.removeFault(fault.id);
  }

  await signIn(page, 'support');
  timings.push({ case: 'webhook never delivered', emailToVerdictMs: await openByEmail(page, who) });
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toContainText('never reached us');
  await balanceIs(page, '1,000');
  await expectAccessible(page);

  await repair(page, 'Fetch and apply the event', 'Customer paid twice, second pack missing');
  await balanceIs(page, '2,000');
  await expect(verdict).toContainText('Nothing is wrong with this account');
  await timeline(page, 'Fetched from Stripe by staff');
  await expect(page.getByText('stripe_event.fetch').first()).toBeVisible();
});

test('delivered, but processing failed on an unknown price: map it, then reprocess', async ({ page }) => {
  test.setTimeout(200_000);
  const { who, cus } = await existingBuyer('unknown_price');
  const product = await stripe.products.create({ name: 'Spring promo pack' });
  const price = await stripe.prices.create({ product: product.id, currency: 'eur', unit_amount: 900 });
  await pay(who, await packSession(who, { stripeCustomer: cus.id, price: price.id }));

  await signIn(page, 'support');
  await untilFailed(page, who);
  timings.push({ case: 'delivered but failed (unknown price)', emailToVerdictMs: await openByEmail(page, who) });
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toContainText('Paid €9.00 for “Spring promo pack”, which the catalog does not sell yet');
  await expect(verdict).toContainText(price.id);
  // Reprocessing could only fail again: not offered; support is told who can fix it.
  await expect(verdict.getByRole('button', { name: 'Reprocess the event' })).toHaveCount(0);
  await expect(verdict).toContainText(`ask an admin to add ${price.id}`);

  // The admin maps the price to the 1,000-credit pack (catalog export, edit, import), not reprocessing.
  await signIn(page, 'admin');
  const catalog = await trpc<{ creditPacks: Array<{ key: string; stripePriceIds: string[] }> }>(page, 'catalog.export');
  catalog.creditPacks.find((p) => p.key === 'pack_1000')!.stripePriceIds.push(price.id);
  await trpc(page, 'catalog.import', { catalog }, 'POST');

  await signIn(page, 'support');
  await openByEmail(page, who);
  await expect(verdict).toContainText('the catalog sells it now, reprocess to apply the payment');
  await repair(page, 'Reprocess the event', 'Price mapped by admin');
  await balanceIs(page, '2,000');
  await timeline(page, 'stripe_event.reprocess');
});

test('a payment without a user id: link it to the customer and reprocess', async ({ page }) => {
  const { who } = await existingBuyer('no_user_id');
  // Paid through a link that carries no user id: only the email says whose it is.
  await pay(who, await packSession(who, { withUserId: false }));

  await signIn(page, 'support');
  timings.push({ case: 'no user id', emailToVerdictMs: await openByEmail(page, who) });
  await expect(page.getByTestId('verdict')).toContainText('reached us without a user id');
  await repair(page, 'Link to this customer and reprocess', 'Same email as the account');
  await balanceIs(page, '2,000');
  await timeline(page, 'stripe_event.link_customer');
});

test('a delayed payment still pending: nothing to do yet, credits arrive when the bank confirms', async ({ page }) => {
  const { who, cus } = await existingBuyer('delayed_payment');
  const paid = await pay(who, await packSession(who, { stripeCustomer: cus.id }), 'delayed_success');

  await signIn(page, 'support');
  timings.push({ case: 'delayed payment pending', emailToVerdictMs: await openByEmail(page, who) });
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toHaveAttribute('data-status', 'waiting');
  await expect(verdict).toContainText('nothing to do yet');
  await expect(verdict.getByRole('button', { name: /reprocess|fetch|link/i })).toHaveCount(0);
  await balanceIs(page, '1,000');

  await driver.settlePayment(paid.payment_intent!.id, 'succeeded');
  await driver.waitForIdle();
  await expect(async () => {
    await page.reload();
    await balanceIs(page, '2,000');
  }).toPass({ timeout: 20_000 });
  await expect(verdict).toHaveAttribute('data-status', 'ok');
});

test('blocked after disputes: why and since when; support is told what unblocking takes, finance unblocks', async ({
  page,
}) => {
  const { who, cus } = await existingBuyer('blocked_disputes');
  const charges: string[] = [];
  for (let i = 0; i < 4; i++) {
    charges.push((await pay(who, await packSession(who, { stripeCustomer: cus.id }))).charge!.id);
  }
  for (const charge of charges) await driver.openDispute(charge, 'fraudulent');
  await driver.waitForIdle();

  await signIn(page, 'support');
  timings.push({ case: 'blocked after disputes', emailToVerdictMs: await openByEmail(page, who) });
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toContainText('Blocked since');
  await expect(verdict).toContainText('4 disputes');
  await expect(verdict).toContainText('Unblocking requires');
  await expect(verdict).toContainText('Unblocking needs the finance or admin role');
  await expect(page.getByTestId('customer-status')).toContainText('blocked');

  await signIn(page, 'finance');
  await openByEmail(page, who);
  await repair(page, 'Unblock the customer', 'Disputes were family members, confirmed by phone');
  await expect(page.getByTestId('customer-status')).toContainText('active');
  await timeline(page, 'Customer unblocked');
});

test('balance lower than expected: explained, a goodwill grant, and a finance-only grant refused to support', async ({
  page,
}) => {
  const { who, cus } = await existingBuyer('lower_balance');
  const second = await pay(who, await packSession(who, { stripeCustomer: cus.id }));
  await driver.refundFromDashboard(second.charge!.id, 500);
  await driver.waitForIdle();

  await signIn(page, 'support');
  timings.push({ case: 'balance lower than expected', emailToVerdictMs: await openByEmail(page, who) });
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toContainText('not only usage took credits');
  await expect(verdict.getByRole('table', { name: 'Balance breakdown' })).toContainText('Clawed back');

  await page.getByRole('button', { name: 'Manual grant' }).click();
  let dialog = page.getByRole('dialog');
  await dialog.getByLabel('Credits').fill('100');
  await dialog.getByLabel('Reason (recorded in the audit log)').fill('Goodwill after the refund confusion');
  await expect(dialog.getByTestId('grant-effect')).toContainText('Adds 100 credits');
  await dialog.getByRole('button', { name: 'Grant credits' }).click();
  await expect(dialog).toHaveCount(0);
  const after = await page.getByTestId('customer-balance').textContent();
  expect(after).toMatch(/^\d[\d,]*$/);
  await timeline(page, 'ledger.grant');

  // Over the catalog's limit (1,000 credits) a grant needs finance: support is refused by the server.
  await page.getByRole('button', { name: 'Manual grant' }).click();
  dialog = page.getByRole('dialog');
  await dialog.getByLabel('Credits').fill('5000');
  await dialog.getByLabel('Reason (recorded in the audit log)').fill('Trying a large grant');
  await expect(dialog.getByRole('alert')).toContainText('needs the finance or admin role');
  await dialog.getByRole('button', { name: 'Grant credits' }).click();
  // The limit is per customer over the catalog's window (24 h), counting what support already moved.
  await expect(
    page.getByText('Support can grant or adjust at most 1000 credits per customer in 24 hours').first(),
  ).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('customer-balance')).toHaveText(after!);
});

test('the repairs are in the audit log, which support cannot open', async ({ page }) => {
  await signIn(page, 'support');
  await page.goto('/audit');
  await expect(page.getByText('Your role (support) cannot open this page.')).toBeVisible();

  await signIn(page, 'admin');
  await page.goto('/audit?actor=support%40creditdesk.demo');
  const log = page.getByRole('table', { name: 'Audit records, newest first' });
  await expect(log).toBeVisible();
  for (const action of ['stripe_event.fetch', 'stripe_event.reprocess', 'stripe_event.link_customer', 'ledger.grant']) {
    await expect(log.getByRole('button', { name: action }).first()).toBeVisible();
  }
  await log.getByRole('button', { name: 'ledger.grant' }).first().click();
  await expect(page.getByRole('dialog')).toContainText('Goodwill after the refund confusion');
  await page.keyboard.press('Escape');
  await expectAccessible(page);
});

test('Ctrl-K finds a customer by a Stripe id and lands on the object', async ({ page }) => {
  const { who, cus } = await existingBuyer('palette');
  await signIn(page, 'support');
  await page.keyboard.press('Control+k');
  await page.getByLabel('Search commands').fill(cus.id);
  await expect(page.getByRole('option', { name: new RegExp(who.email) })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`highlight=${cus.id}`));
  await expect(page.getByRole('heading', { level: 1, name: who.name })).toBeVisible();
  await expectAccessible(page);
});
