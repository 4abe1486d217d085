// The support desk: find a customer by any handle, read their page, timeline and verdict, write
// notes and manual grants. Repairs on Stripe events (reprocess, fetch, link, resync) are the
// webhooks router's procedures; the verdict names them and the page calls them there.
import {
  addNoteInput,
  customerIdInput,
  manualGrantInput,
  searchCustomersInput,
  timelineInput,
} from '../../contracts/support.ts';
import { addNote } from '../../modules/support/add-note.ts';
import { getCustomerOverview } from '../../modules/support/get-customer-overview.ts';
import { getTimeline } from '../../modules/support/get-timeline.ts';
import { manualGrant } from '../../modules/support/manual-grant.ts';
import { searchCustomers } from '../../modules/support/search-customers.ts';
import { getVerdict } from '../../modules/support/verdict/get-verdict.ts';
import { router, staffProcedure } from '../init.ts';

export const supportRouter = router({
  search: staffProcedure.input(searchCustomersInput).query(({ ctx, input }) => searchCustomers(ctx.deps.prisma, input)),
  overview: staffProcedure
    .input(customerIdInput)
    .query(({ ctx, input }) => getCustomerOverview(ctx.deps.prisma, input.customerId)),
  timeline: staffProcedure.input(timelineInput).query(({ ctx, input }) => getTimeline(ctx.deps.prisma, input)),
  verdict: staffProcedure
    .input(customerIdInput)
    .query(({ ctx, input }) =>
      getVerdict(ctx.deps.prisma, { customerId: input.customerId, stripe: ctx.deps.stripe?.client ?? null }),
    ),
  addNote: staffProcedure
    .input(addNoteInput)
    .mutation(({ ctx, input }) => addNote(ctx.deps.prisma, { ...input, actor: ctx.actor })),
  /** Every staff role; support only up to the catalog's manualGrantFinanceAbove (checked by the module). */
  manualGrant: staffProcedure
    .input(manualGrantInput)
    .mutation(({ ctx, input }) => manualGrant(ctx.deps.prisma, input, ctx.actor)),
});
