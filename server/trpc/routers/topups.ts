// Auto top-up settings per customer: support reads and changes them (audited), which also
// resumes top-ups paused after a failed charge.
import { autoTopupCustomerInput, setAutoTopupInput } from '../../contracts/topups.ts';
import { getAutoTopup, setAutoTopup } from '../../modules/topups/auto-topup-settings.ts';
import { router, supportProcedure } from '../init.ts';

export const topupsRouter = router({
  get: supportProcedure
    .input(autoTopupCustomerInput)
    .query(({ ctx, input }) => getAutoTopup(ctx.deps.prisma, input.customerId)),
  set: supportProcedure
    .input(setAutoTopupInput)
    .mutation(({ ctx, input }) => setAutoTopup(ctx.deps.prisma, { ...input, actor: ctx.actor })),
});
