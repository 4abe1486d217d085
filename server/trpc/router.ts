import { router } from './init.ts';
import { staffRouter } from './routers/staff.ts';
import { systemRouter } from './routers/system.ts';
import { webhooksRouter } from './routers/webhooks.ts';

export const appRouter = router({
  system: systemRouter,
  staff: staffRouter,
  webhooks: webhooksRouter,
});

export type AppRouter = typeof appRouter;
