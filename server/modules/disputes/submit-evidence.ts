// Submit the staged evidence to the bank (submit=true): a separate, confirmed and audited action,
// because the bank takes one submission only. Refused unless exactly what was staged is what
// would be sent: an edit after staging needs a new stage first (it uploads the new PDF).
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { TX_OPTIONS } from '../../db/tx.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { packHash, readStoredEvidence, stripeEvidence } from './evidence-store.ts';
import { openDisputeForEvidence, type EvidenceActionDeps } from './evidence-action.ts';
import { stripeCall } from './stripe-call.ts';

export async function submitEvidence(
  deps: EvidenceActionDeps,
  input: { disputeId: string; reason: string; actor: Actor; now?: Date },
) {
  const now = input.now ?? new Date();
  const { dispute: d, stripe } = await openDisputeForEvidence(deps, input.disputeId);
  const pack = readStoredEvidence(d.evidence);
  if (!d.stagedAt || !d.evidenceFileId || !pack?.stagedHash) {
    throw new AppError('CONFLICT', 'Stage the evidence first: the bank receives exactly what was staged');
  }
  if (packHash(pack) !== pack.stagedHash) {
    throw new AppError('CONFLICT', 'The evidence changed after it was staged: stage it again, then submit');
  }
  const fileId = d.evidenceFileId;
  const submitted = await stripeCall('submit the evidence', () =>
    stripe.disputes.update(d.id, { evidence: stripeEvidence(pack, fileId), submit: true }),
  );
  return deps.prisma.$transaction(async (tx) => {
    await tx.dispute.update({ where: { id: d.id }, data: { submittedAt: now, status: submitted.status } });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'dispute.submit_evidence',
      targetType: 'dispute',
      targetId: d.id,
      customerId: d.customerId,
      before: { status: d.status, stagedAt: d.stagedAt },
      after: {
        status: submitted.status,
        fileId,
        submissionCount: submitted.evidence_details?.submission_count ?? null,
        pastDue: submitted.evidence_details?.past_due ?? null,
      },
      reason: input.reason,
    });
    return {
      disputeId: d.id,
      status: submitted.status,
      submittedAt: now,
      pastDue: submitted.evidence_details?.past_due ?? false,
    };
  }, TX_OPTIONS);
}
