// The admin screens end to end: creating a plan in the catalog editor (problems on their fields,
// the review, a new version), mapping an unknown Stripe price from the mapping helper and then
// reprocessing the event that waited on it (dry run first), support reprocessing a failed event
// from the webhook monitor, and the API key and customer override screens. Failed events are made
// the real way: a customer pays in the Stripe emulator with a price the catalog does not know.
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signIn } from './fixtures';
import { existingBuyer, packSession, pay, stripe, trpc, untilFailed, type Person } from './support-fixtures';

const run = Date.now().toString(36);

/** The axe check, once the confirmation toasts are dismissed (they are the shell's, not these screens'). */
async function accessible(page: Page) {
  const toasts = page.locator('[data-sonner-toast]');
  for (const close of await page.getByRole('button', { name: 'Close toast' }).all()) {
    await close.click({ force: true }).catch(() => undefined);
  }
  await expect(toasts).toHaveCount(0, { timeout: 15_000 });
  await expectAccessible(page);
}

/** A paid checkout for a price no plan or pack sells: its event fails with "unknown price". */
async function unknownPricePurchase(slug: string): Promise<{ who: Person; priceId: string }> {
  const { who, cus } = await existingBuyer(slug);
  const product = await stripe.products.create({ name: `Promo ${slug} ${run}` });
  const price = await stripe.prices.create({ product: product.id, currency: 'eur', unit_amount: 900 });
  await pay(who, await packSession(who, { stripeCustomer: cus.id, price: price.id }));
  return { who, priceId: price.id };
}

async function reprocessFromDialog(page: Page, reason: string) {
  const dialog = page.getByRole('dialog');
  // The dry run comes first: what would happen, before anything does.
  await expect(dialog.getByRole('status').first()).toContainText(
    'Reprocessing would make +1,000 credits in 1 ledger entry',
  );
  await expect(dialog.getByRole('table', { name: 'Dry run by event' })).toContainText('processed');
  await dialog.getByLabel('Reason (recorded in the audit log with each event)').fill(reason);
  await dialog.getByRole('button', { name: 'Reprocess event' }).click();
  await expect(dialog.getByText('1 of 1 reprocessed · 1 applied · 0 not applied')).toBeVisible({ timeout: 20_000 });
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toHaveCount(0);
}

test('an admin creates a plan: problems show on their fields, the review names the change, a version is kept', async ({
  page,
}) => {
  await signIn(page, 'admin');
  await page.goto('/catalog?tab=plans');
  await expect(page.getByRole('table', { name: 'Plans' })).toBeVisible();
  await accessible(page);

  await page.getByRole('button', { name: 'Add plan' }).click();
  const row = page.getByRole('table', { name: 'Plans' }).getByRole('row').last();
  await row.getByLabel(/^Name of/).fill('Team');
  await page.getByLabel('Key of Team').fill('Team Plan');
  // The server checks the draft as it is typed; the problem shows under the field.
  await expect(row.getByText('use lowercase letters, digits and _')).toBeVisible();
  await expect(page.getByRole('tab', { name: /Plans/ }).getByLabel(/problems/)).toBeVisible();

  const key = `team_${run}`;
  await page.getByLabel('Key of Team').fill(key);
  await page.getByLabel('Monthly credits of Team').fill('3000');
  await page.getByLabel('Stripe price ids of Team').fill(`price_team_${run}`);
  await page.getByLabel('Team: Chat', { exact: true }).check();
  await page.getByLabel('Team: Image generation', { exact: true }).check();
  await expect(row.getByText('use lowercase letters, digits and _')).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Unsaved changes' })).not.toContainText('problem');

  await page.getByRole('button', { name: 'Review and save' }).click();
  const review = page.getByRole('dialog', { name: 'Review and save the catalog' });
  await expect(review.getByText(`New plan ${key}`)).toBeVisible();
  await expect(review.getByText(`price_team_${run} now sells plan ${key}`)).toBeVisible();
  await accessible(page);
  await review.getByLabel('Reason (recorded with this version)').fill('Launch the Team plan');
  await review.getByRole('button', { name: 'Save catalog' }).click();
  await expect(page.getByText(/Catalog saved as version \d+$/)).toBeVisible();
  await expect(review).toHaveCount(0);
  await expect(page.getByLabel('Monthly credits of Team')).toHaveValue('3000');

  await page.getByRole('tab', { name: 'Versions' }).click();
  const newest = page.getByRole('table', { name: 'Catalog versions' }).getByRole('row').nth(1);
  await expect(newest).toContainText('current');
  // Numbered per catalog (issue 16): the demo's import is version 1, so this save is at least 2.
  await expect(newest).toContainText(/Version ([2-9]|\d{2,})/);
  await expect(newest).toContainText('edited');
  await expect(newest).toContainText('Launch the Team plan (plans: +1 ~0 -0)');
  // The page's header names the same number as the current row (not the audit record's id).
  const number = /Version (\d+)/.exec((await newest.textContent()) ?? '')![1];
  await expect(
    page.getByText(`What customers can buy and what each purchase unlocks. Version ${number}.`),
  ).toBeVisible();
  await accessible(page);
});

