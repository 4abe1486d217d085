// The only file that listens. Boot order: env -> database (+migrations) + Stripe -> demo seed's
// database steps when empty -> HTTP -> demo seed's Stripe steps (the emulator delivers their
// webhooks to this app, so it must listen; /healthz answers 503 until they are done) -> jobs.
// SIGTERM/SIGINT close the listener first, then jobs and the database.
import { buildApp } from './app.ts';
import { boot, PendingMigrationsError } from './boot.ts';
import { EnvError, parseEnv, type Env } from './env.ts';
import { startJobRunner } from './jobs/runner.ts';
import { connectStripe, describeStripe, PRODUCTION_WITHOUT_KEY_MESSAGE, retryWebhooksNow } from './stripe/client.ts';
import { DEMO_STAFF, hasDemoStaff } from './seed/demo-staff.ts';
import { exposureReasons, unsafeStartMessage } from './startup-safety.ts';

function loadEnv(): Env {
  try {
    return parseEnv(process.env);
  } catch (err) {
    if (err instanceof EnvError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}

const env = loadEnv();
if (env.NODE_ENV === 'production' && !env.STRIPE_SECRET_KEY) {
  console.error(PRODUCTION_WITHOUT_KEY_MESSAGE);
  process.exit(1);
}
const unsafeSecret = unsafeStartMessage(env, null);
if (unsafeSecret) {
  console.error(unsafeSecret);
  process.exit(1);
}
// Without STRIPE_SECRET_KEY this starts the Stripe emulator (dynamic import inside connectStripe).
const booted = await boot(env, { stripe: connectStripe }).catch((err: unknown) => {
  if (err instanceof PendingMigrationsError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
});
const { deps } = booted;

const unsafe = unsafeStartMessage(env, await hasDemoStaff(deps.prisma));
if (unsafe) {
  console.error(unsafe);
  await booted.stop();
  process.exit(1);
}

// Demo staff are seeded only where nobody else can reach the server (startup-safety.ts). The seed
// is loaded only then: a production server never parses the demo seed (or the emulator's driver).
const demoSeed =
  exposureReasons(env).length === 0 && env.SEED_DEMO === 'auto' ? await import('./seed/seed-demo.ts') : null;
const seedNeeded = demoSeed ? await demoSeed.demoSeedNeeded(deps) : null;
if (demoSeed && seedNeeded) {
  deps.log.info(seedNeeded === 'empty' ? 'empty database: seeding demo data' : 'resuming an unfinished demo seed');
  // Never a reason not to serve: seedDemo skips what does not fit the catalog and logs what fails.
  await demoSeed
    .seedDemo(deps, { phases: ['database'] })
    .catch((err: unknown) => deps.log.error({ err }, 'demo seed failed; the server starts without it'));
}

const app = await buildApp(deps);
// Until the demo seed is done the app already serves (staff can sign in), but is not "healthy":
// the e2e launcher and orchestrators wait for /healthz before relying on the demo data.
let seeding = !!seedNeeded;
app.addHook('onRequest', async (req, reply) => {
  if (seeding && req.url.split('?')[0] === '/healthz') {
    return reply.code(503).send({ status: 'starting', detail: 'seeding demo data' });
  }
});
await app.listen({ port: env.PORT, host: env.HOST });
void retryWebhooksNow(deps.stripe, deps.log);

let jobs: Awaited<ReturnType<typeof startJobRunner>> | null = null;
let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  // Drain: the listener stops accepting (new requests get 503, idle keep-alive sockets close) and
  // in-flight requests finish; whatever is still running after SHUTDOWN_GRACE_SECONDS is cut off
  // (exit 1). Ledger writes are transactions, so a cut-off request changes nothing.
  deps.log.info({ signal, graceSeconds: env.SHUTDOWN_GRACE_SECONDS }, 'shutting down: draining requests');
  const force = setTimeout(() => {
    deps.log.error('shutdown deadline passed with work still running: exiting');
    process.exit(1);
  }, env.SHUTDOWN_GRACE_SECONDS * 1000);
  force.unref();
  await app.close();
  await jobs?.stop();
  await booted.stop();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

let seeded = false;
if (demoSeed && seedNeeded) {
  const started = Date.now();
  try {
    const report = await demoSeed.seedDemo(deps, { phases: ['stripe'] });
    seeded = !report.some((r) => r.failed);
    deps.log.info({ ms: Date.now() - started }, 'demo data seeded');
  } catch (err) {
    // The app stays up; the next start resumes the seed where it stopped.
    deps.log.error({ err }, 'demo seed failed; restart to resume it');
  }
  seeding = false;
}
jobs = await startJobRunner({ deps, databaseUrl: booted.databaseUrl, unscheduled: env.JOBS_UNSCHEDULED });
// Webhooks that leave Stripe work wake the retry job; the change feed wakes outbound-dispatch and
// auto-topup (server/jobs/wake.ts).
deps.jobs = jobs;

const url = env.PUBLIC_URL;
const lines = [
  '',
  `  Creditdesk is running at ${url}`,
  `  Database: ${booted.embedded ? `embedded PostgreSQL in ${env.DATA_DIR}` : 'DATABASE_URL'}${seeded ? ' (demo data seeded)' : ''}`,
  `  Stripe:   ${describeStripe(deps.stripe)}`,
];
if (env.NODE_ENV !== 'production' && (await hasDemoStaff(deps.prisma))) {
  lines.push('  Demo logins:');
  for (const s of DEMO_STAFF) lines.push(`    ${s.role.padEnd(8)} ${s.email.padEnd(28)} ${s.password}`);
  if (deps.stripe?.mode === 'emulator') lines.push('  Support cases: case-*@demo.example (README, "Demo data")');
}
console.log(lines.join('\n') + '\n');
