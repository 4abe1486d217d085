// Catalog procedures: every staff role reads it (plans explain entitlements); admins import and
// export the JSON file format.
import { importCatalogInput } from '../../contracts/catalog.ts';
import { exportCatalog, getCatalog } from '../../modules/catalog/get-catalog.ts';
import { importCatalog } from '../../modules/catalog/import-catalog.ts';
import { adminProcedure, router, staffProcedure } from '../init.ts';

export const catalogRouter = router({
  get: staffProcedure.query(({ ctx }) => getCatalog(ctx.deps.prisma)),
  export: adminProcedure.query(({ ctx }) => exportCatalog(ctx.deps.prisma)),
  import: adminProcedure
    .input(importCatalogInput)
    .mutation(({ ctx, input }) => importCatalog(ctx.deps.prisma, input.catalog, ctx.actor)),
});