test('the catalog draft: a renamed feature keeps its plans, rules are checked as typed, discard restores', async ({
  page,
}) => {
  await signIn(page, 'admin');
  await page.goto('/catalog?tab=features');
  const status = page.getByRole('status').filter({ hasText: 'Unsaved changes' });
  await page.getByLabel('Key of Chat').fill('chat_v2');
  await expect(status).toBeVisible();
  // The plans' entitlements follow the new key: still included, nothing unknown.
  await page.getByRole('tab', { name: 'Plans' }).click();
  await expect(page.getByLabel('Pro: Chat', { exact: true })).toBeChecked();
  await expect(page.getByText(/unknown feature/)).toHaveCount(0);

  // The contract checks a rule as it is typed; the problem shows under the field and on the tab.
  await page.getByRole('tab', { name: /Rules/ }).click();
  await page.getByLabel('Disputes').fill('0');
  await expect(page.getByText('must be 1 or more')).toBeVisible();
  await expect(page.getByRole('tab', { name: /Rules/ }).getByLabel(/problems/)).toBeVisible();
  await page.getByLabel('Disputes').fill('2');
  await expect(page.getByText('must be 1 or more')).toHaveCount(0);
  await expect(status).not.toContainText('problem');

  await status.getByRole('button', { name: 'Discard changes' }).click();
  await expect(status).toHaveCount(0);
  await expect(page.getByLabel('Disputes')).toHaveValue('3');
  await page.getByRole('tab', { name: 'Features' }).click();
  await expect(page.getByLabel('Key of Chat')).toHaveValue('chat');

  // A file opened in the editor replaces the draft; its problems show on their fields at once.
  const file = await trpc<{ creditPacks: Array<{ name: string; credits: unknown }> }>(page, 'catalog.export');
  file.creditPacks[0]!.credits = 0;
  await page.getByRole('button', { name: 'Import JSON' }).click();
  const importing = page.getByRole('dialog', { name: 'Import catalog JSON' });
  await importing.getByLabel('Or paste the JSON').fill(JSON.stringify(file));
  await importing.getByRole('button', { name: 'Check' }).click();
  await importing.getByRole('button', { name: 'Open in the editor' }).click();
  await expect(status).toContainText('Unsaved changes (from a JSON file)');
  await page.getByRole('tab', { name: /Credit packs/ }).click();
  await expect(page.getByLabel(`Credits of ${file.creditPacks[0]!.name}`, { exact: true })).toHaveValue('0');
  await expect(page.getByRole('table', { name: 'Credit packs' }).getByText('must be 1 or more')).toBeVisible();
  await status.getByRole('button', { name: 'Discard changes' }).click();
  await expect(status).toHaveCount(0);
  await expect(page.getByRole('table', { name: 'Credit packs' }).getByText('must be 1 or more')).toHaveCount(0);
});

