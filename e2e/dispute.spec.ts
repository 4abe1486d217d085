// A dispute from the bank to the decision, as support lives it: a customer buys credits on
// Stripe Checkout and uses some of them through the product; the bank opens a dispute (in the
// emulator); it appears on the Disputes page with its countdown; the evidence pack, assembled
// from the usage, is edited, previewed as a PDF, staged, and submitted with confirmations; the
// bank decides "won" and the frozen credits are spendable again; the win rate counts it.
import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signIn } from './fixtures';
import { driver, existingBuyer, stripe, trpc } from './support-fixtures';

async function confirm(page: Page, button: string, reason: string) {
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Reason (recorded in the audit log)').fill(reason);
  await dialog.getByRole('button', { name: button }).click();
  await expect(dialog).toHaveCount(0);
}

test('dispute opened in Stripe: countdown, evidence pack previewed and submitted, won, credits released', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  // The product's backend has an API key and reports usage with its evidence metadata.
  await signIn(page, 'admin');
  const { key } = await trpc<{ key: string }>(page, 'apiKeys.create', { name: `e2e disputes ${randomUUID()}` }, 'POST');
  const { who, cus } = await existingBuyer('dispute_won');
  for (let i = 0; i < 3; i++) {
    const res = await request.post('/api/v1/usage', {
      headers: { authorization: `Bearer ${key}` },
      data: {
        customerId: who.userId,
        feature: 'chat',
        idempotencyKey: `e2e-dispute-${who.userId}-${i}`,
        metadata: {
          operation: 'generate',
          model: 'gpt-4o-mini',
          resultReference: `https://cdn.example.test/e2e/${i}.png`,
          clientIp: '203.0.113.50',
          userAgent: 'Mozilla/5.0 (e2e)',
        },
      },
    });
    expect(res.ok(), await res.text()).toBe(true);
  }

  // The bank opens a dispute on the charge.
  const charge = (await stripe.charges.list({ customer: cus.id, limit: 1 })).data[0]!;
  const dispute = await driver.openDispute(charge.id, 'fraudulent');
  await driver.waitForIdle();

  await page.context().clearCookies();
  await signIn(page, 'support');
  await page.goto('/disputes');
  const row = page.getByTestId('dispute-row').filter({ hasText: dispute.id });
  await expect(row).toBeVisible();
  const countdown = row.getByTestId('due-countdown');
  await expect(countdown).toHaveText(/^(6 d 23 h|7 d 0 h) left$/);
  await expect(countdown).toHaveAttribute('data-urgency', 'ok');
  await expect(row).toContainText('needs response');
  await expectAccessible(page);

  await row.getByRole('link', { name: dispute.id }).click();
  await expect(page.getByRole('heading', { name: /disputed: fraudulent/ })).toBeVisible();
  await expect(page.getByTestId('lot-remaining')).toHaveText('997 (frozen)');
  // The pack was assembled from the customer's history.
  await expect(page.getByLabel('Customer email')).toHaveValue(who.email);
  await expect(page.getByLabel('Access and activity log')).toHaveValue(/cdn\.example\.test\/e2e\/2\.png/);
  await expect(page.getByLabel('Summary for the bank')).toHaveValue(/3 requests using 3 of the 1,000 credits/);
  await expect(page.getByRole('button', { name: 'Submit to the bank' })).toBeDisabled();

  // Edit, save, preview the PDF.
  const summary = page.getByLabel('Summary for the bank');
  await summary.fill(`${await summary.inputValue()}\n\nThe customer confirmed the purchase by email on ticket 4711.`);
  await page.getByRole('button', { name: 'Save evidence' }).click();
  await expect(page.getByText('Saved 1 changed field(s)')).toBeVisible();
  await page.getByRole('tab', { name: 'PDF preview' }).click();
  await expect(page.getByTestId('pdf-summary')).toHaveText(
    new RegExp(`^evidence-${dispute.id}\\.pdf: \\d+ pages?, \\d+ KB$`),
  );
  await expect(page.getByTestId('pdf-preview')).toBeVisible();
  // Issue 16.4: the preview shows the pages themselves (images our CSP allows), not a fallback.
  await expect(page.getByText('This browser cannot show the PDF')).toHaveCount(0);
  const firstPage = page.getByRole('img', { name: /^Evidence PDF, page 1 of \d+$/ });
  await expect(firstPage).toBeVisible();
  await expect
    .poll(() => firstPage.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0)))
    .toBeGreaterThan(800);
  const box = await firstPage.boundingBox();
  expect(box!.width).toBeGreaterThan(300);
  expect(box!.height).toBeGreaterThan(box!.width);
  // The page has ink on it (text drawn), not a blank sheet: count dark pixels.
  const inked = await firstPage.evaluate((img: HTMLImageElement) => {
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const g = canvas.getContext('2d')!;
    g.drawImage(img, 0, 0);
    const { data } = g.getImageData(0, 0, canvas.width, canvas.height);
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! < 128) dark++;
    return dark;
  });
  expect(inked).toBeGreaterThan(5000);
  // Sonner's richColors success toast (the shared Toaster) fails axe's contrast check while shown.
  await expect(page.getByText('Saved 1 changed field(s)')).toHaveCount(0, { timeout: 15_000 });
  await expect(page.getByRole('link', { name: 'Download PDF' })).toHaveAttribute('href', /^blob:/);
  await expectAccessible(page);

  // Stage: Stripe holds the evidence, the bank has nothing yet.
  await page.getByRole('button', { name: 'Stage evidence' }).click();
  await confirm(page, 'Stage evidence', 'Evidence reviewed, ready for the bank');
  await expect(page.getByText(/^Staged/)).toBeVisible();
  let remote = await stripe.disputes.retrieve(dispute.id);
  expect(remote.status).toBe('needs_response');
  expect(remote.evidence_details).toMatchObject({ has_evidence: true, submission_count: 0 });
  expect(remote.evidence.uncategorized_text).toContain('ticket 4711');

  // Submit, confirmed.
  await page.getByRole('button', { name: 'Submit to the bank' }).click();
  await expect(page.getByRole('dialog')).toContainText('The bank accepts one submission');
  await confirm(page, 'Submit to the bank', 'Customer used the credits; evidence attached');
  await expect(page.getByText('with the bank').first()).toBeVisible();
  remote = await stripe.disputes.retrieve(dispute.id);
  expect(remote.status).toBe('under_review');
  expect(remote.evidence_details.submission_count).toBe(1);
  expect(remote.evidence.service_documentation).toMatch(/^file_/);

  // The bank decides: won. The frozen credits are spendable again.
  await driver.closeDispute(dispute.id, 'won');
  await driver.waitForIdle();
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('lot-remaining')).toHaveText('997 (spendable)', { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByRole('heading', { name: /disputed: fraudulent/ })).toBeVisible();
  await expect(page.locator('header').getByText('won', { exact: true })).toBeVisible();

  await page.goto('/disputes?filter=closed');
  await expect(page.getByTestId('dispute-row').filter({ hasText: dispute.id })).toContainText('won');
  await expect(page.getByTestId('win-rate')).not.toHaveText('—');
});
