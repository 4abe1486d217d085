// Response headers every page and API answer carries, and the CSRF rule for cookie-authenticated
// mutations: a state-changing request that carries an Origin must come from our own origin.
import type { FastifyInstance } from 'fastify';
import type { Env } from '../env.ts';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Radix and our theme set inline style attributes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function allowedOrigins(env: Env): Set<string> {
  const origins = new Set([
    new URL(env.PUBLIC_URL).origin,
    `http://localhost:${env.PORT}`,
    `http://127.0.0.1:${env.PORT}`,
  ]);
  // The Vite dev server proxies to us in `npm run dev`.
  if (env.NODE_ENV !== 'production') origins.add('http://localhost:5173').add('http://127.0.0.1:5173');
  return origins;
}

export function registerSecurity(app: FastifyInstance, env: Env): void {
  const origins = allowedOrigins(env);

  app.addHook('onSend', async (_req, reply) => {
    reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
    reply.header('cross-origin-opener-policy', 'same-origin');
  });

  app.addHook('onRequest', async (req, reply) => {
    const mutating = req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS';
    // Only cookie-authenticated surfaces: the service API uses bearer keys and Stripe signs its calls.
    const cookieSurface =
      req.url.startsWith('/trpc') || req.url.startsWith('/api/auth') || req.url.startsWith('/api/staff');
    if (!mutating || !cookieSurface) return;
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.has(origin)) {
      req.log.warn({ origin }, 'cross-origin mutation refused');
      return reply.code(403).send({ error: { code: 'forbidden', message: 'Cross-origin request refused' } });
    }
  });
}
