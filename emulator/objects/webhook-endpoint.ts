import type Stripe from 'stripe';
import type { Emulator } from '../emulator.ts';
import { newId } from '../ids.ts';

export function buildWebhookEndpoint(
  emu: Emulator,
  input: {
    url: string;
    enabled_events: string[];
    api_version: string | null;
    description: string | null;
    metadata: Record<string, string>;
  },
): Stripe.WebhookEndpoint {
  return {
    id: newId('we'),
    object: 'webhook_endpoint',
    api_version: input.api_version,
    application: null,
    created: emu.now(),
    description: input.description,
    enabled_events: input.enabled_events,
    livemode: false,
    metadata: input.metadata,
    status: 'enabled',
    url: input.url,
  };
}
