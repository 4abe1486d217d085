// Response headers every page and API answer carries; the canonical-path rule (canonical-path.ts);
// and the CSRF rule: a state-changing request that carries an Origin must come from one of our
// own origins. The CSRF rule applies to every path except the two that browsers never drive with
// cookies (the service API takes bearer keys, Stripe signs its webhook calls): an exemption list,
// so a path spelled in a way nobody foresaw is checked rather than skipped.
import type { FastifyInstance } from 'fastify';
import type { Env } from '../env.ts';
import { allowedOrigins, wrongOriginBody } from './allowed-origins.ts';
import { isCanonicalRequestPath, rawPathOf } from './canonical-path.ts';

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

function csrfExempt(path: string): boolean {
  return path.startsWith('/api/v1/') || path === '/api/stripe/webhook';
}

export function registerSecurity(app: FastifyInstance, env: Env): void {
  const origins = allowedOrigins(env);
  const hsts = env.PUBLIC_URL.startsWith('https://');

  app.addHook('onSend', async (_req, reply) => {
    reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
    reply.header('cross-origin-opener-policy', 'same-origin');
    // Browsers only honour HSTS over https; PUBLIC_URL says whether staff reach us that way.
    if (hsts) reply.header('strict-transport-security', 'max-age=31536000');
  });

  app.addHook('onRequest', async (req, reply) => {
    if (!isCanonicalRequestPath(req.url)) {
      req.log.warn('non-canonical request path refused');
      return reply.code(400).send({
        error: { code: 'bad_request', message: 'Request paths must be canonical (no %-encoded letters, "." or "..")' },
      });
    }
    const mutating = req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS';
    if (!mutating || csrfExempt(rawPathOf(req.url))) return;
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.has(origin)) {
      req.log.warn({ origin }, 'cross-origin mutation refused');
      return reply.code(403).send(wrongOriginBody(env.PUBLIC_URL, origin));
    }
  });
}
