// Support's "resync subscription": re-read the subscription from Stripe and apply it as the newest
// state (its read time is the watermark, so older events still in flight cannot undo it).
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { applySubscription } from './apply-subscription.ts';
import type { HandlerOutcome } from '../stripe-events/event-handler.ts';
import type { PipelineContext } from '../stripe-events/process-event.ts';

export async function resyncSubscription(
  ctx: PipelineContext,
  input: { subscriptionId: string; actor: Actor; reason?: string | null },
): Promise<HandlerOutcome> {
  if (!ctx.stripe) throw new AppError('STRIPE_ERROR', 'Stripe is not configured');
  const readAt = ctx.now?.() ?? new Date();
  let subscription;
  try {
    subscription = await ctx.stripe.subscriptions.retrieve(input.subscriptionId);
  } catch (err) {
    const status = (err as { statusCode?: number }).statusCode;
    if (status === 404) throw new AppError('NOT_FOUND', `Stripe has no subscription ${input.subscriptionId}`);
    throw new AppError('STRIPE_ERROR', `Stripe did not answer for ${input.subscriptionId}: ${(err as Error).message}`);
  }
  return ctx.prisma.$transaction(async (tx) => {
    const before = await tx.subscription.findUnique({ where: { id: input.subscriptionId } });
    const outcome = await applySubscription(tx, {
      subscription,
      asOf: readAt,
      deleted: subscription.status === 'canceled',
      linkedCustomerId: before?.customerId ?? null,
      now: readAt,
    });
    const after = await tx.subscription.findUnique({ where: { id: input.subscriptionId } });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'subscription.resync',
      targetType: 'subscription',
      targetId: input.subscriptionId,
      customerId: outcome.customerId ?? null,
      before,
      after,
      reason: input.reason ?? null,
    });
    return outcome;
  });
}
