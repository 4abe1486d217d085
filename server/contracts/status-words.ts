// The one home for status words and colours, shared by the server's timeline and the web's badges
// (issue 16: one vocabulary, one colour per state on every page). Red = money lost or action needed, amber = waiting, green = settled in our favour
// or working, neutral = closed / informational. A refund that went through is "refunded" (neutral)
// on the Refunds page and on the customer's payments alike; a refunded payment reads the same.
// Each kind's words are typed by its set in statuses.ts: a status added there has no words until
// it gets them here (the typecheck says so), and a word for a status that is gone is an error too.
import type { DisputeState } from './disputes.ts';
import type {
  DisputeStatusName,
  EventStatusName,
  OutboundDeliveryStatusName,
  PaymentStatusName,
  RadarSyncStatusName,
  RefundStatusName,
  RunStatusName,
  SubscriptionStatusName,
} from './statuses.ts';

export type StatusTone = 'success' | 'warning' | 'danger' | 'neutral';
export type StatusKind =
  'payment' | 'refund' | 'dispute' | 'disputeState' | 'subscription' | 'event' | 'run' | 'delivery' | 'radar';

type Word = readonly [StatusTone, string];
type Words = Record<string, Word>;
/** Words for every status of one set, and for nothing else. */
const wordsFor = <S extends string>(words: Record<S, Word>): Words => words;

export const STATUS_WORDS: Record<StatusKind, Words> = {
  payment: wordsFor<PaymentStatusName>({
    pending: ['warning', 'pending'],
    paid: ['success', 'paid'],
    failed: ['danger', 'failed'],
    refunded: ['neutral', 'refunded'],
    partially_refunded: ['neutral', 'partly refunded'],
  }),
  refund: wordsFor<RefundStatusName>({
    pending_approval: ['warning', 'awaiting approval'],
    pending: ['warning', 'pending at Stripe'],
    succeeded: ['neutral', 'refunded'],
    failed: ['danger', 'failed'],
    canceled: ['neutral', 'canceled'],
    rejected: ['neutral', 'rejected'],
  }),
  // Stripe's own dispute statuses, as stored.
  dispute: wordsFor<DisputeStatusName>({
    warning_needs_response: ['warning', 'needs response'],
    needs_response: ['warning', 'needs response'],
    appeal_needs_response: ['warning', 'needs response (appeal)'],
    warning_under_review: ['neutral', 'with the bank'],
    under_review: ['neutral', 'with the bank'],
    appeal_under_review: ['neutral', 'with the bank (appeal)'],
    won: ['success', 'won'],
    lost: ['danger', 'lost'],
    warning_closed: ['neutral', 'closed'],
    charge_refunded: ['neutral', 'closed (refunded)'],
    prevented: ['success', 'prevented'],
  }),
  // Where a dispute stands against its deadline (server/contracts/disputes.ts DisputeState).
  disputeState: wordsFor<DisputeState>({
    overdue: ['danger', 'past due'],
    needs_response: ['warning', 'needs response'],
    staged: ['warning', 'staged, not submitted'],
    submitted: ['neutral', 'with the bank'],
    won: ['success', 'won'],
    lost: ['danger', 'lost'],
    closed: ['neutral', 'closed'],
  }),
  subscription: wordsFor<SubscriptionStatusName>({
    active: ['success', 'active'],
    trialing: ['success', 'trial'],
    past_due: ['warning', 'past due'],
    unpaid: ['danger', 'unpaid'],
    incomplete: ['warning', 'incomplete'],
    incomplete_expired: ['neutral', 'expired'],
    paused: ['warning', 'paused'],
    canceled: ['neutral', 'canceled'],
  }),
  // A stored event's status, and a dry run's 'error' (the handler threw).
  event: wordsFor<EventStatusName | 'error'>({
    processed: ['success', 'processed'],
    ignored: ['neutral', 'ignored'],
    received: ['warning', 'received'],
    deferred: ['warning', 'deferred (retrying)'],
    failed: ['danger', 'failed'],
    error: ['danger', 'error'],
  }),
  run: wordsFor<RunStatusName>({
    running: ['warning', 'running'],
    succeeded: ['success', 'succeeded'],
    failed: ['danger', 'failed'],
  }),
  // An outbound webhook delivery.
  delivery: wordsFor<OutboundDeliveryStatusName>({
    pending: ['neutral', 'pending'],
    sending: ['neutral', 'sending'],
    retrying: ['warning', 'retrying'],
    succeeded: ['success', 'succeeded'],
    failed: ['danger', 'failed'],
  }),
  // A block's sync to the Stripe Radar block lists.
  radar: wordsFor<RadarSyncStatusName>({
    pending: ['warning', 'pending'],
    done: ['success', 'synced'],
    failed: ['danger', 'failed'],
  }),
};

/** Words and colour for a status; an unknown one reads as itself, neutral. */
export function statusWords(kind: StatusKind, status: string): { tone: StatusTone; label: string } {
  const hit = STATUS_WORDS[kind][status];
  return hit ? { tone: hit[0], label: hit[1] } : { tone: 'neutral', label: status.replaceAll('_', ' ') };
}

/** The words alone, for sentences ("refund re_1 is refunded"). */
export function statusLabel(kind: StatusKind, status: string): string {
  return statusWords(kind, status).label;
}
