// Blocks: every staff role reads; support and admin block with a reason; unblocking needs finance
// or admin (and a reason). The modules write the customer, the history, the entitlement event
// and the audit record together, then sync the Radar block list when the setting is on.
import {
  blockCustomerInput,
  blockHistoryInput,
  listBlockedInput,
  unblockCustomerInput,
} from '../../contracts/blocks.ts';
import { blockCustomer } from '../../modules/blocks/block-customer.ts';
import { listBlockHistory } from '../../modules/blocks/list-block-history.ts';
import { listBlockedCustomers } from '../../modules/blocks/list-blocked-customers.ts';
import { unblockCustomer } from '../../modules/blocks/unblock-customer.ts';
import { financeProcedure, router, staffProcedure, supportProcedure } from '../init.ts';

export const blocksRouter = router({
  listBlocked: staffProcedure
    .input(listBlockedInput)
    .query(({ ctx, input }) => listBlockedCustomers(ctx.deps.prisma, input)),
  history: staffProcedure.input(blockHistoryInput).query(({ ctx, input }) => listBlockHistory(ctx.deps.prisma, input)),
  block: supportProcedure
    .input(blockCustomerInput)
    .mutation(({ ctx, input }) =>
      blockCustomer(
        { prisma: ctx.deps.prisma, stripe: ctx.deps.stripe?.client ?? null },
        { ...input, actor: ctx.actor },
      ),
    ),
  unblock: financeProcedure
    .input(unblockCustomerInput)
    .mutation(({ ctx, input }) =>
      unblockCustomer(
        { prisma: ctx.deps.prisma, stripe: ctx.deps.stripe?.client ?? null },
        { ...input, actor: ctx.actor },
      ),
    ),
});
