// The catalog's auto-block rule, evaluated on every dispute event: more than
// rules.autoBlockDisputes disputes opened within rules.autoBlockWindowDays blocks the customer
// with the reason "4 disputes since <date of the oldest in the window>". Inquiries (warning_*
// statuses) are not chargebacks and do not count. A staff unblock made after the newest dispute
// was recorded is a deliberate override: the rule leaves the customer alone until another
// dispute arrives.
import type { DbOrTx } from '../../db/tx.ts';
import type { Actor } from '../../lib/actor.ts';
import { getRules } from '../catalog/get-rules.ts';
import { recordBlock } from './record-block.ts';

const DAY_MS = 86_400_000;
const AUTO_BLOCK_ACTOR: Actor = { type: 'system', id: 'auto-block-rule' };

export interface AutoBlockOutcome {
  blocked: boolean;
  disputes: number;
  /** What happened, in words for the event's processing summary; null when the rule does not match. */
  summary: string | null;
}

export async function applyAutoBlockRule(
  tx: DbOrTx,
  input: { customerId: string; now?: Date },
): Promise<AutoBlockOutcome> {
  const now = input.now ?? new Date();
  const rules = await getRules(tx);
  const since = new Date(now.getTime() - rules.autoBlockWindowDays * DAY_MS);
  const disputes = await tx.dispute.findMany({
    where: { customerId: input.customerId, stripeCreated: { gte: since }, NOT: { status: { startsWith: 'warning_' } } },
    orderBy: { stripeCreated: 'asc' },
    select: { stripeCreated: true, createdAt: true },
  });
  const count = disputes.length;
  if (count <= rules.autoBlockDisputes) return { blocked: false, disputes: count, summary: null };

  const oldest = disputes[0]!.stripeCreated;
  const reason = `${count} disputes since ${oldest.toISOString().slice(0, 10)}`;
  const newestRecorded = disputes.reduce((max, d) => (d.createdAt > max ? d.createdAt : max), disputes[0]!.createdAt);
  const last = await tx.blockEvent.findFirst({
    where: { customerId: input.customerId },
    orderBy: { createdAt: 'desc' },
    select: { action: true, createdAt: true },
  });
  if (last?.action === 'unblock' && last.createdAt >= newestRecorded) {
    return {
      blocked: false,
      disputes: count,
      summary: `auto-block rule matches (${reason}) but staff unblocked after the latest dispute: left unblocked`,
    };
  }
  const result = await recordBlock(tx, { customerId: input.customerId, reason, actor: AUTO_BLOCK_ACTOR, now });
  return {
    blocked: result.changed,
    disputes: count,
    summary: result.changed ? `customer blocked by the auto-block rule: ${reason}` : 'customer already blocked',
  };
}
