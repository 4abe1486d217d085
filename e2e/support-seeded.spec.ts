// The demo seed's support cases (one customer per case of PRODUCT.md, server/seed/
// demo-support-cases.ts), as a support agent meets them: search the email, read the verdict,
// apply the repair, see the balance corrected and the repair in the timeline. The time from
// typing the email to the verdict on screen is written to bench/results/support-e2e-seeded-*.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signIn } from './fixtures';
import { balanceIs, openByEmail, repair, trpc, type Person } from './support-fixtures';

const seeded = (slug: string, name: string): Person => ({
  userId: `demo_case_${slug.replace(/-/g, '_')}`,
  email: `case-${slug}@demo.example`,
  name,
});
const timings: Array<{ case: string; emailToVerdictMs: number }> = [];

test.afterAll(() => {
  if (!timings.length) return;
  const dir = path.resolve('bench/results');
  mkdirSync(dir, { recursive: true });
  const at = new Date().toISOString();
  writeFileSync(
    path.join(dir, `support-e2e-seeded-${at.replace(/[:.]/g, '-')}.json`),
    JSON.stringify({ bench: 'support-e2e-seeded', at, timings }, null, 2) + '\n',
  );
  console.log(timings.map((t) => `${t.case}: email to verdict ${t.emailToVerdictMs} ms`).join('\n'));
});

async function open(page: Page, who: Person, label: string) {
  timings.push({ case: label, emailToVerdictMs: await openByEmail(page, who) });
  return page.getByTestId('verdict');
}

async function inTimeline(page: Page, text: string) {
  await page.getByRole('tab', { name: 'Timeline' }).click();
  await expect(page.getByRole('list', { name: 'Timeline, newest first' }).getByText(text).first()).toBeVisible();
}

test('seeded: paid but never delivered — fetch and apply', async ({ page }) => {
  await signIn(page, 'support');
  const verdict = await open(page, seeded('not-delivered', 'Nadia Notdelivered'), 'webhook never delivered');
  await expect(verdict).toContainText('never reached us');
  await balanceIs(page, '1,000');
  await repair(page, 'Fetch and apply the event', 'Ticket: paid but got no credits');
  await balanceIs(page, '2,000');
  await inTimeline(page, 'Fetched from Stripe by staff');
});

