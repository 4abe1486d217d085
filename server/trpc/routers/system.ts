import { staffDirectory } from '../../modules/staff/staff-directory.ts';
import { publicProcedure, router, staffProcedure } from '../init.ts';

export const systemRouter = router({
  /** What the header shows: whether Stripe is real or the emulator. Public so the login page can say it too. */
  info: publicProcedure.query(({ ctx }) => ({
    stripeMode: ctx.deps.stripe?.mode ?? ('unconfigured' as const),
    environment: ctx.deps.env.NODE_ENV,
  })),
  me: staffProcedure.query(({ ctx }) => ctx.user),
  /** Names for the staff ids that records carry (ledger, blocks, refunds, audit); every staff role reads it. */
  staffDirectory: staffProcedure.query(({ ctx }) => staffDirectory(ctx.deps.prisma)),
});
