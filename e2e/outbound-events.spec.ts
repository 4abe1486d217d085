// Outbound events end to end: an admin registers an endpoint that points at a tiny local receiver
// (a private address is refused first, with words), keeps the secret shown once, sends a test
// event, and sees the delivery (status, response code) in the endpoint's log; the receiver checks
// the Creditdesk-Signature with the secret.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { signIn } from './fixtures';

let server: Server;
const received: Array<{ body: string; signature: string }> = [];

test.beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ body, signature: String(req.headers['creditdesk-signature'] ?? '') });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks from the receiver');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
});
test.afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

test('admin registers an endpoint, sends a test event and sees it delivered', async ({ page }) => {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/creditdesk-hooks`;
  await signIn(page, 'admin');
  await page.goto('/settings');
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('URL').fill('http://10.0.0.7/hooks');
  await dialog.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(dialog.getByText(/private or reserved address/)).toBeVisible();

  await dialog.getByLabel('URL').fill(url);
  await dialog.getByLabel('Description').fill('e2e receiver');
  await dialog.getByLabel('credits.granted').check();
  await dialog.getByRole('button', { name: 'Add endpoint' }).click();
  const secretField = dialog.getByLabel('The signing secret');
  await expect(secretField).toHaveValue(/^whsec_/);
  const secret = await secretField.inputValue();
  await dialog.getByRole('button', { name: 'I have stored it' }).click();

  const card = page.getByLabel(`Endpoint ${url}`);
  await expect(card).toContainText('e2e receiver');
  await expect(card).not.toContainText(secret);
  await card.getByRole('button', { name: 'Send test event' }).click();
  await card.getByRole('button', { name: 'Deliveries' }).click();
  const log = card.getByRole('table', { name: 'Deliveries' });
  await expect(log).toContainText('endpoint.test', { timeout: 20_000 });
  await expect(log).toContainText('succeeded', { timeout: 20_000 });
  await expect(log).toContainText('200');
  await expect(log).toContainText('thanks from the receiver');

  // The log's filters live in the URL: a reload (or a pasted link) shows the same filtered log.
  await card.getByLabel('Status').selectOption('succeeded');
  await expect(page).toHaveURL(/deliveries\.status=succeeded/);
  await expect(log).toContainText('endpoint.test');
  await page.reload();
  await page.getByLabel(`Endpoint ${url}`).getByRole('button', { name: 'Deliveries' }).click();
  await expect(card.getByLabel('Status')).toHaveValue('succeeded');
  await expect(log).toContainText('endpoint.test');

  const delivery = received.find((r) => JSON.parse(r.body).type === 'endpoint.test');
  expect(delivery).toBeTruthy();
  const [t, v1] = delivery!.signature.split(',').map((p) => p.split('=')[1]);
  expect(createHmac('sha256', secret).update(`${t}.${delivery!.body}`).digest('hex')).toBe(v1);

  // Delete asks in the app's own dialog (not the browser's confirm); Cancel keeps the endpoint.
  await card.getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete this endpoint?' });
  await expect(confirm).toContainText(url);
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(card).toBeVisible();
  await card.getByRole('button', { name: 'Delete' }).click();
  await confirm.getByRole('button', { name: 'Delete endpoint' }).click();
  await expect(page.getByText('Endpoint deleted')).toBeVisible();
  await expect(card).toHaveCount(0);
});
