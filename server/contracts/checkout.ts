// POST /api/v1/checkout-sessions: the product's backend asks for a hosted Stripe Checkout page.
import { z } from 'zod';
import { externalId } from './service-api.ts';

const catalogKey = z.string().trim().min(1, 'is required').max(64, 'at most 64 characters');
const redirectUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).max(2000);

export const createCheckoutSessionBody = z
  .strictObject({
    customerId: externalId,
    pack: catalogKey.optional(),
    plan: catalogKey.optional(),
    successUrl: redirectUrl,
    cancelUrl: redirectUrl,
    /** The buyer's IP address as the product's backend saw it: purchase evidence in disputes. */
    clientIp: z.union([z.ipv4(), z.ipv6()], { message: 'must be an IPv4 or IPv6 address' }).optional(),
    /** The buyer's browser user agent: purchase evidence in disputes (Stripe metadata holds 500 characters). */
    userAgent: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(500, 'at most 500 characters')
      .regex(/^[\x20-\x7e]+$/, 'printable ASCII only')
      .optional(),
    /** Packs only: save the card for off-session use and turn on automatic top-ups once paid. */
    autoTopup: z.boolean().optional(),
  })
  .refine((b) => !!b.pack !== !!b.plan, { message: 'give exactly one of pack or plan', path: ['pack'] })
  .refine((b) => !b.autoTopup || !!b.pack, {
    message: 'automatic top-ups are set up with a pack',
    path: ['autoTopup'],
  });
export type CreateCheckoutSessionBody = z.infer<typeof createCheckoutSessionBody>;
