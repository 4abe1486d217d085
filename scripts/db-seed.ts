// npm run db:seed: runs the demo seed steps (each is idempotent) against the configured database.
import { boot } from '../server/boot.ts';
import { EnvError, parseEnv } from '../server/env.ts';
import { seedDemo } from '../server/seed/seed-demo.ts';

try {
  const env = parseEnv(process.env);
  if (env.NODE_ENV === 'production') throw new Error('Refusing to seed demo data in production.');
  const booted = await boot(env);
  await seedDemo(booted.deps);
  await booted.stop();
  console.log('Demo data seeded.');
  process.exit(0);
} catch (err) {
  console.error(err instanceof EnvError ? err.message : err);
  process.exit(1);
}
