// The catalog screens (admin only): the editable catalog with its version, a preview of a change
// (problems and the customers it touches), save, versions and restore, and the Stripe price
// mapping helper. Writes are audited by their modules and each becomes a catalog version.
import {
  catalogVersionInput,
  catalogVersionsInput,
  mapPriceInput,
  previewCatalogInput,
  previewMapPriceInput,
  priceToMapInput,
  restoreCatalogVersionInput,
  saveCatalogInput,
  unmappedPricesInput,
} from '../../contracts/catalog-admin.ts';
import { exportCatalog } from '../../modules/catalog/get-catalog.ts';
import {
  getCatalogVersion,
  currentCatalogVersion,
  listCatalogVersions,
} from '../../modules/catalog/list-catalog-versions.ts';
import { listUnmappedPrices } from '../../modules/catalog/list-unmapped-prices.ts';
import { getPriceToMap } from '../../modules/catalog/get-price-to-map.ts';
import { mapPrice } from '../../modules/catalog/map-price.ts';
import { previewMapPrice } from '../../modules/catalog/preview-map-price.ts';
import { previewCatalogChange } from '../../modules/catalog/preview-catalog-change.ts';
import { restoreCatalogVersion } from '../../modules/catalog/restore-catalog-version.ts';
import { saveCatalog } from '../../modules/catalog/save-catalog.ts';
import { pipelineContext } from '../../stripe/pipeline.ts';
import { adminProcedure, router } from '../init.ts';

export const catalogAdminRouter = router({
  /** The catalog in its file format, and the version it is (read the version first: a save in between is then caught as stale). */
  state: adminProcedure.query(async ({ ctx }) => {
    const current = await currentCatalogVersion(ctx.deps.prisma);
    return { ...current, catalog: await exportCatalog(ctx.deps.prisma) };
  }),
  // A mutation only because a whole catalog is too large for a query string; it writes nothing.
  preview: adminProcedure
    .input(previewCatalogInput)
    .mutation(({ ctx, input }) => previewCatalogChange(ctx.deps.prisma, input.catalog)),
  save: adminProcedure
    .input(saveCatalogInput)
    .mutation(({ ctx, input }) => saveCatalog(ctx.deps.prisma, { ...input, actor: ctx.actor })),
  versions: adminProcedure
    .input(catalogVersionsInput)
    .query(({ ctx, input }) => listCatalogVersions(ctx.deps.prisma, input)),
  version: adminProcedure
    .input(catalogVersionInput)
    .query(({ ctx, input }) => getCatalogVersion(ctx.deps.prisma, input.versionId)),
  restore: adminProcedure
    .input(restoreCatalogVersionInput)
    .mutation(({ ctx, input }) => restoreCatalogVersion(ctx.deps.prisma, { ...input, actor: ctx.actor })),
  unmappedPrices: adminProcedure
    .input(unmappedPricesInput)
    .query(({ ctx, input }) =>
      listUnmappedPrices(ctx.deps.prisma, { stripe: ctx.deps.stripe?.client ?? null, days: input.days }),
    ),
  priceToMap: adminProcedure
    .input(priceToMapInput)
    .query(({ ctx, input }) => getPriceToMap(ctx.deps.prisma, ctx.deps.stripe?.client ?? null, input.priceId)),
  // A mutation because it runs the handlers (in a transaction that is rolled back); it writes nothing.
  previewMapPrice: adminProcedure
    .input(previewMapPriceInput)
    .mutation(({ ctx, input }) => previewMapPrice(pipelineContext(ctx.deps), { ...input, actor: ctx.actor })),
  mapPrice: adminProcedure
    .input(mapPriceInput)
    .mutation(({ ctx, input }) => mapPrice(ctx.deps.prisma, { ...input, actor: ctx.actor })),
});
