// The only reader of process.env. Parsed once at boot; a bad value stops the server with a
// message that names the variable and what it expected.
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

const postgresUrl = z.string().refine((v) => /^postgres(ql)?:\/\/[^\s]+$/.test(v) && URL.canParse(v), {
  message: 'must be a postgresql:// URL, e.g. postgresql://user:pass@127.0.0.1:5432/creditdesk',
});

// Which X-Forwarded-For hops to believe. Trusting every hop (Fastify's `true`) would let a client
// name its own address, so `true` means one proxy (the usual TLS terminator): Fastify then takes
// the address that proxy appended, the right-most one. Or a hop count, or the proxies' addresses.
const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
const trustProxy = z
  .string()
  .default('false')
  .transform((v, ctx): false | number | string[] => {
    const value = v.trim().toLowerCase();
    if (value === 'false' || value === '0') return false;
    if (value === 'true') return 1;
    if (/^\d+$/.test(value)) return Number(value);
    const list = value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const valid = (entry: string) => {
      if (PROXY_NAMES.includes(entry)) return true;
      const [address, bits, extra] = entry.split('/');
      if (extra !== undefined || !address || isIP(address) === 0) return false;
      if (bits === undefined) return true;
      const max = isIP(address) === 4 ? 32 : 128;
      return /^\d+$/.test(bits) && Number(bits) <= max;
    };
    if (list.length === 0 || !list.every(valid)) {
      ctx.addIssue({
        code: 'custom',
        message:
          'must be false, a number of proxies in front of Creditdesk (e.g. 1), or their addresses (e.g. 10.0.0.5,10.0.1.0/24 or loopback)',
      });
      return z.NEVER;
    }
    return list;
  });

export const DEV_AUTH_SECRET = 'creditdesk-development-secret-change-me-0123456789';

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce
      .number({ message: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be between 1 and 65535')
      .max(65535, 'must be between 1 and 65535')
      .default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    PUBLIC_URL: z.url({ message: 'must be a URL such as https://desk.example.com' }).optional(),
    DATABASE_URL: postgresUrl.optional(),
    DATA_DIR: z.string().min(1).default('./.data'),
    AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    SEED_DEMO: z.enum(['auto', 'never']).default('auto'),
    SHUTDOWN_GRACE_SECONDS: z.coerce.number({ message: 'must be a number' }).int().min(1).max(600).default(15),
    MIGRATE_ON_BOOT: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    TRUST_PROXY: trustProxy,
    STRIPE_SECRET_KEY: z
      .string()
      .regex(/^(sk|rk)_(test|live)_/, 'must start with sk_test_, sk_live_, rk_test_ or rk_live_')
      .optional(),
    STRIPE_WEBHOOK_SECRET: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .refine((list) => list.every((s) => s.startsWith('whsec_')), {
        message: 'must be one or more comma-separated whsec_ secrets',
      })
      .optional(),
    STRIPE_EMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(0),
    /** Token the emulator's control API requires (header Emulator-Control-Token); unset: random per process. */
    STRIPE_EMULATOR_CONTROL_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
    SERVICE_API_KEY: z.string().min(24, 'must be at least 24 characters').optional(),
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
    LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
    /**
     * Scheduled jobs left off the schedule (comma-separated job names): they run only when someone
     * asks (an admin's "run now", a wake). Same value on every process; names checked at start.
     */
    JOBS_UNSCHEDULED: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean),
      ),
    /** Bearer token a Prometheus scraper presents on GET /metrics; unset: the route answers 404. */
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.AUTH_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['AUTH_SECRET'], message: 'is required in production' });
    }
    if (env.NODE_ENV === 'production' && !env.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_URL'],
        message: 'is required in production (the embedded database is for development and demos)',
      });
    }
  });

export type Env = Omit<z.output<typeof schema>, 'AUTH_SECRET' | 'PUBLIC_URL'> & {
  AUTH_SECRET: string;
  PUBLIC_URL: string;
  DATA_DIR: string;
};

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty strings mean "unset": shells and .env files produce them often.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => {
        const key = issue.path.join('.') || 'environment';
        const value = cleaned[key];
        const shown = value !== undefined && !/SECRET|KEY|PASSWORD|TOKEN/.test(key) ? ` (got "${value}")` : '';
        return `${key} ${issue.message}${shown}`;
      }),
    );
  }
  const env = result.data;
  return {
    ...env,
    AUTH_SECRET: env.AUTH_SECRET ?? DEV_AUTH_SECRET,
    PUBLIC_URL: env.PUBLIC_URL ?? `http://localhost:${env.PORT}`,
    DATA_DIR: path.resolve(env.DATA_DIR),
  };
}
