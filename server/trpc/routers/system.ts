import { loadCatalogNames } from '../../modules/catalog/catalog-names.ts';
import { getRules } from '../../modules/catalog/get-rules.ts';
import { stripeConnectionStatus } from '../../modules/settings/stripe-connection-status.ts';
import { staffDirectory } from '../../modules/staff/staff-directory.ts';
import { adminProcedure, publicProcedure, router, staffProcedure } from '../init.ts';

export const systemRouter = router({
  /** What the header shows: whether Stripe is real or the emulator. Public so the login page can say it too. */
  info: publicProcedure.query(({ ctx }) => ({
    stripeMode: ctx.deps.stripe?.mode ?? ('unconfigured' as const),
    environment: ctx.deps.env.NODE_ENV,
  })),
  me: staffProcedure.query(({ ctx }) => ctx.user),
  /** Names for the staff ids that records carry (ledger, blocks, refunds, audit); every staff role reads it. */
  staffDirectory: staffProcedure.query(({ ctx }) => staffDirectory(ctx.deps.prisma)),
  /** Plans' and packs' names by key, so pages name what a customer bought or is on; every staff role reads it. */
  catalogNames: staffProcedure.query(({ ctx }) => loadCatalogNames(ctx.deps.prisma)),
  /** Settings: the Stripe account, mode and webhook endpoint as Stripe reports them now. */
  stripeStatus: adminProcedure.query(({ ctx }) => stripeConnectionStatus(ctx.deps)),
  /** Settings: the policies and rules in force (they are edited in the Catalog, as a new version). */
  policies: adminProcedure.query(({ ctx }) => getRules(ctx.deps.prisma)),
});
