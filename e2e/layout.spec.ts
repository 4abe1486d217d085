// Every page at a 768 px tablet and a 1440 px desktop, light and dark: no page scrolls sideways at
// 768 px, no table clips its last column at 1440 px (its scroll box is as wide as the table), no
// serious accessibility violation, and a full-page screenshot of each, attached to the report as
// the e2e artifacts (test-results/ and the HTML report).
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { expectAccessible, signIn } from './fixtures';
import { openByEmail } from './support-fixtures';

const UNKNOWN_PRICE_CASE = {
  userId: 'demo_case_unknown_price',
  email: 'case-unknown-price@demo.example',
  name: 'Uma Unknownprice',
};

/** Pages by path; the customer page is the seeded case with the longest ids (cs_…, evt_…). */
const PAGES = [
  '/customers',
  'customer',
  'customer?tab=timeline',
  'customer?tab=payments',
  'customer?tab=ledger',
  '/webhooks',
  '/refunds',
  '/disputes',
  'dispute',
  'dispute?tab=pdf',
  '/blocks',
  '/reports',
  '/catalog',
  '/audit',
  '/settings',
] as const;

async function customerPath(page: Page): Promise<string> {
  await openByEmail(page, UNKNOWN_PRICE_CASE);
  return new URL(page.url()).pathname;
}

/** A seeded dispute's page (the blocked case has several), with its evidence pack. */
async function disputePath(page: Page): Promise<string> {
  await page.goto('/disputes');
  const link = page.locator('a[href^="/disputes/d"]').first();
  await expect(link).toBeVisible();
  return (await link.getAttribute('href'))!;
}

async function settle(page: Page) {
  await page.waitForLoadState('networkidle');
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0, { timeout: 15_000 });
}

/** How far the page scrolls sideways (0 when it fits). */
const sideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** Tables whose scroll box is narrower than the table: their last column is cut off. */
const clippedTables = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('table')]
      .map((t) => {
        const box = t.parentElement!;
        return { name: t.getAttribute('aria-label') ?? '(unnamed table)', hidden: box.scrollWidth - box.clientWidth };
      })
      .filter((t) => t.hidden > 1),
  );

/** Kept in test-results/ (the test's output folder) and attached to the HTML report. */
async function shoot(page: Page, testInfo: TestInfo, name: string) {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

for (const theme of ['light', 'dark'] as const) {
  test(`every page fits at 768 px and 1440 px (${theme} theme), with screenshots`, async ({ page }, testInfo) => {
    test.setTimeout(360_000);
    await page.addInitScript((t) => localStorage.setItem('creditdesk-theme', t), theme);
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, 'admin');
    const customer = await customerPath(page);
    const dispute = await disputePath(page);
    const problems: string[] = [];
    for (const width of [1440, 768] as const) {
      await page.setViewportSize({ width, height: 900 });
      for (const p of PAGES) {
        const path = p.startsWith('customer')
          ? p.replace('customer', customer)
          : p.startsWith('dispute')
            ? p.replace('dispute', dispute)
            : p;
        await page.goto(path);
        await settle(page);
        const name = p.startsWith('customer')
          ? p.replace('customer', 'customer page ')
          : p.startsWith('dispute')
            ? p.replace('dispute', 'dispute page ')
            : p;
        await shoot(page, testInfo, `${name.replace(/\W+/g, '-').replace(/^-|-$/g, '') || 'page'}-${width}-${theme}`);
        const over = await sideways(page);
        if (over > 0) problems.push(`${name} at ${width} px scrolls sideways by ${over} px`);
        if (width === 1440) {
          for (const t of await clippedTables(page))
            problems.push(`${name} at 1440 px: "${t.name}" clips ${t.hidden} px`);
          await expectAccessible(page);
        }
      }
    }
    expect(problems).toEqual([]);
  });
}
