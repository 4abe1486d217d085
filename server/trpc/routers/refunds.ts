// Refunds (finance and admin): the calculator, requests, maker-checker decisions and the list.
import {
  approveRefundInput,
  listRefundsInput,
  previewRefundInput,
  rejectRefundInput,
  requestRefundInput,
} from '../../contracts/refunds.ts';
import { approveRefund } from '../../modules/refunds/approve-refund.ts';
import { listRefunds } from '../../modules/refunds/list-refunds.ts';
import { previewRefund } from '../../modules/refunds/preview-refund.ts';
import { rejectRefund } from '../../modules/refunds/reject-refund.ts';
import { requestRefund } from '../../modules/refunds/request-refund.ts';
import type { Context } from '../context.ts';
import { financeProcedure, router } from '../init.ts';

const refundDeps = (ctx: Context) => ({ prisma: ctx.deps.prisma, stripe: ctx.deps.stripe?.client ?? null });

export const refundsRouter = router({
  preview: financeProcedure.input(previewRefundInput).query(({ ctx, input }) => previewRefund(refundDeps(ctx), input)),
  request: financeProcedure
    .input(requestRefundInput)
    .mutation(({ ctx, input }) => requestRefund(refundDeps(ctx), input, ctx.actor)),
  approve: financeProcedure
    .input(approveRefundInput)
    .mutation(({ ctx, input }) => approveRefund(refundDeps(ctx), input, ctx.actor)),
  reject: financeProcedure
    .input(rejectRefundInput)
    .mutation(({ ctx, input }) => rejectRefund(ctx.deps.prisma, input, ctx.actor)),
  list: financeProcedure.input(listRefundsInput).query(({ ctx, input }) => listRefunds(ctx.deps.prisma, input)),
});
