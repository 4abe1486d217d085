// Staff-side customer procedures (tRPC), shared with the web forms.
import { z } from 'zod';
import { CUSTOMER_STATUSES } from './statuses.ts';
import { cursor } from './paging.ts';
import { entitlementValue } from './catalog.ts';

const reason = z.string().trim().min(3, 'Say why (at least 3 characters)').max(500);

export const listCustomersInput = z.object({
  query: z.string().trim().max(200).optional(),
  status: z.enum(CUSTOMER_STATUSES).optional(),
  cursor,
  pageSize: z.number().int().min(1).max(100).default(25),
});
export type ListCustomersInput = z.input<typeof listCustomersInput>;

export const customerIdInput = z.object({ customerId: z.uuid() });

export const setPlanInput = z.object({
  customerId: z.uuid(),
  /** null: back to the default plan. */
  planKey: z.string().min(1).nullable(),
  reason,
});
export type SetPlanInput = z.input<typeof setPlanInput>;

export const grantOverrideInput = z.object({
  customerId: z.uuid(),
  feature: z.string().min(1),
  value: entitlementValue,
  /** Set for a temporary grant; omitted for a permanent override. */
  expiresAt: z.coerce.date().nullable().optional(),
  reason,
});
export type GrantOverrideInput = z.input<typeof grantOverrideInput>;

export const revokeOverrideInput = z.object({ overrideId: z.uuid(), reason });
