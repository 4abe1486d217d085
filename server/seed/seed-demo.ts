// The demo data `npm start` puts into an empty database. Later issues extend it (catalog,
// customers, a Stripe history driven through the emulator).
import type { Deps } from '../deps.ts';
import { seedDemoCatalog, seedDemoCustomers } from './demo-customers.ts';
import { seedDemoStaff } from './demo-staff.ts';

export type DemoSeedStep = (deps: Deps) => Promise<void>;

/** Steps run in order; each must be idempotent so a half-finished seed can be resumed. */
export const DEMO_SEED_STEPS: Array<{ name: string; run: DemoSeedStep }> = [
  { name: 'staff users', run: (deps) => seedDemoStaff(deps.prisma, deps.auth) },
  { name: 'catalog', run: seedDemoCatalog },
  { name: 'demo customers and ledgers', run: seedDemoCustomers },
];

export async function isDatabaseEmpty(deps: Deps): Promise<boolean> {
  return (await deps.prisma.user.count()) === 0;
}

export async function seedDemo(deps: Deps): Promise<void> {
  for (const step of DEMO_SEED_STEPS) {
    const started = Date.now();
    await step.run(deps);
    deps.log.info({ step: step.name, ms: Date.now() - started }, 'demo seed step done');
  }
}
