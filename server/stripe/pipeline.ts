// One place that turns app dependencies into the event pipeline's context, shared by the webhook
// route, the jobs and the staff procedures.
import type { ChangeFeed } from '../db/change-feed.ts';
import type { Deps } from '../deps.ts';
import { billingCatalogSource, type BillingCatalogSource } from '../modules/catalog/billing-catalog.ts';
import type { HandlerMap } from '../modules/stripe-events/event-handler.ts';
import type { PipelineContext } from '../modules/stripe-events/process-event.ts';
import { stripeHandlers } from './handlers/index.ts';

export function pipelineContext(deps: Deps, handlers: HandlerMap = stripeHandlers): PipelineContext {
  return {
    prisma: deps.prisma,
    // The pipeline's own client (short timeout, client.ts) when the connection has one.
    stripe: deps.stripe ? (deps.stripe.pipelineClient ?? deps.stripe.client) : null,
    log: deps.log,
    handlers,
    livemode: deploymentLivemode(deps),
    catalog: catalogSource(deps),
  };
}

// One in-memory catalog per change feed (per process), whichever request or job asks.
const sources = new WeakMap<ChangeFeed, BillingCatalogSource>();
function catalogSource(deps: Deps): BillingCatalogSource | undefined {
  const feed = deps.changeFeed;
  if (!feed) return undefined;
  let source = sources.get(feed);
  if (!source) sources.set(feed, (source = billingCatalogSource(deps.prisma, feed)));
  return source;
}

/** Live when this deployment's Stripe key is a live one; test with a test key or the emulator. */
function deploymentLivemode(deps: Pick<Deps, 'stripe' | 'env'>): boolean {
  if (deps.stripe) return deps.stripe.mode === 'live';
  return /^(sk|rk)_live_/.test(deps.env.STRIPE_SECRET_KEY ?? '');
}

/** Secrets accepted on /api/stripe/webhook: the connection's (emulator or env) plus the env list. */
export function webhookSecrets(deps: Deps): string[] {
  return [...new Set([...(deps.stripe?.webhookSecrets ?? []), ...(deps.env.STRIPE_WEBHOOK_SECRET ?? [])])];
}
