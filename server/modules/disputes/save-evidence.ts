// Staff edit the evidence text before staging; "re-assemble" throws the edits away and gathers the
// facts again. Both keep the pack on the dispute row, audited with the names of the fields that
// changed (the texts themselves stay on the dispute). Only while the bank still awaits a response.
import { statusLabel } from '../../contracts/status-words.ts';
import type { EvidenceFields, EvidenceTextField } from '../../contracts/disputes.ts';
import { EVIDENCE_TEXT_FIELD_NAMES } from '../../contracts/disputes.ts';
import { inTransaction, type DbOrTx } from '../../db/tx.ts';
import type { Dispute } from '../../generated/prisma/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { jsonColumn } from '../../lib/json.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { assembleEvidencePack } from './assemble-evidence-pack.ts';
import { awaitsResponse } from './dispute-state.ts';
import { readStoredEvidence, type StoredEvidence } from './evidence-store.ts';

function actorLabel(actor: Actor): string {
  return actor.type === 'staff' ? actor.email : `${actor.type}:${actor.id}`;
}

export function assertEditable(d: Dispute): void {
  if (!awaitsResponse(d)) {
    throw new AppError(
      'CONFLICT',
      d.submittedAt
        ? `Evidence for ${d.id} was already submitted; the bank allows one submission`
        : `Dispute ${d.id} is ${statusLabel('dispute', d.status)}: it no longer takes evidence`,
    );
  }
}

async function lockDispute(tx: DbOrTx, disputeId: string): Promise<Dispute> {
  await tx.$queryRaw`SELECT id FROM dispute WHERE id = ${disputeId} FOR UPDATE`;
  const d = await tx.dispute.findUnique({ where: { id: disputeId } });
  if (!d) throw new AppError('NOT_FOUND', `No dispute ${disputeId}`);
  return d;
}

export async function saveEvidence(
  db: DbOrTx,
  input: { disputeId: string; fields: EvidenceFields; actor: Actor; now?: Date },
) {
  const now = input.now ?? new Date();
  return inTransaction(db, async (tx) => {
    const d = await lockDispute(tx, input.disputeId);
    assertEditable(d);
    const current: StoredEvidence = readStoredEvidence(d.evidence) ?? {
      ...(await assembleEvidencePack(tx, { disputeId: d.id, now })),
      stagedHash: null,
    };
    const changed: EvidenceTextField[] = EVIDENCE_TEXT_FIELD_NAMES.filter((k) => current.fields[k] !== input.fields[k]);
    const next: StoredEvidence = changed.length
      ? { ...current, fields: input.fields, editedAt: now.toISOString(), editedBy: actorLabel(input.actor) }
      : current;
    await tx.dispute.update({ where: { id: d.id }, data: { evidence: jsonColumn(next) } });
    if (changed.length) {
      await recordAudit(tx, {
        actor: input.actor,
        action: 'dispute.edit_evidence',
        targetType: 'dispute',
        targetId: d.id,
        customerId: d.customerId,
        after: { changedFields: changed },
      });
    }
    return { changedFields: changed, pack: next };
  });
}

export async function reassembleEvidence(db: DbOrTx, input: { disputeId: string; actor: Actor; now?: Date }) {
  const now = input.now ?? new Date();
  return inTransaction(db, async (tx) => {
    const d = await lockDispute(tx, input.disputeId);
    assertEditable(d);
    const previous = readStoredEvidence(d.evidence);
    const next: StoredEvidence = {
      ...(await assembleEvidencePack(tx, { disputeId: d.id, now })),
      stagedHash: previous?.stagedHash ?? null,
    };
    await tx.dispute.update({ where: { id: d.id }, data: { evidence: jsonColumn(next) } });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'dispute.reassemble_evidence',
      targetType: 'dispute',
      targetId: d.id,
      customerId: d.customerId,
      before: previous ? { assembledAt: previous.assembledAt, editedAt: previous.editedAt } : null,
      after: { assembledAt: next.assembledAt },
    });
    return { pack: next };
  });
}
