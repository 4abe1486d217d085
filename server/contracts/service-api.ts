// Request bodies of the service API (/api/v1), validated once at the edge. Unknown fields are
// refused (a typo such as "customer_id" is a 400 naming the field, not a silently ignored value).
import { z } from 'zod';

export const externalId = z.string().trim().min(1, 'is required').max(255, 'at most 255 characters');
const featureKey = z.string().min(1, 'is required').max(64, 'at most 64 characters');
export const idempotencyKey = z
  .string()
  .min(1, 'is required')
  .max(200, 'at most 200 characters')
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

export const upsertCustomerBody = z.strictObject({
  email: z.email('must be an email address'),
  name: z.string().trim().max(200, 'at most 200 characters').nullable().optional(),
});

export const accessCheckBody = z.strictObject({
  customerId: externalId,
  feature: featureKey,
  /** Check for this many credits instead of the feature's cost. */
  credits: z.number().int('must be a whole number').min(0, 'must not be negative').optional(),
});

/** Kept with the usage as dispute evidence. Known fields are typed; others are kept as sent. */
const usageMetadata = z
  .object({
    model: z.string().max(200).optional(),
    operation: z.string().max(200).optional(),
    resultReference: z.string().max(2000).optional(),
    clientIp: z.string().max(64).optional(),
    userAgent: z.string().max(1000).optional(),
  })
  .catchall(z.unknown())
  .refine((m) => JSON.stringify(m).length <= 16_384, 'must be at most 16 KB of JSON');

export const usageBody = z.strictObject({
  customerId: externalId,
  feature: featureKey,
  idempotencyKey,
  credits: z
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must not be negative')
    .max(1_000_000, 'at most 1,000,000')
    .optional(),
  metadata: usageMetadata.optional(),
});
export type UsageBody = z.infer<typeof usageBody>;

export const reverseUsageBody = z.strictObject({
  reason: z.string().trim().min(1, 'is required').max(500, 'at most 500 characters'),
});
