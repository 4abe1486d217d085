// Inputs of the catalog admin screens (zod only; shared with web/): preview and save a whole
// catalog, its versions, and the Stripe price mapping helper.
import { z } from 'zod';
import { catalogKey, stripePriceId } from './catalog.ts';
import { reprocessReason } from './webhooks.ts';

const reason = z.string().trim().min(3, 'Say why (at least 3 characters)').max(500, 'Keep it under 500 characters');
const versionId = z.string().regex(/^\d{1,18}$/, 'Not a catalog version');

/** The catalog is checked by the module, which lists every problem with its path. */
export const previewCatalogInput = z.object({ catalog: z.unknown() });

export const saveCatalogInput = z.object({
  catalog: z.unknown(),
  reason,
  /** The version the draft started from; null when there was none. */
  baseVersion: versionId.nullable(),
  source: z.enum(['editor', 'file']).default('editor'),
});
export type SaveCatalogInput = z.input<typeof saveCatalogInput>;

export const catalogVersionsInput = z.object({
  cursor: versionId.nullish(),
  limit: z.number().int().min(1).max(100).default(20),
});

export const catalogVersionInput = z.object({ versionId });
export const restoreCatalogVersionInput = z.object({ versionId, reason });

export const unmappedPricesInput = z.object({ days: z.number().int().min(1).max(365).default(90) });

/** What a price is mapped to: an existing plan or pack, or a new pack made from the price. */
export const mapPriceTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('plan'), key: catalogKey }),
  z.object({ kind: z.literal('pack'), key: catalogKey }),
  z.object({
    kind: z.literal('new_pack'),
    name: z.string().trim().min(1, 'Name the pack').max(120, 'Keep the name under 120 characters'),
    credits: z.number({ message: 'Say how many credits' }).int('A whole number of credits').min(1, 'At least 1 credit'),
  }),
]);
export type MapPriceTarget = z.infer<typeof mapPriceTarget>;

/** The price, what the mapping helper knows about it, and the events waiting on it. */
export const priceToMapInput = z.object({ priceId: stripePriceId });
export type PriceToMapInput = z.input<typeof priceToMapInput>;

/** The dry run of a mapping: the waiting events as they would apply with the price mapped. Writes nothing. */
export const previewMapPriceInput = z.object({ priceId: stripePriceId, target: mapPriceTarget });

/** The reason also goes with the reprocess of the waiting events, so it follows that rule. */
export const mapPriceInput = z.object({ priceId: stripePriceId, target: mapPriceTarget, reason: reprocessReason });
export type MapPriceInput = z.input<typeof mapPriceInput>;
