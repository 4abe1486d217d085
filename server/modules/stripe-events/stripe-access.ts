// The one door to Stripe's API for event handlers (their prepare phase). While a webhook is being
// answered (ctx.inline) there is no Stripe call at all: the answer depends only on our database,
// so a hanging or unreachable Stripe cannot delay the 2xx. The event is then deferred for the
// background retry job, whose client has a short timeout (server/stripe/pipeline.ts).
import type Stripe from 'stripe';
import type { PrepareContext } from './event-handler.ts';
import { StripeNeededError } from './event-errors.ts';

/** The client to call, or null when no Stripe is configured (handlers then use the payload alone). */
export function stripeForPrepare(ctx: PrepareContext, why: string): Stripe | null {
  if (!ctx.stripe) return null;
  if (ctx.inline) throw new StripeNeededError(why);
  return ctx.stripe;
}
