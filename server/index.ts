// The only file that listens. Boot order: env -> database (+migrations) -> demo seed when empty
// -> HTTP. SIGTERM/SIGINT close the listener first, then jobs and the database.
import { buildApp } from './app.ts';
import { boot } from './boot.ts';
import { EnvError, parseEnv, type Env } from './env.ts';
import { startJobRunner } from './jobs/runner.ts';
import { connectStripe, describeStripe, PRODUCTION_WITHOUT_KEY_MESSAGE, retryWebhooksNow } from './stripe/client.ts';
import { DEMO_STAFF, hasDemoStaff } from './seed/demo-staff.ts';
import { isDatabaseEmpty, seedDemo } from './seed/seed-demo.ts';

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
// Without STRIPE_SECRET_KEY this starts the Stripe emulator (dynamic import inside connectStripe).
const booted = await boot(env, { stripe: connectStripe });
const { deps } = booted;

if (env.NODE_ENV === 'production' && (await hasDemoStaff(deps.prisma))) {
  console.error(
    'Refusing to start in production: demo staff users (@creditdesk.demo) with public passwords exist. Remove them first.',
  );
  await booted.stop();
  process.exit(1);
}

let seeded = false;
if (env.NODE_ENV !== 'production' && env.SEED_DEMO === 'auto' && (await isDatabaseEmpty(deps))) {
  deps.log.info('empty database: seeding demo data');
  await seedDemo(deps);
  seeded = true;
}

const app = await buildApp(deps);
await app.listen({ port: env.PORT, host: env.HOST });
void retryWebhooksNow(deps.stripe, deps.log);
const jobs = await startJobRunner({ deps, databaseUrl: booted.databaseUrl });

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
}
console.log(lines.join('\n') + '\n');

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  deps.log.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 15_000);
  force.unref();
  await app.close();
  await jobs.stop();
  await booted.stop();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
