// The catalog as JSON: what `npm run catalog:import`, the admin import procedure and the export
// speak. Structure and per-field rules live here (shared with the web form); rules that compare
// parts of the catalog (unknown features, duplicate price ids, one default plan) live in
// server/contracts/validate-catalog.ts, and both report every problem with its path.
import { z } from 'zod';

export const catalogKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, 'use lowercase letters, digits and _ (starting with a letter)');
export const stripePriceId = z.string().regex(/^price_[A-Za-z0-9_]+$/, 'must be a Stripe price id (price_...)');
const credits = z.number({ message: 'must be a number' }).int('must be a whole number').min(0, 'must not be negative');
const positive = z.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be 1 or more');

const featureType = z.enum(['boolean', 'limit']);
/** true: on (for a limit: unlimited); a number: the limit. */
export const entitlementValue = z.union([
  z.literal(true),
  z.number().int('must be a whole number').min(0, 'must not be negative'),
]);
export type EntitlementValue = z.infer<typeof entitlementValue>;

const catalogFeature = z.strictObject({
  key: catalogKey,
  name: z.string().trim().min(1, 'is required'),
  type: featureType.optional(),
  creditCost: credits.optional(),
});

const catalogPlan = z.strictObject({
  key: catalogKey,
  name: z.string().trim().min(1, 'is required'),
  default: z.boolean().optional(),
  monthlyCredits: credits,
  rollover: z.boolean().optional(),
  stripePriceIds: z.array(stripePriceId),
  entitlements: z.record(z.string(), entitlementValue),
  /** credits.low is sent when a customer's balance crosses below this (a customer's own value wins). */
  lowBalanceThreshold: credits.optional(),
  /** Auto top-up defaults for customers on this plan who turned it on. */
  autoTopup: z
    .strictObject({
      /** Buy when a consume takes the balance below this many credits. */
      threshold: credits,
      /** The credit pack bought. */
      pack: catalogKey,
      /** Most spent per calendar month, minor units of the pack price's currency. */
      monthlyCap: credits.optional(),
    })
    .optional(),
});

const catalogPack = z.strictObject({
  key: catalogKey,
  name: z.string().trim().min(1, 'is required'),
  credits: positive,
  stripePriceIds: z.array(stripePriceId),
  expiresAfterDays: positive.nullable().optional(),
});

const catalogRules = z.strictObject({
  gracePeriodDays: credits,
  autoBlock: z.strictObject({ disputes: positive, windowDays: positive }),
  refundApproval: z.strictObject({
    /** Refunds above this amount (minor units) need a second person. */
    above: credits,
    currency: z
      .string()
      .regex(/^[a-zA-Z]{3}$/, 'must be a 3-letter currency code')
      .transform((v) => v.toLowerCase()),
  }),
  /** Manual grants above this many credits need finance or admin (support is refused). Omitted: unchanged. */
  manualGrantFinanceAbove: credits.optional(),
  /** A paid mid-period upgrade grants the prorated difference of the period's credits (default on). Omitted: unchanged. */
  upgradeCredits: z.boolean().optional(),
  /** Texts support and dispute evidence quote. Omitted: the current texts stay. */
  policies: z
    .strictObject({
      refundPolicy: z.string().max(20_000, 'keep it under 20,000 characters'),
      cancellationPolicy: z.string().max(20_000, 'keep it under 20,000 characters'),
      productDescription: z.string().max(20_000, 'keep it under 20,000 characters'),
    })
    .optional(),
});

export const catalogJson = z.strictObject({
  features: z.array(catalogFeature),
  plans: z.array(catalogPlan),
  creditPacks: z.array(catalogPack),
  /** Omitted: the current rules stay. */
  rules: catalogRules.optional(),
});
export type CatalogJson = z.infer<typeof catalogJson>;
export type CatalogJsonInput = z.input<typeof catalogJson>;

/** One problem found in a catalog file, with the JSON path it is about ("plans[1].entitlements.video"). */
export interface CatalogProblem {
  path: string;
  message: string;
}

/** Admin import: the catalog JSON itself (parsed by the module, which lists every problem). */
export const importCatalogInput = z.object({ catalog: z.unknown() });
