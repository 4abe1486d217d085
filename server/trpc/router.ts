import { router } from './init.ts';
import { accountRouter } from './routers/account.ts';
import { apiKeysRouter } from './routers/api-keys.ts';
import { auditRouter } from './routers/audit.ts';
import { blocksRouter } from './routers/blocks.ts';
import { catalogRouter } from './routers/catalog.ts';
import { catalogAdminRouter } from './routers/catalog-admin.ts';
import { customersRouter } from './routers/customers.ts';
import { disputesRouter } from './routers/disputes.ts';
import { ledgerRouter } from './routers/ledger.ts';
import { outboundRouter } from './routers/outbound.ts';
import { refundsRouter } from './routers/refunds.ts';
import { reportsRouter } from './routers/reports.ts';
import { staffRouter } from './routers/staff.ts';
import { topupsRouter } from './routers/topups.ts';
import { supportRouter } from './routers/support.ts';
import { systemRouter } from './routers/system.ts';
import { webhooksRouter } from './routers/webhooks.ts';
import { webhooksAdminRouter } from './routers/webhooks-admin.ts';

export const appRouter = router({
  system: systemRouter,
  staff: staffRouter,
  account: accountRouter,
  webhooks: webhooksRouter,
  webhooksAdmin: webhooksAdminRouter,
  customers: customersRouter,
  ledger: ledgerRouter,
  catalog: catalogRouter,
  catalogAdmin: catalogAdminRouter,
  apiKeys: apiKeysRouter,
  support: supportRouter,
  audit: auditRouter,
  refunds: refundsRouter,
  reports: reportsRouter,
  disputes: disputesRouter,
  blocks: blocksRouter,
  outbound: outboundRouter,
  topups: topupsRouter,
});

export type AppRouter = typeof appRouter;
