// Where a dispute stands against its evidence deadline. One function so the list, the dispute page,
// the reminder job and the tests agree on "overdue", "needs response" and the countdown colour.
import type { DisputeState, DisputeUrgency } from '../../contracts/disputes.ts';

const HOUR_MS = 3_600_000;
/** Red under a day left, amber under three days. */
const CRITICAL_MS = 24 * HOUR_MS;
const SOON_MS = 72 * HOUR_MS;

const WAITING_FOR_US = new Set(['needs_response', 'warning_needs_response', 'appeal_needs_response']);
const WITH_THE_BANK = new Set(['under_review', 'warning_under_review', 'appeal_under_review']);

export interface DisputeClock {
  status: string;
  evidenceDueBy: Date | null;
  stagedAt: Date | null;
  submittedAt: Date | null;
}

export interface DisputeDue {
  state: DisputeState;
  urgency: DisputeUrgency;
  /** Milliseconds until the deadline (negative once past); null without a deadline or once answered. */
  msLeft: number | null;
}

/** True while we still owe the bank a response (the only time the deadline matters). */
export function awaitsResponse(d: Pick<DisputeClock, 'status' | 'submittedAt'>): boolean {
  return WAITING_FOR_US.has(d.status) && !d.submittedAt;
}

export function disputeDue(d: DisputeClock, now: Date): DisputeDue {
  if (d.status === 'won' || d.status === 'lost') return { state: d.status, urgency: 'none', msLeft: null };
  if (d.status === 'warning_closed' || d.status === 'prevented')
    return { state: 'closed', urgency: 'none', msLeft: null };
  if (WITH_THE_BANK.has(d.status) || d.submittedAt) return { state: 'submitted', urgency: 'none', msLeft: null };
  if (!WAITING_FOR_US.has(d.status)) return { state: 'closed', urgency: 'none', msLeft: null };
  // due_by 0 / null: the bank allows no response; nothing to count down to.
  if (!d.evidenceDueBy || d.evidenceDueBy.getTime() <= 0) {
    return { state: d.stagedAt ? 'staged' : 'needs_response', urgency: 'none', msLeft: null };
  }
  const msLeft = d.evidenceDueBy.getTime() - now.getTime();
  if (msLeft <= 0) return { state: 'overdue', urgency: 'overdue', msLeft };
  const urgency: DisputeUrgency = msLeft < CRITICAL_MS ? 'critical' : msLeft < SOON_MS ? 'soon' : 'ok';
  return { state: d.stagedAt ? 'staged' : 'needs_response', urgency, msLeft };
}
