// Inputs of the webhook monitor (zod only; shared with web/): the searchable, paged event list,
// and the reprocess dry run. Reprocessing itself is webhooks.reprocess.
import { z } from 'zod';
import { cursor } from './paging.ts';
import { EVENT_STATUSES } from './statuses.ts';

export const searchEventsInput = z.object({
  status: z.enum(EVENT_STATUSES).optional(),
  /** An exact type ("invoice.paid") or a prefix ending in a dot ("invoice."). */
  type: z.string().trim().max(100).optional(),
  /** A customer: Creditdesk id, email, the product's user id, or Stripe cus_ id. */
  customer: z.string().trim().max(200).optional(),
  /** An evt_ id or the id of the object the event carries (cs_, in_, sub_, ch_...). */
  search: z.string().trim().max(200).optional(),
  /** Stripe's `created`, from (inclusive) and to (exclusive). */
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  cursor,
  pageSize: z.number().int().min(1).max(100).default(50),
});
export type SearchEventsInput = z.input<typeof searchEventsInput>;
export type SearchEventsQuery = z.output<typeof searchEventsInput>;

const stripeEventId = z.string().regex(/^evt_[A-Za-z0-9_]+$/, 'Not a Stripe event id (evt_...)');

export const dryRunInput = z.object({
  eventIds: z.array(stripeEventId).min(1, 'Choose at least one event').max(50, 'At most 50 events per dry run'),
});
