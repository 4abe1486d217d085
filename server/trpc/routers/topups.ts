// Auto top-up settings per customer: support reads and changes them (audited), which also
// resumes top-ups paused after a failed charge.
import { autoTopupCustomerInput, setAutoTopupInput, setLowBalanceThresholdInput } from '../../contracts/topups.ts';
import { getAutoTopup, setAutoTopup } from '../../modules/topups/auto-topup-settings.ts';
import { getLowBalanceThreshold, setLowBalanceThreshold } from '../../modules/topups/low-balance-threshold.ts';
import { router, supportProcedure } from '../init.ts';

export const topupsRouter = router({
  get: supportProcedure
    .input(autoTopupCustomerInput)
    .query(({ ctx, input }) => getAutoTopup(ctx.deps.prisma, input.customerId)),
  set: supportProcedure
    .input(setAutoTopupInput)
    .mutation(({ ctx, input }) => setAutoTopup(ctx.deps.prisma, { ...input, actor: ctx.actor })),
  /** The customer's credits.low threshold (outbound event), next to the top-up one it often pairs with. */
  lowBalance: supportProcedure
    .input(autoTopupCustomerInput)
    .query(({ ctx, input }) => getLowBalanceThreshold(ctx.deps.prisma, input.customerId)),
  setLowBalance: supportProcedure
    .input(setLowBalanceThresholdInput)
    .mutation(({ ctx, input }) => setLowBalanceThreshold(ctx.deps.prisma, { ...input, actor: ctx.actor })),
});
