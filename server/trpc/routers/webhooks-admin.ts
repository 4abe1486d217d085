// The webhook monitor's extra procedures (the rest is in webhooks.ts): the paged, filtered event
// list, the failed and deferred queues grouped by cause, the event types for the filter, and the
// reprocess dry run (support and admin, like reprocess itself; it writes nothing).
import { dryRunInput, searchEventsInput } from '../../contracts/webhooks-admin.ts';
import { dryRunEvents } from '../../modules/stripe-events/dry-run-events.ts';
import { listEventTypes, listFailureGroups } from '../../modules/stripe-events/list-failure-groups.ts';
import { searchEvents } from '../../modules/stripe-events/search-events.ts';
import { pipelineContext } from '../../stripe/pipeline.ts';
import { router, staffProcedure, supportProcedure } from '../init.ts';

export const webhooksAdminRouter = router({
  events: staffProcedure.input(searchEventsInput).query(({ ctx, input }) => searchEvents(ctx.deps.prisma, input)),
  eventTypes: staffProcedure.query(({ ctx }) => listEventTypes(ctx.deps.prisma)),
  failureGroups: staffProcedure.query(({ ctx }) => listFailureGroups(ctx.deps.prisma)),
  // A mutation: it runs handlers (in a rolled-back transaction) and may call Stripe to read.
  dryRun: supportProcedure
    .input(dryRunInput)
    .mutation(({ ctx, input }) => dryRunEvents(pipelineContext(ctx.deps), input.eventIds)),
});
