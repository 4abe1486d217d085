// One place that turns app dependencies into the event pipeline's context, shared by the webhook
// route, the jobs and the staff procedures.
import type { Deps } from '../deps.ts';
import type { HandlerMap } from '../modules/billing/event-handler.ts';
import type { PipelineContext } from '../modules/billing/process-event.ts';
import { stripeHandlers } from './handlers/index.ts';

export function pipelineContext(deps: Deps, handlers: HandlerMap = stripeHandlers): PipelineContext {
  // The pipeline's own client (short timeout, client.ts) when the connection has one.
  const stripe = deps.stripe ? (deps.stripe.pipelineClient ?? deps.stripe.client) : null;
  return { prisma: deps.prisma, stripe, log: deps.log, handlers };
}

/** Secrets accepted on /api/stripe/webhook: the connection's (emulator or env) plus the env list. */
export function webhookSecrets(deps: Deps): string[] {
  return [...new Set([...(deps.stripe?.webhookSecrets ?? []), ...(deps.env.STRIPE_WEBHOOK_SECRET ?? [])])];
}
