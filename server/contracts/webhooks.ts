// Inputs of the staff webhook procedures (zod only; shared with web/).
import { z } from 'zod';
import { EVENT_STATUSES } from './statuses.ts';

const stripeEventId = z.string().regex(/^evt_[A-Za-z0-9_]+$/, 'Not a Stripe event id (evt_...)');
/** Why a staff member reprocessed, fetched or linked events (audited with each). */
export const reprocessReason = z
  .string()
  .trim()
  .min(5, 'Say why in a few words (5 characters or more)')
  .max(500, 'Keep the reason under 500 characters');
const reason = reprocessReason;

export const listEventsInput = z.object({
  status: z.enum(EVENT_STATUSES).optional(),
  type: z.string().trim().max(100).optional(),
  customerId: z.uuid().optional(),
  /** An evt_ id, or the id of the object an event carries (cs_, in_, sub_, ch_, re_, dp_...). */
  search: z.string().trim().max(200).optional(),
  cursor: z.string().max(200).nullish(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type ListEventsInput = z.input<typeof listEventsInput>;

export const eventIdInput = z.object({ eventId: stripeEventId });

export const listDeliveriesInput = z.object({
  eventId: stripeEventId.optional(),
  duplicate: z.boolean().optional(),
  cursor: z.string().max(50).nullish(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type ListDeliveriesInput = z.input<typeof listDeliveriesInput>;

export const webhookHealthInput = z.object({
  /** Count rejections since this time (default: the last 24 hours). */
  since: z.coerce.date().optional(),
});

export const reprocessInput = z.object({ eventId: stripeEventId, reason: reason.optional() });

export const fetchEventInput = z
  .object({
    eventId: stripeEventId.optional(),
    /** The Stripe object (cs_, in_, pi_, sub_, ch_...) whose events never reached us. */
    objectId: z
      .string()
      .regex(/^[a-z]+_[A-Za-z0-9_]+$/, 'Not a Stripe id')
      .optional(),
    reason: reason.optional(),
  })
  // Both may be given (the desk knows the object and perhaps the event): the event id wins.
  .refine((v) => !!v.eventId || !!v.objectId, 'Give an event id or an object id');

export const linkCustomerInput = z.object({ eventId: stripeEventId, customerId: z.uuid(), reason });

export const resyncSubscriptionInput = z.object({
  subscriptionId: z.string().regex(/^sub_[A-Za-z0-9_]+$/, 'Not a subscription id (sub_...)'),
  reason: reason.optional(),
});

export const reconciliationRunsInput = z.object({ limit: z.number().int().min(1).max(50).default(10) });
