// Auto top-up settings as staff edit them (support acts for the customer; saving also resumes
// top-ups paused by a failed charge or the monthly cap).
import { z } from 'zod';

const credits = z.number().int('must be a whole number').min(0, 'must not be negative');
export const autoTopupCustomerInput = z.object({ customerId: z.uuid() });
export const setAutoTopupInput = z.object({
  customerId: z.uuid(),
  enabled: z.boolean(),
  /** null: the plan's default. */
  thresholdCredits: credits.nullable().optional(),
  packKey: z.string().trim().min(1).max(64).nullable().optional(),
  /** Minor units per calendar month; null: the plan's default. */
  monthlyCap: credits.nullable().optional(),
  reason: z.string().trim().min(3, 'Say why (at least 3 characters)').max(500),
});

/** The customer's own credits.low threshold; null: the plan's default. */
export const setLowBalanceThresholdInput = z.object({
  customerId: z.uuid(),
  threshold: credits.nullable(),
  reason: z.string().trim().min(3, 'Say why (at least 3 characters)').max(500),
});
