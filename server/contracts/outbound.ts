// Outbound events: what Creditdesk tells the product's backend, and the admin inputs for the
// endpoints that receive them. Each type carries the version of its payload; a receiver switches
// on (type, version). Bump a version only with a new payload shape, documented in the README.
import { z } from 'zod';
import { OUTBOUND_DELIVERY_STATUSES } from './statuses.ts';

export const OUTBOUND_EVENT_TYPES = {
  'credits.granted': 1,
  'credits.low': 1,
  'credits.depleted': 1,
  'credits.expiring': 1,
  'entitlements.changed': 1,
  'customer.blocked': 1,
  'customer.unblocked': 1,
  'refund.completed': 1,
  'dispute.opened': 1,
  'dispute.closed': 1,
  'payment.failed': 1,
  'topup.succeeded': 1,
  'topup.failed': 1,
  /** "Send test event": delivered only to the endpoint it was sent from. */
  'endpoint.test': 1,
} as const;

export type OutboundEventType = keyof typeof OUTBOUND_EVENT_TYPES;
export const outboundEventTypes = Object.keys(OUTBOUND_EVENT_TYPES) as OutboundEventType[];
/** Types an endpoint can subscribe to (test events always reach the endpoint they were sent to). */
export const subscribableEventTypes = outboundEventTypes.filter((t) => t !== 'endpoint.test');

const outboundEventType = z.enum(outboundEventTypes as [OutboundEventType, ...OutboundEventType[]]);

const url = z.string().trim().min(1, 'Enter the endpoint URL').max(2000, 'The URL is too long');
const description = z.string().trim().max(500).default('');
const eventTypes = z
  .array(outboundEventType.refine((t) => t !== 'endpoint.test', 'endpoint.test cannot be subscribed to'))
  .max(50)
  .default([]);

export const createEndpointInput = z.object({ url, description, eventTypes });
export type CreateEndpointInput = z.input<typeof createEndpointInput>;

export const updateEndpointInput = z.object({
  id: z.uuid(),
  url: url.optional(),
  description: z.string().trim().max(500).optional(),
  eventTypes: eventTypes.optional(),
});
export const endpointIdInput = z.object({ id: z.uuid() });
export const setEndpointEnabledInput = z.object({ id: z.uuid(), enabled: z.boolean() });

const outboundDeliveryStatus = z.enum(OUTBOUND_DELIVERY_STATUSES);
export const listOutboundDeliveriesInput = z.object({
  endpointId: z.uuid(),
  status: outboundDeliveryStatus.optional(),
  eventType: outboundEventType.optional(),
  /** evt_cd_ id or a customer id. */
  search: z.string().trim().max(200).optional(),
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
});
export const resendOutboundEventInput = z.object({ endpointId: z.uuid(), eventId: z.string().trim().min(1).max(100) });

/** The JSON body of every delivery. */
export interface OutboundEnvelope {
  id: string;
  type: OutboundEventType;
  version: number;
  created: string;
  customerId: string | null;
  data: Record<string, unknown>;
}
