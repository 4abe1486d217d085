// The demo data `npm start` puts into an empty database: staff, the default catalog, and, with
// the Stripe emulator, a Stripe history played through real flows (ordinary customers and one
// customer per support case), so the database holds what a real Stripe account would have
// produced. Without the emulator (real keys, or `npm run db:seed`), customers with ledger-only
// histories stand in and the Stripe steps say why they were skipped.
import type { Deps } from '../deps.ts';
import { recordAudit } from '../modules/audit/record-audit.ts';
import { demoCatalogMisfit } from './demo-catalog-fit.ts';
import { seedDemoCatalog, seedDemoCustomers } from './demo-customers.ts';
import { seedDemoStaff } from './demo-staff.ts';
import { seedStripeCatalog, seedStripeCustomers, withDemoStripe } from './demo-stripe-history.ts';
import { SEED_ACTOR } from './demo-stripe-kit.ts';
import { seedSupportCases } from './demo-support-cases.ts';

export type DemoSeedResult = void | { skipped: string };
export type DemoSeedStep = (deps: Deps) => Promise<DemoSeedResult>;
/**
 * "database" steps write only to the database and run before the server listens; "stripe" steps
 * make the emulator send webhooks, so they run once the app listens for them.
 */
export type DemoSeedPhase = 'database' | 'stripe';

const usesEmulator = (deps: Deps) => deps.stripe?.mode === 'emulator';

export interface DemoSeedStepDef {
  name: string;
  phase: DemoSeedPhase;
  run: DemoSeedStep;
  /** Written for the default catalog: skipped when the catalog is someone else's (demo-catalog-fit.ts). */
  needsDemoCatalog?: boolean;
}

/** Steps run in order; each must be idempotent so a half-finished seed can be resumed. */
export const DEMO_SEED_STEPS: DemoSeedStepDef[] = [
  { name: 'staff users', phase: 'database', run: (deps) => seedDemoStaff(deps.prisma, deps.auth) },
  {
    name: 'catalog',
    phase: 'database',
    // Only into an empty catalog: an admin's changes (or the emulator's price mapping) stay.
    run: async (deps) =>
      (await deps.prisma.plan.count()) > 0 ? { skipped: 'the catalog is already there' } : seedDemoCatalog(deps),
  },
  {
    name: 'demo customers and ledgers',
    phase: 'database',
    needsDemoCatalog: true,
    run: async (deps) =>
      usesEmulator(deps)
        ? { skipped: 'the Stripe emulator runs: the demo customers get a Stripe history instead' }
        : seedDemoCustomers(deps),
  },
  {
    name: 'Stripe: products and prices',
    phase: 'stripe',
    needsDemoCatalog: true,
    run: (deps) => withDemoStripe(deps, seedStripeCatalog),
  },
  {
    name: 'Stripe: customers',
    phase: 'stripe',
    needsDemoCatalog: true,
    run: (deps) => withDemoStripe(deps, seedStripeCustomers),
  },
  {
    name: 'Stripe: support cases',
    phase: 'stripe',
    needsDemoCatalog: true,
    run: (deps) => withDemoStripe(deps, seedSupportCases),
  },
  {
    name: 'Stripe: webhooks settled',
    phase: 'stripe',
    run: (deps) =>
      withDemoStripe(deps, async (kit) => {
        const { rounds, stillDue } = await kit.settle();
        if (stillDue.length) deps.log.warn({ rounds, stillDue }, 'demo seed: some Stripe events are still waiting');
      }),
  },
];

/** Audit actions that bracket a seed, so an interrupted one is resumed at the next start. */
const STARTED = 'demo_seed.start';
const COMPLETED = 'demo_seed.complete';

export async function isDatabaseEmpty(deps: Deps): Promise<boolean> {
  return (await deps.prisma.user.count()) === 0;
}

/**
 * What `npm start` should do: seed an empty database, resume a seed that was interrupted (the
 * process stopped after it started and before it completed), or nothing.
 */
export async function demoSeedNeeded(deps: Deps): Promise<'empty' | 'unfinished' | null> {
  if (await isDatabaseEmpty(deps)) return 'empty';
  const marks = await deps.prisma.auditLog.findMany({
    where: { action: { in: [STARTED, COMPLETED] }, targetType: 'demo_seed' },
    select: { action: true },
  });
  const actions = new Set(marks.map((m) => m.action));
  return actions.has(STARTED) && !actions.has(COMPLETED) ? 'unfinished' : null;
}

async function mark(deps: Deps, action: string, reason: string): Promise<void> {
  const exists = await deps.prisma.auditLog.findFirst({ where: { action, targetType: 'demo_seed' } });
  if (!exists) await recordAudit(deps.prisma, { actor: SEED_ACTOR, action, targetType: 'demo_seed', reason });
}

export interface DemoSeedReportRow {
  step: string;
  ms: number;
  skipped?: string;
  /** The step threw: logged with its error, the seed went on (and resumes at the next start). */
  failed?: string;
}

/**
 * Runs the steps of the given phases (default: all). Marks the seed complete after its last step.
 * Never throws for a step: demo data is never a reason for the server not to serve. A step that
 * does not fit the catalog is skipped with a log line; a step that throws is logged and skipped.
 */
export async function seedDemo(
  deps: Deps,
  options: { phases?: DemoSeedPhase[]; steps?: DemoSeedStepDef[] } = {},
): Promise<DemoSeedReportRow[]> {
  const phases = options.phases ?? ['database', 'stripe'];
  const report: DemoSeedReportRow[] = [];
  // Written first: from here on an interruption is visible to the next start (demoSeedNeeded).
  await mark(deps, STARTED, 'Demo seed started');
  let misfit: string | null | undefined;
  for (const step of (options.steps ?? DEMO_SEED_STEPS).filter((s) => phases.includes(s.phase))) {
    const started = Date.now();
    try {
      if (step.needsDemoCatalog) misfit ??= await demoCatalogMisfit(deps);
      const result = step.needsDemoCatalog && misfit ? { skipped: misfit } : await step.run(deps);
      const ms = Date.now() - started;
      const skipped = result ? result.skipped : undefined;
      report.push({ step: step.name, ms, ...(skipped ? { skipped } : {}) });
      if (skipped) deps.log.info({ step: step.name, skipped }, 'demo seed step skipped');
      else deps.log.info({ step: step.name, ms }, 'demo seed step done');
    } catch (err) {
      const failed = err instanceof Error ? err.message : String(err);
      report.push({ step: step.name, ms: Date.now() - started, failed });
      deps.log.error({ err, step: step.name }, 'demo seed step failed; skipped (the next start tries it again)');
    }
  }
  if (phases.includes('stripe') && !report.some((r) => r.failed)) await mark(deps, COMPLETED, 'Demo seed completed');
  return report;
}
