// The support cases of PRODUCT.md, made the way they happen in production: a customer pays on a
// Stripe Checkout page (the emulator's, driven here as the paying customer would), Stripe sends
// its webhooks to the app (or, by an injected fault, does not). Each case gets fresh people.
import { expect, type Page } from '@playwright/test';
import Stripe from 'stripe';
import { API_VERSION } from '../emulator/config.ts';
import { EmulatorDriver } from '../emulator/driver.ts';

const EMULATOR_PORT = Number(process.env.E2E_PORT ?? 3100) + 1;
export const stripe = new Stripe('sk_test_e2e_support', {
  apiVersion: API_VERSION as Stripe.LatestApiVersion,
  host: '127.0.0.1',
  port: EMULATOR_PORT,
  protocol: 'http',
  maxNetworkRetries: 1,
  telemetry: false,
});
export const driver = new EmulatorDriver(`http://127.0.0.1:${EMULATOR_PORT}`);

const run = Date.now().toString(36);
export function person(slug: string) {
  const userId = `${slug}_${run}`;
  return { userId, email: `${slug}.${run}@example.test`, name: `${slug.replace(/_/g, ' ')} ${run}` };
}
export type Person = ReturnType<typeof person>;

/** The Checkout Session the product's backend would create for a credit pack (1,000 credits). */
export async function packSession(
  who: Person,
  opts: { stripeCustomer?: string; withUserId?: boolean; price?: string } = {},
): Promise<Stripe.Checkout.Session> {
  const metadata: Record<string, string> = opts.price ? {} : { kind: 'pack', key: 'pack_1000' };
  if (opts.withUserId !== false) metadata.user_id = who.userId;
  return stripe.checkout.sessions.create({
    mode: 'payment',
    success_url: 'https://product.example.test/thanks',
    ...(opts.stripeCustomer ? { customer: opts.stripeCustomer } : { customer_email: who.email }),
    line_items: [
      opts.price
        ? { price: opts.price, quantity: 1 }
        : { price_data: { currency: 'eur', unit_amount: 1000, product_data: { name: '1,000 credits' } }, quantity: 1 },
    ],
    metadata,
  });
}

/** The customer pays on the hosted page; returns once Stripe has sent every webhook. */
export async function pay(
  who: Person,
  session: Stripe.Checkout.Session,
  outcome: 'card_success' | 'delayed_success' = 'card_success',
) {
  const result = await driver.payCheckoutSession(session.id, outcome, {
    email: who.email,
    name: who.name,
    ...(outcome === 'delayed_success' ? { settleAfterSeconds: null } : {}),
  });
  await driver.waitForIdle();
  return result;
}

/** A customer who already bought 1,000 credits the normal way (their Stripe customer is linked). */
export async function existingBuyer(slug: string) {
  const who = person(slug);
  const cus = await stripe.customers.create({ email: who.email, name: who.name });
  await pay(who, await packSession(who, { stripeCustomer: cus.id }));
  return { who, cus };
}

/** Search by email, open the customer, and wait for the verdict: the support agent's first 30 s. */
export async function openByEmail(page: Page, who: Person): Promise<number> {
  const started = Date.now();
  await page.goto('/customers');
  await page.getByLabel('Search customers').fill(who.email);
  await page.getByRole('link', { name: who.name }).click();
  await expect(page.getByTestId('verdict')).toBeVisible();
  await expect(page.getByTestId('verdict')).not.toHaveAttribute('aria-busy', 'true');
  return Date.now() - started;
}

/** A repair from the verdict: its confirm dialog restates the effect and takes the reason. */
export async function repair(page: Page, label: string | RegExp, reason: string): Promise<void> {
  await page.getByTestId('verdict').getByRole('button', { name: label }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Reason (recorded in the audit log)').fill(reason);
  await dialog.getByRole('button', { name: label }).click();
  await expect(dialog).toHaveCount(0);
}

export async function balanceIs(page: Page, credits: string): Promise<void> {
  await expect(page.getByTestId('customer-balance')).toHaveText(credits, { timeout: 15_000 });
}

/** tRPC over HTTP with the page's session (superjson envelope), for admin-only setup steps. */
export async function trpc<T>(page: Page, path: string, input?: unknown, method: 'GET' | 'POST' = 'GET'): Promise<T> {
  return page.evaluate(
    async ({ path, input, method }) => {
      const res =
        method === 'GET'
          ? await fetch(
              `/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`}`,
            )
          : await fetch(`/trpc/${path}`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ json: input }),
            });
      const body = (await res.json()) as { result?: { data?: { json?: unknown } }; error?: unknown };
      if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body.error)}`);
      return body.result?.data?.json as T;
    },
    { path, input, method },
  );
}

/**
 * The webhook answer makes no Stripe call: the session's line items are listed by the retry job,
 * which the webhook wakes at once (server/jobs/wake.ts) and which then fails the event on the
 * unknown price, within seconds. Waits for that, as a person would.
 */
export async function untilFailed(page: Page, who: Person): Promise<void> {
  await expect
    .poll(
      async () =>
        (await trpc<{ total: number }>(page, 'webhooksAdmin.events', { status: 'failed', customer: who.email })).total,
      { timeout: 30_000, intervals: [1_000] },
    )
    .toBe(1);
}