test('an admin maps an unknown price and reprocesses the event that waited on it, dry run first', async ({ page }) => {
  test.setTimeout(200_000);
  const { who, priceId } = await unknownPricePurchase('admin_map');

  await signIn(page, 'admin');
  await untilFailed(page, who);
  await page.goto('/catalog?tab=prices');
  const row = page.getByRole('table', { name: 'Unmapped Stripe prices' }).getByRole('row').filter({ hasText: priceId });
  await expect(row).toBeVisible();
  // One failed event waits on it.
  await expect(row.getByRole('cell').nth(2)).toHaveText('1');
  await accessible(page);

  await row.getByRole('button', { name: `Map ${priceId}` }).click();
  const map = page.getByRole('dialog', { name: /to the catalog$/ });
  // A one-time price: a pack, by default a new one made from the price; here the existing 1,000 pack.
  await expect(map.getByLabel('Sells')).toHaveValue('new_pack');
  await map.getByLabel('Sells').selectOption('pack:pack_1000');
  // The dry run comes before any save: what the waiting event would do with this mapping.
  await expect(map.getByRole('status').first()).toContainText(
    'Reprocessing would make +1,000 credits in 1 ledger entry',
  );
  await map.getByLabel(/^Reason/).fill('Spring promo sells the 1,000 pack');
  await map.getByRole('button', { name: 'Save and apply 1 waiting payment' }).click();
  await expect(map.getByText('1 of 1 reprocessed · 1 applied · 0 not applied')).toBeVisible({ timeout: 20_000 });
  await map.getByRole('button', { name: 'Done' }).click();
  await expect(map).toHaveCount(0);
  await expect(row).toHaveCount(0);

  // Nothing of this customer's is failed any more; both purchases are processed.
  await page.goto(`/webhooks?customer=${encodeURIComponent(who.email)}&status=failed`);
  await expect(page.getByText('No events match')).toBeVisible();
  await page.goto(`/webhooks?customer=${encodeURIComponent(who.email)}&type=checkout.session.completed`);
  const events = page.getByRole('table', { name: 'Stripe events' });
  await expect(events.getByRole('row')).toHaveCount(3);
  await expect(events.getByText('processed', { exact: true })).toHaveCount(2);
});

test('support reprocesses a failed event from the webhook monitor; signature failures are counted', async ({
  page,
}) => {
  test.setTimeout(200_000);
  const { who, priceId } = await unknownPricePurchase('monitor');
  // A request that is not from Stripe.
  const forged = await page.request.post('/api/stripe/webhook', {
    headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=forged' },
    data: JSON.stringify({ id: 'evt_forged', type: 'checkout.session.completed' }),
  });
  expect(forged.status()).toBe(400);

  // An admin maps the price without reprocessing (support will): the catalog procedure alone,
  // since the mapping dialog applies the waiting events in the same step.
  await signIn(page, 'admin');
  await untilFailed(page, who);
  await trpc(
    page,
    'catalogAdmin.mapPrice',
    { priceId, target: { kind: 'pack', key: 'pack_1000' }, reason: 'Monitor promo price' },
    'POST',
  );

  await signIn(page, 'support');
  await page.goto('/webhooks');
  await expect(page.getByTestId('signature-failures')).toHaveText(/^[1-9]\d* signature failures? since \d\d:\d\d UTC$/);
  await page.getByLabel('Status').selectOption('failed');
  await page.getByLabel('Customer').fill(who.email);
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/status=failed/);
  await expect(page).toHaveURL(/customer=monitor/);
  const events = page.getByRole('table', { name: 'Stripe events' });
  await expect(events.getByRole('row')).toHaveCount(2);
  await expect(events).toContainText(`unknown price ${priceId}`);
  await accessible(page);
  // The id is cut in the middle on screen; its link names it whole.
  const eventId = (await events.getByRole('row').nth(1).getByRole('link').first().getAttribute('aria-label'))!.trim();
  expect(eventId).toMatch(/^evt_/);

  await events.getByLabel(`Select ${eventId}`).check();
  await page.getByRole('button', { name: 'Dry run and reprocess 1' }).click();
  await reprocessFromDialog(page, 'Price mapped by admin');
  await expect(page.getByText('No events match')).toBeVisible();

  // The event's own page: processed now, both attempts and the delivery on record.
  await page.goto(`/webhooks/${eventId}`);
  await expect(page.getByRole('heading', { name: 'checkout.session.completed' })).toBeVisible();
  const attempts = page.getByRole('table', { name: 'Processing attempts' });
  // Waiting for the retry job's Stripe call, failed on the price, then applied (+ the header row).
  await expect(attempts.getByRole('row')).toHaveCount(4);
  await expect(attempts).toContainText(`unknown price ${priceId}`);
  await expect(attempts).toContainText('granted 1,000 credits');
  await expect(page.getByRole('table', { name: 'Deliveries' }).getByRole('row')).toHaveCount(2);
  await accessible(page);
});

