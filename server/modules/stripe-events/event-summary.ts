// The columns a list of stored Stripe events shows, and how one row reads: shared by the support
// list (listEvents) and the webhook monitor (searchEvents) so both say the same about an event.
import type { Prisma } from '../../generated/prisma/client.ts';

export const EVENT_SUMMARY_SELECT = {
  id: true,
  type: true,
  created: true,
  livemode: true,
  objectId: true,
  customerId: true,
  status: true,
  attempts: true,
  lastError: true,
  nextAttemptAt: true,
  processedAt: true,
  source: true,
  receivedAt: true,
  _count: { select: { deliveries: true } },
  processing: { orderBy: { id: 'desc' }, take: 1, select: { outcome: true, summary: true, error: true } },
} satisfies Prisma.StripeEventSelect;

type EventSummaryRow = Prisma.StripeEventGetPayload<{ select: typeof EVENT_SUMMARY_SELECT }>;

/** Delivery count and the last processing outcome instead of the raw relations. */
export function toEventSummary({ _count, processing, ...event }: EventSummaryRow) {
  return { ...event, deliveries: _count.deliveries, lastOutcome: processing[0] ?? null };
}
