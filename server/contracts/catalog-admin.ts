// Inputs of the catalog admin screens (zod only; shared with web/): preview and save a whole
// catalog, its versions, and the Stripe price mapping helper.
import { z } from 'zod';
import { catalogKey, stripePriceId } from './catalog.ts';

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

export const mapPriceInput = z.object({
  priceId: stripePriceId,
  kind: z.enum(['plan', 'pack']),
  key: catalogKey,
  reason,
});
export type MapPriceInput = z.input<typeof mapPriceInput>;
