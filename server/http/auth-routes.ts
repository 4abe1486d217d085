// better-auth's handler on Fastify, for the auth endpoints the product uses and no others: every
// other better-auth endpoint (admin/*, update-user, change-password, list-sessions, ...) answers
// 404, because staff changes go through our own procedures (role guards, last-admin rule, audit).
// Sign-in has failed-login limiting in front (login-limiter.ts); better-auth's own rate limiter
// is a second layer behind it (auth.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CLIENT_IP_HEADER } from '../auth.ts';
import type { Deps } from '../deps.ts';
import { resolveStaffSession } from '../trpc/context.ts';
import { wrongOriginBody } from './allowed-origins.ts';
import { LoginLimiter } from './login-limiter.ts';

/** The allow-list: method and exact path. The SPA signs in and out; nothing else. */
const AUTH_ENDPOINTS = [
  { method: 'POST', path: '/api/auth/sign-in/email' },
  { method: 'POST', path: '/api/auth/sign-out' },
  { method: 'GET', path: '/api/auth/get-session' },
] as const;

function toFetchRequest(req: FastifyRequest, path: string, baseURL: string): Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (key === CLIENT_IP_HEADER) continue; // only we say who the client is
    if (typeof value === 'string') headers.set(key, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(key, v);
  }
  // Fastify's req.ip honours TRUST_PROXY; better-auth reads the client address from this header.
  headers.set(CLIENT_IP_HEADER, req.ip);
  const query = req.url.indexOf('?');
  const url = new URL(path + (query === -1 ? '' : req.url.slice(query)), baseURL);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && req.body !== undefined;
  return new Request(url, { method: req.method, headers, body: hasBody ? JSON.stringify(req.body) : undefined });
}

// better-auth's own Origin refusals (it checks the same list as our CSRF hook, so rarely reached).
const ORIGIN_REFUSALS = new Set(['INVALID_ORIGIN', 'MISSING_OR_NULL_ORIGIN', 'CROSS_SITE_NAVIGATION_LOGIN_BLOCKED']);

async function sendFetchResponse(
  req: FastifyRequest,
  reply: FastifyReply,
  response: Response,
  publicUrl: string,
): Promise<FastifyReply> {
  if (response.status === 403) {
    const body = (await response
      .clone()
      .json()
      .catch(() => null)) as { code?: string } | null;
    if (body?.code && ORIGIN_REFUSALS.has(body.code)) {
      return reply.code(403).send(wrongOriginBody(publicUrl, req.headers.origin));
    }
  }
  reply.code(response.status);
  response.headers.forEach((value, key) => {
    if (key !== 'set-cookie') reply.header(key, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) reply.header('set-cookie', cookies);
  return reply.send(response.body ? Buffer.from(await response.arrayBuffer()) : null);
}

export function registerAuthRoutes(app: FastifyInstance, deps: Deps): void {
  const limiter = new LoginLimiter(deps.prisma, deps.env.LOGIN_MAX_FAILURES, deps.env.LOGIN_WINDOW_SECONDS);
  const forward = (req: FastifyRequest, path: string) =>
    deps.auth.handler(toFetchRequest(req, path, deps.env.PUBLIC_URL));

  for (const endpoint of AUTH_ENDPOINTS) {
    if (endpoint.path === '/api/auth/sign-in/email') continue;
    app.route({
      method: endpoint.method,
      url: endpoint.path,
      handler: async (req, reply) => {
        // better-auth knows only the sliding expiry; ours ends a session past its absolute
        // lifetime (deletes it) first, so get-session never reports one that tRPC would refuse.
        if (endpoint.path === '/api/auth/get-session') await resolveStaffSession(deps, req.headers);
        return sendFetchResponse(req, reply, await forward(req, endpoint.path), deps.env.PUBLIC_URL);
      },
    });
  }

  app.post('/api/auth/sign-in/email', async (req, reply) => {
    const email = String((req.body as { email?: unknown } | undefined)?.email ?? '');
    const attempt = await limiter.begin(req.ip, email);
    if (attempt.refused) {
      const wait = attempt.retryAfterSeconds;
      req.log.warn({ ip: req.ip }, 'sign-in refused: too many failed attempts');
      return reply
        .code(429)
        .header('retry-after', String(wait))
        .send({ code: 'TOO_MANY_ATTEMPTS', message: `Too many failed sign-ins. Try again in ${wait} s.` });
    }
    const response = await forward(req, '/api/auth/sign-in/email');
    if (response.ok) await limiter.succeeded(attempt.ticket);
    else req.log.info({ ip: req.ip, status: response.status }, 'sign-in failed');
    return sendFetchResponse(req, reply, response, deps.env.PUBLIC_URL);
  });
}
