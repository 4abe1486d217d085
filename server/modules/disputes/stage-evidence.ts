// Stage the evidence (a deliberate, audited step that does not reach the bank): render the PDF,
// upload it through Stripe's Files API (purpose dispute_evidence), then write the text fields and
// the file to the dispute with submit=false, since Stripe's default (submit=true) would send it
// at once. The Stripe calls happen before the transaction that records the result.
import { TX_OPTIONS } from '../../db/tx.ts';
import { EVIDENCE_TEXT_FIELD_NAMES } from '../../contracts/disputes.ts';
import type { Actor } from '../../lib/actor.ts';
import { jsonColumn } from '../../lib/json.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { openDisputeForEvidence, type EvidenceActionDeps } from './evidence-action.ts';
import { assembleEvidencePack } from './assemble-evidence-pack.ts';
import { packHash, readStoredEvidence, stripeEvidence, type StoredEvidence } from './evidence-store.ts';
import { renderEvidencePdfInWorker } from './render-evidence-pdf-in-worker.ts';
import { stripeCall } from './stripe-call.ts';

export async function stageEvidence(
  deps: EvidenceActionDeps,
  input: { disputeId: string; reason: string; actor: Actor; now?: Date },
) {
  const now = input.now ?? new Date();
  const { dispute: d, stripe } = await openDisputeForEvidence(deps, input.disputeId);
  const pack: StoredEvidence = readStoredEvidence(d.evidence) ?? {
    ...(await assembleEvidencePack(deps.prisma, { disputeId: d.id, now })),
    stagedHash: null,
  };
  const pdf = await renderEvidencePdfInWorker(pack);
  const file = await stripeCall('take the evidence PDF', () =>
    stripe.files.create({
      purpose: 'dispute_evidence',
      file: { data: pdf.bytes, name: `evidence-${d.id}.pdf`, type: 'application/pdf' },
    }),
  );
  const staged = await stripeCall('stage the evidence', () =>
    stripe.disputes.update(d.id, { evidence: stripeEvidence(pack, file.id), submit: false }),
  );
  const hash = packHash(pack);
  return deps.prisma.$transaction(async (tx) => {
    const row = await tx.dispute.update({
      where: { id: d.id },
      data: {
        evidence: jsonColumn({ ...pack, stagedHash: hash }),
        evidenceFileId: file.id,
        stagedAt: now,
      },
    });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'dispute.stage_evidence',
      targetType: 'dispute',
      targetId: d.id,
      customerId: d.customerId,
      after: {
        fileId: file.id,
        pdf: { pages: pdf.pages, bytes: pdf.size, usageLinesDropped: pdf.usageLinesDropped },
        fields: EVIDENCE_TEXT_FIELD_NAMES.filter((k) => pack.fields[k]),
        visaCe3: pack.facts.visaCe3.eligible,
        stripeStatus: staged.status,
      },
      reason: input.reason,
    });
    return {
      disputeId: row.id,
      fileId: file.id,
      pages: pdf.pages,
      bytes: pdf.size,
      stagedAt: now,
      status: staged.status,
    };
  }, TX_OPTIONS);
}
