// Settings' Stripe connection card (issue 16): mode, account, and the webhook endpoint as the
// (emulated) Stripe reports it, through the official SDK; no endpoint, an enabled one, a disabled
// one; and the unconfigured case in words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulatorHarness, type EmulatorHarness } from '../../../test/stripe/emulator-harness.ts';
import { webhookUrlFor } from '../../stripe/client.ts';
import { stripeConnectionStatus } from './stripe-connection-status.ts';

let h: EmulatorHarness;
beforeAll(async () => {
  h = await createEmulatorHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('stripeConnectionStatus', () => {
  it('reports the mode, a missing endpoint, then an enabled and a disabled one at our URL', async () => {
    const deps = h.t.deps;
    const url = webhookUrlFor(deps.env);
    const missing = await stripeConnectionStatus(deps);
    expect(missing).toMatchObject({
      mode: 'emulator',
      account: { id: null, note: expect.stringContaining('emulator') },
      webhook: { url, endpointStatus: 'missing', signingSecrets: 1, note: expect.stringContaining(url) },
    });

    const endpoint = await h.stripe.webhookEndpoints.create({ url, enabled_events: ['*'] });
    await h.stripe.webhookEndpoints.create({ url: 'https://elsewhere.example/hook', enabled_events: ['*'] });
    const enabled = await stripeConnectionStatus(deps);
    expect(enabled.webhook).toMatchObject({
      endpointStatus: 'enabled',
      endpointId: endpoint.id,
      enabledEvents: ['*'],
      note: null,
    });

    await h.stripe.webhookEndpoints.update(endpoint.id, { disabled: true });
    const disabled = await stripeConnectionStatus(deps);
    expect(disabled.webhook).toMatchObject({ endpointStatus: 'disabled', note: expect.stringContaining('disabled') });

    const none = await stripeConnectionStatus({ ...deps, stripe: null });
    expect(none).toMatchObject({
      mode: 'unconfigured',
      account: { note: expect.stringContaining('STRIPE_SECRET_KEY') },
      webhook: { endpointStatus: 'unknown' },
    });
  });
});