test('seeded: delivered but failed on an unknown price — admin repairs it from the verdict, dry run first', async ({
  page,
}) => {
  const who = seeded('unknown-price', 'Uma Unknownprice');
  await signIn(page, 'support');
  const verdict = await open(page, who, 'delivered but failed (unknown price)');
  // What was bought and paid, in words; no Reprocess while it could only fail.
  await expect(verdict).toContainText(
    'Paid €12.00 for “Spring promo: 1,500 credits”, which the catalog does not sell yet',
  );
  await expect(verdict.getByRole('button', { name: 'Reprocess the event' })).toHaveCount(0);
  await expect(verdict).toContainText('Only an admin can add a price to the catalog');
  const price = /(price_[A-Za-z0-9_]+)/.exec((await verdict.textContent()) ?? '')?.[1];
  expect(price).toBeTruthy();
  const before = Number((await page.getByTestId('customer-balance').textContent())!.replace(/,/g, ''));

  // The admin, on the same page: one click opens the repair, already set to a new pack made from
  // the one-time price (name and credits from it), with the dry run on screen before any save.
  await signIn(page, 'admin');
  await openByEmail(page, who);
  await verdict.getByRole('button', { name: 'Add “Spring promo: 1,500 credits” to the catalog' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add “Spring promo: 1,500 credits” to the catalog' });
  await expect(dialog.getByLabel('Sells')).toHaveValue('new_pack');
  await expect(dialog.getByLabel('Pack name')).toHaveValue('Spring promo: 1,500 credits');
  await expect(dialog.getByLabel('Credits it grants')).toHaveValue('1500');
  await expect(dialog.getByRole('status').first()).toContainText(
    'Reprocessing would make +1,500 credits in 1 ledger entry',
  );
  // Shown first: nothing is saved while the dry run is on screen.
  const pending = await trpc<{ mappedTo: unknown }>(page, 'catalogAdmin.priceToMap', { priceId: price });
  expect(pending.mappedTo).toBeNull();
  await expect(page.getByTestId('customer-balance')).toHaveText(before.toLocaleString('en-US'));
  await expectAccessible(page);

  await dialog.getByLabel(/^Reason/).fill('Spring promo launched by marketing');
  await dialog.getByRole('button', { name: 'Save and apply 1 waiting payment' }).click();
  await expect(dialog.getByText('1 of 1 reprocessed · 1 applied · 0 not applied')).toBeVisible({ timeout: 20_000 });
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toHaveCount(0);

  await balanceIs(page, (before + 1500).toLocaleString('en-US'));
  await expect(verdict).not.toContainText('which the catalog does not sell yet');
  await inTimeline(page, 'stripe_event.reprocess');
});

test('seeded: a payment link without a user id — link and reprocess', async ({ page }) => {
  await signIn(page, 'support');
  const verdict = await open(page, seeded('no-user-id', 'Noah Nouserid'), 'no user id');
  await expect(verdict).toContainText('reached us without a user id');
  const before = Number((await page.getByTestId('customer-balance').textContent())!.replace(/,/g, ''));
  await repair(page, 'Link to this customer and reprocess', 'Paid through our link with the account email');
  await balanceIs(page, (before + 1000).toLocaleString('en-US'));
  await inTimeline(page, 'stripe_event.link_customer');
});

test('seeded: SEPA debit still pending — nothing to do yet', async ({ page }) => {
  await signIn(page, 'support');
  const verdict = await open(page, seeded('pending', 'Paula Pending'), 'delayed payment pending');
  await expect(verdict).toHaveAttribute('data-status', 'waiting');
  await expect(verdict).toContainText('nothing to do yet');
  await expect(verdict).toContainText('credits arrive automatically when the bank confirms');
});

test('seeded: blocked after disputes — support sees why; finance unblocks', async ({ page }) => {
  const who = seeded('blocked', 'Boris Blocked');
  await signIn(page, 'support');
  const verdict = await open(page, who, 'blocked after disputes');
  await expect(verdict).toContainText('Blocked since');
  await expect(verdict).toContainText('4 disputes');
  await expect(verdict).toContainText('Unblocking needs the finance or admin role');
  // Issue 16: who, by name, and no link to a page where the button is disabled too.
  await expect(verdict).toContainText(
    'Ask Alex Admin (admin@creditdesk.demo) or Fran Finance (finance@creditdesk.demo) to open this customer',
  );
  await expect(verdict.getByRole('link', { name: 'Open the Blocks page' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Unblock' })).toHaveCount(0);

  await signIn(page, 'finance');
  await openByEmail(page, who);
  await repair(page, 'Unblock the customer', 'Reviewed with the bank: unblock');
  await expect(page.getByTestId('customer-status')).toContainText('active');
  await inTimeline(page, 'Customer unblocked');
});

test('seeded: balance lower than expected — explained in numbers', async ({ page }) => {
  await signIn(page, 'support');
  const verdict = await open(page, seeded('low-balance', 'Lena Lowbalance'), 'balance lower than expected');
  await balanceIs(page, '200');
  await expect(verdict).toContainText('not only usage took credits');
  const breakdown = verdict.getByRole('table', { name: 'Balance breakdown' });
  await expect(breakdown.getByRole('row', { name: /Expired/ })).toContainText('-100');
  await expect(breakdown.getByRole('row', { name: /Used: chat/ })).toContainText('-300');
  await expect(breakdown.getByRole('row', { name: /Clawed back/ })).toContainText('-500');
});

test('timeline filters: the kinds shown and the usage bucket live in the URL and survive a reload', async ({
  page,
}) => {
  await signIn(page, 'support');
  await openByEmail(page, seeded('low-balance', 'Lena Lowbalance'));
  await page.getByRole('tab', { name: 'Timeline' }).click();
  const stream = page.getByRole('list', { name: 'Timeline, newest first' });
  const kinds = page.getByRole('group', { name: 'Show only' });
  await expect(stream.locator('li[data-kind="usage"]').first()).toBeVisible();

  await kinds.getByRole('button', { name: 'Ledger' }).click();
  await expect(page).toHaveURL(/[?&]kinds=ledger(&|$)/);
  await expect(stream.locator('li[data-kind="ledger"]').first()).toBeVisible();
  await expect(stream.locator(':scope > li:not([data-kind="ledger"])')).toHaveCount(0);
  await page.getByLabel('Usage per').selectOption('day');
  await expect(page).toHaveURL(/[?&]bucket=day(&|$)/);

  await page.reload();
  await expect(kinds.getByRole('button', { name: 'Ledger' })).toHaveAttribute('aria-pressed', 'true');
  await expect(kinds.getByRole('button', { name: 'Everything' })).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByLabel('Usage per')).toHaveValue('day');
  await expect(stream.locator(':scope > li:not([data-kind="ledger"])')).toHaveCount(0);

  await kinds.getByRole('button', { name: 'Everything' }).click();
  await expect(page).not.toHaveURL(/kinds=/);
  await expect(stream.locator('li[data-kind="usage"]').first()).toBeVisible();
});
