// Staff procedures for the credits ledger: every role reads balance, lots and entries; finance and
// admins grant or adjust credits with a mandatory reason (audited by the module).
import { adjustCreditsInput, balanceInput, listEntriesInput } from '../../contracts/ledger.ts';
import { customerIdInput } from '../../contracts/customers.ts';
import { adjustCredits } from '../../modules/ledger/adjust-credits.ts';
import { getBalance } from '../../modules/ledger/get-balance.ts';
import { listLedgerEntries } from '../../modules/ledger/list-entries.ts';
import { verifyLedger } from '../../modules/ledger/verify-ledger.ts';
import { financeProcedure, router, staffProcedure } from '../init.ts';

export const ledgerRouter = router({
  balance: staffProcedure
    .input(balanceInput)
    .query(({ ctx, input }) => getBalance(ctx.deps.prisma, input.customerId, { includeEmpty: input.includeEmpty })),
  entries: staffProcedure.input(listEntriesInput).query(({ ctx, input }) => listLedgerEntries(ctx.deps.prisma, input)),
  /** Integrity check a support agent can run: empty when balance, entries and lots agree. */
  verify: staffProcedure
    .input(customerIdInput)
    .query(({ ctx, input }) => verifyLedger(ctx.deps.prisma, input.customerId)),
  adjust: financeProcedure
    .input(adjustCreditsInput)
    .mutation(({ ctx, input }) => adjustCredits(ctx.deps.prisma, { ...input, actor: ctx.actor })),
});
