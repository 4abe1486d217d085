// A dispute from the bank to the decision, as support lives it: a customer buys credits on
// Stripe Checkout and uses some of them through the product; the bank opens a dispute (in the
// emulator); it appears on the Disputes page with its countdown; the evidence pack, assembled
// from the usage, is edited, previewed as a PDF, staged, and submitted with confirmations; the
// bank decides "won" and the frozen credits are spendable again; the win rate counts it.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { NO_ACCESS_RECORDED } from '../server/contracts/disputes';
import { expectAccessible, signIn } from './fixtures';
import { driver, pay, person, stripe, trpc } from './support-fixtures';

const BUYER_IP = '198.51.100.23';
const BUYER_UA = 'Mozilla/5.0 (X11; Linux x86_64) e2e-checkout';
const USAGE_IP = '203.0.113.50';

/** The PDF's text as pdftotext reads it (poppler-utils, as in the unit tests). */
function pdfText(bytes: Buffer): string {
  return execFileSync('pdftotext', ['-', '-'], { input: bytes, encoding: 'utf8' });
}

/** The text from one heading up to the next one named. */
function section(text: string, from: string, to: string): string {
  const start = text.indexOf(from);
  expect(start, `"${from}" in the PDF`).toBeGreaterThanOrEqual(0);
  const end = text.indexOf(to, start);
  expect(end, `"${to}" after "${from}"`).toBeGreaterThan(start);
  return text.slice(start, end);
}

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
  const auth = { authorization: `Bearer ${key}` };
  // It opens Checkout through our endpoint with the buyer's IP and browser (issue 16.3): they are
  // carried in the session's metadata and become the purchase evidence.
  const who = person('dispute_won');
  const upsert = await request.put(`/api/v1/customers/${who.userId}`, {
    headers: auth,
    data: { email: who.email, name: who.name },
  });
  expect(upsert.ok(), await upsert.text()).toBe(true);
  const opened = await request.post('/api/v1/checkout-sessions', {
    headers: auth,
    data: {
      customerId: who.userId,
      pack: 'pack_1000',
      successUrl: 'https://product.example.test/thanks',
      cancelUrl: 'https://product.example.test/cancel',
      clientIp: BUYER_IP,
      userAgent: BUYER_UA,
    },
  });
  expect(opened.ok(), await opened.text()).toBe(true);
  const session = await stripe.checkout.sessions.retrieve(((await opened.json()) as { id: string }).id);
  await pay(who, session);
  const cus = { id: (await stripe.checkout.sessions.retrieve(session.id)).customer as string };
  for (let i = 0; i < 3; i++) {
    const res = await request.post('/api/v1/usage', {
      headers: auth,
      data: {
        customerId: who.userId,
        feature: 'chat',
        idempotencyKey: `e2e-dispute-${who.userId}-${i}`,
        metadata: {
          operation: 'generate',
          model: 'gpt-4o-mini',
          resultReference: `https://cdn.example.test/e2e/${i}.png`,
          clientIp: USAGE_IP,
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
  // The purchase IP captured at checkout is the pack's purchase evidence.
  await expect(page.getByLabel('Purchase IP')).toHaveValue(BUYER_IP);

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

  // Issue 16.2 and 16.3: the PDF the bank gets, read back as text. Line breaks are line breaks
  // (never "?"), and the pack never contradicts itself: the purchase IP and device from checkout
  // are there, and every IP a usage row names is in "Where the account was used from".
  const disputeId = new URL(page.url()).pathname.split('/').pop()!;
  const pdf = await trpc<{ base64: string }>(page, 'disputes.evidencePdf', { disputeId });
  const text = pdfText(Buffer.from(pdf.base64, 'base64'));
  const lines = text.split('\n').map((l) => l.trim());
  expect(lines).toContain('The customer confirmed the purchase by email on ticket 4711.');
  expect(text).not.toContain('?');
  expect(lines).toContain(`Purchase IP: ${BUYER_IP}`);
  expect(lines).toContain(`Purchase device (user agent): ${BUYER_UA}`);
  const usage = section(text, 'Use of the credits bought with this payment', 'Where the account was used from');
  const access = section(text, 'Where the account was used from', 'Earlier payments');
  expect(usage.split('\n').filter((l) => l.includes('cdn.example.test/e2e/'))).toHaveLength(3);
  const ips = (t: string) => new Set(t.match(/\b\d{1,3}(\.\d{1,3}){3}\b/g) ?? []);
  expect([...ips(usage)]).toEqual([USAGE_IP]);
  for (const ip of ips(usage)) expect(ips(access)).toContain(ip);
  expect(access).toContain('Mozilla/5.0 (e2e)');
  expect(text).not.toContain(NO_ACCESS_RECORDED);
  expect(text).not.toContain('No purchase IP or device was recorded');

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
    // The page loads first (on a busy machine that alone can take over a second), then the state.
    await expect(page.getByTestId('lot-remaining')).toBeVisible();
    await expect(page.getByTestId('lot-remaining')).toHaveText('997 (spendable)', { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByRole('heading', { name: /disputed: fraudulent/ })).toBeVisible();
  await expect(page.locator('header').getByText('won', { exact: true })).toBeVisible();

  await page.goto('/disputes?filter=closed');
  await expect(page.getByTestId('dispute-row').filter({ hasText: dispute.id })).toContainText('won');
  await expect(page.getByTestId('win-rate')).not.toHaveText('—');
});
