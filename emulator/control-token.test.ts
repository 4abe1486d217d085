// The control API drives payments, refunds and disputes, so only the app may call it: a page on
// another site (a cross-site form POST, or a "simple" text/plain fetch) is refused and changes
// nothing; the hosted Checkout page still pays through its own form, and only through it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTROL_TOKEN_HEADER } from './control/control-token.ts';
import { EmulatorDriver } from './driver.ts';
import { seedCatalog, startTestEmulator, type TestEmulator } from './testing.ts';

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(async () => {
  await t?.stop();
});

async function openSession() {
  const { pack } = await seedCatalog(t.stripe);
  return t.stripe.checkout.sessions.create({
    mode: 'payment',
    line_items: [{ price: pack.id, quantity: 1 }],
    customer_email: 'victim@example.com',
    success_url: 'https://desk.test/thanks',
  });
}

const status = async (id: string) => (await t.stripe.checkout.sessions.retrieve(id)).status;

describe('control API: only the app that started the emulator', () => {
  it('refuses a cross-site form POST (urlencoded, multipart-like or text/plain, no token) and changes nothing', async () => {
    const s = await openSession();
    const attempts: Array<{ type: string; body: string }> = [
      { type: 'application/x-www-form-urlencoded', body: 'outcome=card_success' },
      { type: 'text/plain', body: '{"outcome":"card_success"}' },
      { type: 'application/json', body: '{"outcome":"card_success"}' },
    ];
    for (const a of attempts) {
      const res = await fetch(`${t.url}/_emulator/checkout/sessions/${s.id}/pay`, {
        method: 'POST',
        headers: { 'content-type': a.type, origin: 'https://evil.example' },
        body: a.body,
      });
      expect({ type: a.type, status: res.status }).toEqual({ type: a.type, status: 403 });
      expect(await res.json()).toMatchObject({ error: { code: 'control_token_required' } });
    }
    expect(await status(s.id)).toBe('open');
    const reset = await fetch(`${t.url}/_emulator/reset`, { method: 'POST' });
    expect(reset.status).toBe(403);
    expect((await fetch(`${t.url}/_emulator/health`)).status).toBe(403);
    expect(await status(s.id)).toBe('open');
  });

  it('refuses a wrong token, and a form body even with the right token', async () => {
    const s = await openSession();
    const wrong = await fetch(`${t.url}/_emulator/checkout/sessions/${s.id}/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CONTROL_TOKEN_HEADER]: 'guess' },
      body: '{"outcome":"card_success"}',
    });
    expect(wrong.status).toBe(403);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const res = await fetch(`${t.url}/_emulator/checkout/sessions/${s.id}/pay`, {
        method: 'POST',
        headers: { 'content-type': type, [CONTROL_TOKEN_HEADER]: t.running.controlToken },
        body: '{"outcome":"card_success"}',
      });
      expect(res.status).toBe(415);
    }
    expect(await status(s.id)).toBe('open');
  });

  it("the app's driver (token from this process, or passed explicitly) still drives it", async () => {
    const s = await openSession();
    expect((await t.driver.health()).ok).toBe(true);
    expect(await new EmulatorDriver(t.url, 'not-the-token').health().catch((e: { status: number }) => e.status)).toBe(
      403,
    );
    const paid = await new EmulatorDriver(t.url, t.running.controlToken).payCheckoutSession(s.id, 'card_success');
    expect(paid.session.payment_status).toBe('paid');
  });
});

describe('hosted Checkout page', () => {
  it('refuses a cross-site form POST without the page token; its own form pays', async () => {
    const s = await openSession();
    const forged = await fetch(String(s.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: 'outcome=card_success&email=attacker%40example.com',
      redirect: 'manual',
    });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('did not come from this checkout page');
    // Another session's token does not fit this one.
    const other = await openSession();
    const otherToken = /name="form_token" value="([^"]+)"/.exec(await (await fetch(String(other.url))).text())?.[1];
    const swapped = await fetch(String(s.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `outcome=card_success&form_token=${encodeURIComponent(otherToken ?? '')}`,
      redirect: 'manual',
    });
    expect(swapped.status).toBe(403);
    expect(await status(s.id)).toBe('open');

    const html = await (await fetch(String(s.url))).text();
    const token = /name="form_token" value="([^"]+)"/.exec(html)?.[1];
    expect(token).toBeTruthy();
    const paid = await fetch(String(s.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `outcome=card_success&email=victim%40example.com&form_token=${encodeURIComponent(token ?? '')}`,
      redirect: 'manual',
    });
    expect(paid.status).toBe(303);
    expect(await status(s.id)).toBe('complete');
  });
});
