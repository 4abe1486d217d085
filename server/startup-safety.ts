// The server refuses to start where strangers can reach it while it is still wide open: demo
// staff with public passwords, or the public development AUTH_SECRET (anyone could forge a
// session cookie with it). "Reachable" = a live Stripe key, an https PUBLIC_URL, a HOST other than
// loopback, or NODE_ENV=production.
import { isLoopbackHost } from './http/allowed-origins.ts';
import { DEV_AUTH_SECRET, type Env } from './env.ts';

type SafetyEnv = Pick<Env, 'NODE_ENV' | 'STRIPE_SECRET_KEY' | 'PUBLIC_URL' | 'HOST' | 'AUTH_SECRET'>;

/** Why this deployment counts as reachable by others; empty for a local demo. */
export function exposureReasons(env: SafetyEnv): string[] {
  const reasons: string[] = [];
  if (env.NODE_ENV === 'production') reasons.push('NODE_ENV is production');
  if (env.STRIPE_SECRET_KEY && /^(sk|rk)_live_/.test(env.STRIPE_SECRET_KEY))
    reasons.push('STRIPE_SECRET_KEY is a live key');
  if (env.PUBLIC_URL.startsWith('https://')) reasons.push(`PUBLIC_URL is https (${env.PUBLIC_URL})`);
  if (!isLoopbackHost(env.HOST)) reasons.push(`HOST is ${env.HOST}, not loopback`);
  return reasons;
}

/** The message to stop with, or null when starting is safe. `demoStaff`: demo users exist (null = not checked yet). */
export function unsafeStartMessage(env: SafetyEnv, demoStaff: boolean | null): string | null {
  const reasons = exposureReasons(env);
  if (reasons.length === 0) return null;
  const problems: string[] = [];
  if (env.AUTH_SECRET === DEV_AUTH_SECRET) {
    problems.push(
      'AUTH_SECRET is the public development value: set AUTH_SECRET to 32+ random characters (openssl rand -hex 32)',
    );
  }
  if (demoStaff) {
    problems.push(
      'demo staff (@creditdesk.demo) with public passwords exist: create a real admin with `npm run staff:create -- --email you@example.com --role admin`, then delete the demo users (or start from an empty database)',
    );
  }
  if (problems.length === 0) return null;
  return [
    `Refusing to start: this server is reachable by others (${reasons.join('; ')}), but`,
    ...problems.map((p) => `  - ${p}`),
  ].join('\n');
}