test('an admin creates a service API key (shown once) and gives a customer a temporary grant', async ({ page }) => {
  const { who } = await existingBuyer('admin_grant');
  await signIn(page, 'admin');

  await page.goto('/settings');
  await page.getByRole('button', { name: 'Create key' }).click();
  const create = page.getByRole('dialog', { name: 'Create a service API key' });
  await create.getByLabel('Name').fill(`backend ${run}`);
  await create.getByRole('button', { name: 'Create key' }).click();
  const shown = page.getByRole('dialog', { name: `Key “backend ${run}” created` });
  await expect(shown.getByLabel('The new API key')).toHaveValue(/.{24,}/);
  await accessible(page);
  await shown.getByRole('button', { name: 'I have stored it' }).click();
  const keys = page.getByRole('table', { name: 'Service API keys' });
  await expect(keys.getByRole('row').filter({ hasText: `backend ${run}` })).toContainText('active');
  await keys.getByRole('button', { name: `Revoke backend ${run}` }).click();
  const revoke = page.getByRole('dialog');
  await revoke.getByLabel('Reason (recorded in the audit log)').fill('Rotated');
  await revoke.getByRole('button', { name: 'Revoke key' }).click();
  await expect(keys.getByRole('row').filter({ hasText: `backend ${run}` })).toContainText('revoked');

  await page.goto('/customers');
  await page.getByLabel('Search customers').fill(who.email);
  await page.getByRole('link', { name: who.name }).click();
  await page.getByRole('tab', { name: 'Entitlements' }).click();
  await page.getByRole('button', { name: 'Grant override' }).click();
  const grant = page.getByRole('dialog', { name: 'Grant an override' });
  await grant.getByLabel('Feature').selectOption('video_generation');
  await grant.getByLabel('Until (your local time; empty: permanent)').fill('2031-01-15T10:00');
  await expect(grant).toContainText(`${who.email} gets Video generation (on) until 2031-01-15`);
  await grant.getByLabel('Reason (recorded in the audit log)').fill('Trial for a week');
  await grant.getByRole('button', { name: 'Grant until then' }).click();
  const overrides = page.getByRole('table', { name: 'Overrides and temporary grants' });
  await expect(overrides.getByRole('row').filter({ hasText: 'video_generation' })).toContainText('temporary grant');
  await expect(page.getByRole('table', { name: 'Features and their source' })).toContainText('temporary grant');
  await accessible(page);
});

test("the audit log's filters are checked by the list's contract before they reach the URL", async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/audit');
  await expect(page.getByRole('table', { name: 'Audit records, newest first' })).toBeVisible();
  await page.getByLabel('Customer id').fill('ada@example.com');
  await page.getByRole('button', { name: 'Filter', exact: true }).click();
  await expect(page.getByLabel('Customer id')).toHaveAccessibleDescription('Not a customer id');
  await expect(page).not.toHaveURL(/customerId=/);
  await accessible(page);

  await page.getByLabel('Customer id').fill('');
  await page.getByLabel('Action').fill('catalog.');
  await page.getByRole('button', { name: 'Filter', exact: true }).click();
  await expect(page).toHaveURL(/action=catalog\./);
  await expect(page.getByText('Not a customer id')).toHaveCount(0);
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(page).not.toHaveURL(/action=/);
  await expect(page.getByLabel('Action')).toHaveValue('');
});
