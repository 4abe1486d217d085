// The one home for status sets: which statuses a record can be in (and groups such as
// "refundable"). tRPC inputs and the web import them from here; the words and colours for people
// are in status-words.ts, typed by these same sets. Where the database holds a set as a Prisma enum,
// statuses.test.ts checks both agree. Lists are in the order a person reads them (filters).

export const CUSTOMER_STATUSES = ['active', 'blocked'] as const;
export type CustomerStatusName = (typeof CUSTOMER_STATUSES)[number];

export const PAYMENT_STATUSES = ['pending', 'paid', 'failed', 'refunded', 'partially_refunded'] as const;
export type PaymentStatusName = (typeof PAYMENT_STATUSES)[number];
/** Money arrived and some of it is still ours to refund. */
export const REFUNDABLE_PAYMENT_STATUSES = ['paid', 'partially_refunded'] as const;

export const REFUND_STATUSES = ['pending_approval', 'rejected', 'pending', 'succeeded', 'failed', 'canceled'] as const;
export type RefundStatusName = (typeof REFUND_STATUSES)[number];

/** Stripe's dispute statuses, as stored (`dispute.status`), with the appeal states Stripe adds. */
export type DisputeStatusName =
  | 'needs_response'
  | 'warning_needs_response'
  | 'appeal_needs_response'
  | 'under_review'
  | 'warning_under_review'
  | 'appeal_under_review'
  | 'won'
  | 'lost'
  | 'warning_closed'
  | 'prevented'
  | 'charge_refunded';

/** Stripe's subscription statuses, as stored (`subscription.status`). */
export type SubscriptionStatusName =
  'active' | 'trialing' | 'past_due' | 'unpaid' | 'incomplete' | 'incomplete_expired' | 'paused' | 'canceled';

export const EVENT_STATUSES = ['processed', 'failed', 'deferred', 'received', 'ignored'] as const;
export type EventStatusName = (typeof EVENT_STATUSES)[number];

export const OUTBOUND_DELIVERY_STATUSES = ['pending', 'sending', 'retrying', 'succeeded', 'failed'] as const;
export type OutboundDeliveryStatusName = (typeof OUTBOUND_DELIVERY_STATUSES)[number];

/** A reconciliation run (`reconciliation_run.status`). */
export type RunStatusName = 'running' | 'succeeded' | 'failed';

/** A block's Stripe Radar block-list sync (`block_event.radar_status`; null: the setting was off). */
export type RadarSyncStatusName = 'pending' | 'done' | 'failed';

/** `list.includes(value)` for a value typed wider than the list (a stored string column). */
export function isOneOf<T extends string>(list: readonly T[], value: string | null | undefined): value is T {
  return (list as readonly string[]).includes(value ?? '');
}
