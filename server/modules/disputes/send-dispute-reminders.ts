// Reminders before the evidence deadline: a dispute still waiting for our response with less than
// REMIND_BEFORE_MS left (or already past due) is reminded once. The reminder is an audit record
// about the dispute, so it shows in the customer's timeline and the audit log, and the Disputes
// list marks the dispute as reminded. Idempotent: remindedAt is set under a condition.
import type { Db } from '../../db/client.ts';
import { TX_OPTIONS } from '../../db/tx.ts';
import type { Actor } from '../../lib/actor.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { disputeDue } from './dispute-state.ts';
import { dateTime } from '../../contracts/date-words.ts';

const REMIND_BEFORE_MS = 48 * 3_600_000;
const REMINDER_ACTOR: Actor = { type: 'system', id: 'dispute-reminders' };

export async function sendDisputeReminders(db: Db, options: { now?: Date } = {}) {
  const now = options.now ?? new Date();
  const due = await db.dispute.findMany({
    where: {
      status: { in: ['needs_response', 'warning_needs_response', 'appeal_needs_response'] },
      submittedAt: null,
      remindedAt: null,
      evidenceDueBy: { gt: new Date(0), lte: new Date(now.getTime() + REMIND_BEFORE_MS) },
    },
    orderBy: { evidenceDueBy: 'asc' },
    take: 100,
  });
  const sent: Array<{ disputeId: string; dueBy: Date; state: string }> = [];
  for (const d of due) {
    const state = disputeDue(d, now);
    const hours = Math.floor((state.msLeft ?? 0) / 3_600_000);
    const words =
      state.state === 'overdue'
        ? `Evidence for ${d.id} was due ${dateTime(d.evidenceDueBy!)} and was not submitted`
        : `Evidence for ${d.id} is due ${dateTime(d.evidenceDueBy!)} (in ${hours} h)${d.stagedAt ? '; it is staged but not submitted' : ''}`;
    const reminded = await db.$transaction(async (tx) => {
      const claimed = await tx.dispute.updateMany({ where: { id: d.id, remindedAt: null }, data: { remindedAt: now } });
      if (!claimed.count) return false;
      await recordAudit(tx, {
        actor: REMINDER_ACTOR,
        action: 'dispute.reminder',
        targetType: 'dispute',
        targetId: d.id,
        customerId: d.customerId,
        after: { dueBy: d.evidenceDueBy, state: state.state, staged: !!d.stagedAt },
        reason: words,
      });
      return true;
    }, TX_OPTIONS);
    if (reminded) sent.push({ disputeId: d.id, dueBy: d.evidenceDueBy!, state: state.state });
  }
  return sent;
}
