// What Settings says about the Stripe connection (issue 16): real Stripe or the emulator, test or
// live, which account, whether an enabled webhook endpoint in Stripe points at our URL, whether we
// can verify its signatures, and when a webhook last reached us. Each Stripe question is answered
// separately, so one failing call leaves the others readable; a failure is said in words.
import type { Deps } from '../../deps.ts';
import { webhookUrlFor } from '../../stripe/client.ts';

export interface StripeConnectionStatus {
  mode: 'emulator' | 'test' | 'live' | 'unconfigured';
  account: { id: string | null; name: string | null; note: string | null };
  webhook: {
    url: string;
    /** enabled | disabled | missing | unknown (Stripe could not be asked). */
    endpointStatus: 'enabled' | 'disabled' | 'missing' | 'unknown';
    endpointId: string | null;
    enabledEvents: string[];
    note: string | null;
    signingSecrets: number;
    lastReceivedAt: Date | null;
  };
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export async function stripeConnectionStatus(
  deps: Pick<Deps, 'env' | 'prisma' | 'stripe'>,
): Promise<StripeConnectionStatus> {
  const url = webhookUrlFor(deps.env);
  const last = await deps.prisma.webhookDelivery.findFirst({
    where: { source: 'webhook' },
    orderBy: { receivedAt: 'desc' },
    select: { receivedAt: true },
  });
  const stripe = deps.stripe;
  const base: StripeConnectionStatus = {
    mode: stripe?.mode ?? 'unconfigured',
    account: { id: null, name: null, note: null },
    webhook: {
      url,
      endpointStatus: 'unknown',
      endpointId: null,
      enabledEvents: [],
      note: null,
      signingSecrets: stripe?.webhookSecrets.length ?? 0,
      lastReceivedAt: last?.receivedAt ?? null,
    },
  };
  if (!stripe) {
    base.account.note = 'Stripe is not configured: set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET.';
    base.webhook.note = 'No Stripe connection, so no webhook endpoint can be checked.';
    return base;
  }

  if (stripe.mode === 'emulator') {
    base.account.note = 'The built-in Stripe emulator: no real account, no real money.';
  } else {
    try {
      const account = await stripe.client.accounts.retrieveCurrent();
      base.account.id = account.id;
      base.account.name = account.settings?.dashboard?.display_name ?? account.business_profile?.name ?? null;
    } catch (err) {
      base.account.note = `Stripe did not say which account this key belongs to: ${message(err)}`;
    }
  }

  try {
    const endpoints = await stripe.client.webhookEndpoints.list({ limit: 100 });
    const ours = endpoints.data.filter((e) => e.url === url);
    const endpoint = ours.find((e) => e.status === 'enabled') ?? ours[0];
    if (!endpoint) {
      base.webhook.endpointStatus = 'missing';
      base.webhook.note = `No webhook endpoint in Stripe points at ${url}: events will only arrive through hourly reconciliation.`;
    } else {
      base.webhook.endpointId = endpoint.id;
      base.webhook.enabledEvents = endpoint.enabled_events;
      base.webhook.endpointStatus = endpoint.status === 'enabled' ? 'enabled' : 'disabled';
      if (endpoint.status !== 'enabled') base.webhook.note = `The endpoint ${endpoint.id} is disabled in Stripe.`;
    }
  } catch (err) {
    base.webhook.note = `Stripe's webhook endpoints could not be listed: ${message(err)}`;
  }
  if (!base.webhook.signingSecrets && !base.webhook.note) {
    base.webhook.note = 'No signing secret (STRIPE_WEBHOOK_SECRET): every webhook is refused until one is set.';
  }
  return base;
}
