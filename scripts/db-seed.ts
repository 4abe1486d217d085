// npm run db:seed: runs the demo seed steps (each is idempotent) against the configured database.
import { boot } from '../server/boot.ts';
import { EnvError, parseEnv } from '../server/env.ts';
import { seedDemo } from '../server/seed/seed-demo.ts';

try {
  const env = parseEnv(process.env);
  if (env.NODE_ENV === 'production') throw new Error('Refusing to seed demo data in production.');
  const booted = await boot(env);
  const report = await seedDemo(booted.deps);
  await booted.stop();
  for (const r of report) if (r.skipped || r.failed) console.log(`  ${r.step}: ${r.failed ?? r.skipped}`);
  const failed = report.filter((r) => r.failed).length;
  console.log(failed ? `Demo seed: ${failed} step(s) failed (see the log).` : 'Demo data seeded.');
  process.exit(failed ? 1 : 0);
} catch (err) {
  console.error(err instanceof EnvError ? err.message : err);
  process.exit(1);
}
