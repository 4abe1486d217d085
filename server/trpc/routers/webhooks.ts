// Staff procedures over the Stripe webhook pipeline: read for every staff role, repairs (reprocess,
// fetch a missing event, link a customer, resync a subscription, run reconciliation) for support
// and admin. Every repair is audited by its module.
import {
  eventIdInput,
  fetchEventInput,
  linkCustomerInput,
  listDeliveriesInput,
  listEventsInput,
  reconciliationRunsInput,
  reprocessInput,
  resyncSubscriptionInput,
  webhookHealthInput,
} from '../../contracts/webhooks.ts';
import { fetchMissingEvents } from '../../modules/stripe-events/fetch-and-apply-event.ts';
import { getEvent } from '../../modules/stripe-events/get-event.ts';
import { getWebhookHealth } from '../../modules/stripe-events/get-webhook-health.ts';
import { linkEventCustomer } from '../../modules/stripe-events/link-event-customer.ts';
import { listDeliveries } from '../../modules/stripe-events/list-deliveries.ts';
import { listEvents } from '../../modules/stripe-events/list-events.ts';
import { listReconciliationRuns } from '../../modules/stripe-events/list-reconciliation-runs.ts';
import { reconcileEvents } from '../../modules/stripe-events/reconcile-events.ts';
import { reprocessEvent } from '../../modules/stripe-events/reprocess-event.ts';
import { resyncSubscription } from '../../modules/billing/resync-subscription.ts';
import { pipelineContext } from '../../stripe/pipeline.ts';
import { router, staffProcedure, supportProcedure } from '../init.ts';

export const webhooksRouter = router({
  listEvents: staffProcedure.input(listEventsInput).query(({ ctx, input }) => listEvents(ctx.deps.prisma, input)),
  getEvent: staffProcedure.input(eventIdInput).query(({ ctx, input }) => getEvent(ctx.deps.prisma, input.eventId)),
  listDeliveries: staffProcedure
    .input(listDeliveriesInput)
    .query(({ ctx, input }) => listDeliveries(ctx.deps.prisma, input)),
  health: staffProcedure
    .input(webhookHealthInput)
    .query(({ ctx, input }) => getWebhookHealth(ctx.deps.prisma, input.since ? { since: input.since } : {})),
  reconciliationRuns: staffProcedure
    .input(reconciliationRunsInput)
    .query(({ ctx, input }) => listReconciliationRuns(ctx.deps.prisma, input)),

  reprocess: supportProcedure
    .input(reprocessInput)
    .mutation(({ ctx, input }) =>
      reprocessEvent(pipelineContext(ctx.deps), { eventId: input.eventId, actor: ctx.actor, reason: input.reason }),
    ),
  fetchEvent: supportProcedure
    .input(fetchEventInput)
    .mutation(({ ctx, input }) => fetchMissingEvents(pipelineContext(ctx.deps), { ...input, actor: ctx.actor })),
  linkCustomer: supportProcedure
    .input(linkCustomerInput)
    .mutation(({ ctx, input }) => linkEventCustomer(pipelineContext(ctx.deps), { ...input, actor: ctx.actor })),
  resyncSubscription: supportProcedure
    .input(resyncSubscriptionInput)
    .mutation(({ ctx, input }) => resyncSubscription(pipelineContext(ctx.deps), { ...input, actor: ctx.actor })),
  runReconciliation: supportProcedure.mutation(({ ctx }) => reconcileEvents(pipelineContext(ctx.deps))),
});
