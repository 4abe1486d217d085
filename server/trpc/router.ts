import { router } from './init.ts';
import { staffRouter } from './routers/staff.ts';
import { systemRouter } from './routers/system.ts';

export const appRouter = router({
  system: systemRouter,
  staff: staffRouter,
});

export type AppRouter = typeof appRouter;
