// Disputes: every staff role reads (list, dispute page, PDF preview, win rate); support and admin
// edit, stage and submit the evidence. Staging and submitting call Stripe, then record and audit.
import {
  disputeIdInput,
  evidenceActionInput,
  listDisputesInput,
  saveEvidenceInput,
  winRateInput,
} from '../../contracts/disputes.ts';
import { getDispute } from '../../modules/disputes/get-dispute.ts';
import { getDisputeStats } from '../../modules/disputes/get-dispute-stats.ts';
import { getEvidencePdf } from '../../modules/disputes/get-evidence-pdf.ts';
import { listDisputes } from '../../modules/disputes/list-disputes.ts';
import { reassembleEvidence, saveEvidence } from '../../modules/disputes/save-evidence.ts';
import { stageEvidence } from '../../modules/disputes/stage-evidence.ts';
import { submitEvidence } from '../../modules/disputes/submit-evidence.ts';
import { router, staffProcedure, supportProcedure } from '../init.ts';

export const disputesRouter = router({
  list: staffProcedure.input(listDisputesInput).query(({ ctx, input }) => listDisputes(ctx.deps.prisma, input)),
  get: staffProcedure.input(disputeIdInput).query(({ ctx, input }) => getDispute(ctx.deps.prisma, input)),
  /** Win rate and counts; the Reports page reads this too. */
  stats: staffProcedure.input(winRateInput).query(({ ctx, input }) => getDisputeStats(ctx.deps.prisma, input)),
  evidencePdf: staffProcedure.input(disputeIdInput).query(({ ctx, input }) => getEvidencePdf(ctx.deps.prisma, input)),

  saveEvidence: supportProcedure
    .input(saveEvidenceInput)
    .mutation(({ ctx, input }) => saveEvidence(ctx.deps.prisma, { ...input, actor: ctx.actor })),
  reassemble: supportProcedure
    .input(disputeIdInput)
    .mutation(({ ctx, input }) => reassembleEvidence(ctx.deps.prisma, { ...input, actor: ctx.actor })),
  stage: supportProcedure
    .input(evidenceActionInput)
    .mutation(({ ctx, input }) =>
      stageEvidence(
        { prisma: ctx.deps.prisma, stripe: ctx.deps.stripe?.client ?? null },
        { ...input, actor: ctx.actor },
      ),
    ),
  submit: supportProcedure
    .input(evidenceActionInput)
    .mutation(({ ctx, input }) =>
      submitEvidence(
        { prisma: ctx.deps.prisma, stripe: ctx.deps.stripe?.client ?? null },
        { ...input, actor: ctx.actor },
      ),
    ),
});
