// Response bodies of the service API (/api/v1). The OpenAPI document is generated from these and
// from the request contracts; the serializers are typed against them, and a contract test checks
// every route's real answers against the document, so the three cannot drift apart.
import { z } from 'zod';
import { CUSTOMER_STATUSES } from './statuses.ts';

const timestamp = z.iso.datetime({ offset: true }).describe('ISO 8601 timestamp');
const credits = z.number().int();

export const customerResponse = z
  .object({
    id: z.uuid().describe("Creditdesk's id of the customer"),
    externalId: z.string().describe("Your product's user id"),
    email: z.string(),
    name: z.string().nullable(),
    status: z.enum(CUSTOMER_STATUSES),
    stripeCustomerId: z.string().nullable(),
    balance: credits.describe('All credits the customer holds, frozen ones included'),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Customer' });

const entitlementResponse = z
  .object({
    value: z.union([z.boolean(), z.number()]).describe('on/off, or a limit'),
    source: z.enum(['plan', 'override', 'temporary_grant', 'none', 'blocked']),
    creditCost: credits.nullable().describe('Credits one use costs, null when the feature is not metered'),
    expiresAt: timestamp.optional().describe('Only for temporary grants'),
  })
  .meta({ id: 'Entitlement' });

export const customerOverviewResponse = customerResponse
  .extend({
    available: credits.describe('Credits a usage can draw now (not frozen, not expired)'),
    plan: z.object({ key: z.string(), name: z.string() }).nullable(),
    entitlements: z.record(z.string(), entitlementResponse).describe('By feature key'),
  })
  .meta({ id: 'CustomerOverview' });

export const balanceResponse = z
  .object({
    balance: credits,
    available: credits,
    lots: z
      .array(
        z.object({
          id: z.uuid(),
          source: z.enum(['pack_purchase', 'subscription_period', 'promo', 'manual']),
          remaining: credits,
          expiresAt: timestamp.nullable(),
          costBasis: z.enum(['paid', 'free']),
          frozen: z.boolean(),
        }),
      )
      .describe('In the order usage draws them'),
  })
  .meta({ id: 'Balance' });

export const accessDecisionResponse = z
  .discriminatedUnion('allowed', [
    z.object({ allowed: z.literal(true) }),
    z.object({ allowed: z.literal(false), reason: z.enum(['blocked', 'not_entitled', 'insufficient_credits']) }),
  ])
  .meta({ id: 'AccessDecision' });

export const usageResponse = z
  .object({
    usageId: z.uuid(),
    credits: credits.describe('Credits charged'),
    balance: credits.describe('Balance after the charge'),
    replayed: z.boolean().describe('true when this idempotency key was already charged: nothing was charged again'),
  })
  .meta({ id: 'Usage' });

export const reverseUsageResponse = z
  .object({
    usageId: z.uuid(),
    credits: credits.describe('Credits given back'),
    balance: credits,
    alreadyReversed: z.boolean(),
    reversed: z.literal(true),
  })
  .meta({ id: 'UsageReversal' });

export const checkoutSessionResponse = z
  .object({
    id: z.string().describe('Stripe Checkout Session id (cs_…)'),
    url: z.string().nullable().describe('The hosted page to send the customer to'),
    mode: z.enum(['payment', 'subscription']),
  })
  .meta({ id: 'CheckoutSession' });

/** Every error answer, whatever the status. `code` is a stable, lower-case identifier. */
export const errorResponse = z
  .object({
    error: z.object({
      code: z.string().describe('e.g. validation, unauthorized, insufficient_credits, blocked, not_entitled'),
      message: z.string().describe('For people; may change'),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'ErrorResponse' });

export type CustomerResponse = z.input<typeof customerResponse>;
export type CustomerOverviewResponse = z.input<typeof customerOverviewResponse>;
export type BalanceResponse = z.input<typeof balanceResponse>;
