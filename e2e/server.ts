// Starts a fresh Creditdesk for the end-to-end suite: a new database (on TEST_DATABASE_URL's
// server when set, otherwise a fresh embedded one), demo data, and the server on E2E_PORT.
import { rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

const port = process.env.E2E_PORT ?? '3100';
const base = process.env.TEST_DATABASE_URL;

if (base) {
  // One database per port: two people can run their specs at once on different E2E_PORTs.
  const name = port === '3100' ? 'creditdesk_e2e' : `creditdesk_e2e_${port}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
} else {
  const dir = path.resolve(port === '3100' ? '.data/e2e' : `.data/e2e-${port}`);
  rmSync(dir, { recursive: true, force: true });
  process.env.DATA_DIR = dir;
  delete process.env.DATABASE_URL;
}

Object.assign(process.env, {
  PORT: port,
  PUBLIC_URL: `http://localhost:${port}`,
  NODE_ENV: 'test',
  SEED_DEMO: 'auto',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  // The hourly reconciliation would apply the seeded never-delivered payment on its own when a run
  // crosses :17, before the spec's support agent finds it; specs run it on demand instead.
  JOBS_UNSCHEDULED: 'stripe-reconciliation',
  // A known port for the Stripe emulator, so specs can act as Stripe and as the paying customer.
  STRIPE_EMULATOR_PORT: process.env.STRIPE_EMULATOR_PORT ?? String(Number(port) + 1),
});

await import('../server/index.ts');
