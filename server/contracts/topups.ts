// Auto top-up settings as staff edit them (support acts for the customer; saving also resumes
// top-ups paused by a failed charge or the monthly cap).
import { z } from 'zod';

// A typed value that is not a number at all (the staff forms pass "abc" on as NaN) is refused with
// the same words as a fraction.
const credits = z
  .number({ error: 'must be a whole number' })
  .int('must be a whole number')
  .min(0, 'must not be negative');
export const autoTopupCustomerInput = z.object({ customerId: z.uuid() });
export const setAutoTopupInput = z.object({
  customerId: z.uuid(),
  enabled: z.boolean(),
  /** null: the plan's default. */
  thresholdCredits: credits.nullable().optional(),
  packKey: z.string().trim().min(1, 'Name a pack').max(64, 'A pack key is at most 64 characters').nullable().optional(),
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
