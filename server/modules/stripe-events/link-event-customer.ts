// Support's "link customer" for an event that failed with "no customer": the event is tied to one
// of our customers (and the Stripe customer it names, if any, is linked to them), then reprocessed.
import type Stripe from 'stripe';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { linkStripeCustomer } from '../customers/link-stripe-customer.ts';
import { processEvent, type PipelineContext, type ProcessResult } from './process-event.ts';
import { stripeId } from '../billing/resolve-event-customer.ts';

export async function linkEventCustomer(
  ctx: PipelineContext,
  input: { eventId: string; customerId: string; actor: Actor; reason: string },
): Promise<ProcessResult> {
  await ctx.prisma.$transaction(async (tx) => {
    const event = await tx.stripeEvent.findUnique({ where: { id: input.eventId } });
    if (!event) throw new AppError('NOT_FOUND', `No stored Stripe event ${input.eventId}`);
    const customer = await tx.customer.findUnique({ where: { id: input.customerId } });
    if (!customer) throw new AppError('NOT_FOUND', 'Customer not found');
    const object = (event.payload as unknown as Stripe.Event).data?.object as {
      customer?: string | { id: string } | null;
    };
    const stripeCustomerId = stripeId(object?.customer ?? null);
    if (stripeCustomerId && !customer.stripeCustomerId) {
      await linkStripeCustomer(tx, { customerId: customer.id, stripeCustomerId });
    }
    await tx.stripeEvent.update({ where: { id: event.id }, data: { customerId: customer.id } });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'stripe_event.link_customer',
      targetType: 'stripe_event',
      targetId: event.id,
      customerId: customer.id,
      before: { customerId: event.customerId },
      after: { customerId: customer.id, stripeCustomerId },
      reason: input.reason,
    });
  });
  return processEvent(ctx, input.eventId, { force: true, actorId: input.actor.id });
}
