// Dependencies for tests: a real database, real auth, silent logs.
import pino from 'pino';
import { createAuth } from '../server/auth.ts';
import { allowedOrigins } from '../server/http/allowed-origins.ts';
import type { Deps, StripeConnection } from '../server/deps.ts';
import { parseEnv } from '../server/env.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export interface TestContext {
  db: TestDatabase;
  deps: Deps;
}

export async function createTestDeps(
  overrides: { env?: Record<string, string>; stripe?: StripeConnection | null; embedded?: boolean } = {},
): Promise<TestContext> {
  const db = await createTestDatabase({ embedded: overrides.embedded ?? false });
  const env = parseEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...overrides.env });
  const log = pino({ level: 'silent' });
  const auth = createAuth({
    prisma: db.prisma,
    secret: env.AUTH_SECRET,
    baseURL: env.PUBLIC_URL,
    trustedOrigins: [...allowedOrigins(env)],
  });
  return { db, deps: { env, prisma: db.prisma, auth, log, stripe: overrides.stripe ?? null, databaseUrl: db.url } };
}
