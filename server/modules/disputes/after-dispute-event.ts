// Called by the charge.dispute.* handler (apply-dispute.ts) inside its transaction, once the
// dispute row is up to date: records the outcome when the dispute closed (the win rate reads it)
// and evaluates the auto-block rule for the customer. Returns words for the event's summary.
import type { Tx } from '../../db/tx.ts';
import type { Dispute } from '../../generated/prisma/client.ts';
import { applyAutoBlockRule } from '../blocks/apply-auto-block-rule.ts';

const OUTCOMES = new Set(['won', 'lost', 'warning_closed', 'prevented']);

export async function afterDisputeEvent(tx: Tx, input: { dispute: Dispute; now?: Date }): Promise<string[]> {
  const { dispute } = input;
  const parts: string[] = [];
  if (OUTCOMES.has(dispute.status) && dispute.outcome !== dispute.status) {
    await tx.dispute.update({ where: { id: dispute.id }, data: { outcome: dispute.status } });
    parts.push(`outcome recorded: ${dispute.status.replace('_', ' ')}`);
  }
  if (dispute.customerId) {
    const rule = await applyAutoBlockRule(tx, { customerId: dispute.customerId, now: input.now });
    if (rule.summary) parts.push(rule.summary);
  }
  return parts;
}
