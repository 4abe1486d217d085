// The control endpoints (/_emulator/...) change Stripe's side at will: pay a session, refund,
// open a dispute. Only the app that started the emulator (its server, its seed, its tests) may call
// them, never a web page in a browser that happens to run on the same machine: every control
// request carries this process's token in a header (a cross-site form cannot set headers, and a
// cross-site fetch with one needs a CORS preflight the emulator never grants). The token is random
// per emulator unless the app passes one (STRIPE_EMULATOR_CONTROL_TOKEN, so e2e specs in another
// process can drive it too). The hosted Checkout page, which browsers post to, carries its own
// per-session form token derived from it instead.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const CONTROL_TOKEN_HEADER = 'emulator-control-token';
export const CONTROL_TOKEN_ENV = 'STRIPE_EMULATOR_CONTROL_TOKEN';

export function newControlToken(): string {
  return randomBytes(32).toString('base64url');
}

// Emulators running in this process, by base URL: a driver built from a URL or a Stripe client
// (EmulatorDriver.fromStripe) finds its token here without every caller passing it along.
const running = new Map<string, string>();

export function registerControlToken(baseUrl: string, token: string): void {
  running.set(baseUrl, token);
}

export function forgetControlToken(baseUrl: string): void {
  running.delete(baseUrl);
}

/** The token for an emulator at `baseUrl`: this process's own, else the shared env value. */
export function controlTokenFor(baseUrl: string): string | undefined {
  return running.get(baseUrl) ?? process.env[CONTROL_TOKEN_ENV] ?? undefined;
}

/** Constant-time comparison of the expected token with what a request sent. */
export function tokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || !given) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

/** The hidden field of one session's hosted Checkout form: only that page can submit it. */
export function checkoutFormToken(controlToken: string, sessionId: string): string {
  return createHmac('sha256', controlToken).update(`checkout:${sessionId}`).digest('base64url');
}
