// better-auth's handler mounted on Fastify at /api/auth/*, with failed-login limiting in front.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { LoginLimiter } from './login-limiter.ts';

function toFetchRequest(req: FastifyRequest, baseURL: string): Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(key, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(key, v);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && req.body !== undefined;
  return new Request(new URL(req.url, baseURL), {
    method: req.method,
    headers,
    body: hasBody ? JSON.stringify(req.body) : undefined,
  });
}

export function registerAuthRoutes(app: FastifyInstance, deps: Deps): void {
  const limiter = new LoginLimiter(deps.env.LOGIN_MAX_FAILURES, deps.env.LOGIN_WINDOW_SECONDS * 1000);

  app.route({
    method: ['GET', 'POST'],
    url: '/api/auth/*',
    async handler(req, reply) {
      const isSignIn = req.method === 'POST' && req.url.startsWith('/api/auth/sign-in/email');
      const email = isSignIn ? String((req.body as { email?: unknown } | undefined)?.email ?? '') : '';
      if (isSignIn) {
        const wait = limiter.retryAfter(req.ip, email);
        if (wait > 0) {
          req.log.warn({ ip: req.ip }, 'sign-in refused: too many failed attempts');
          return reply
            .code(429)
            .header('retry-after', String(wait))
            .send({ code: 'TOO_MANY_ATTEMPTS', message: `Too many failed sign-ins. Try again in ${wait} s.` });
        }
      }
      const response = await deps.auth.handler(toFetchRequest(req, deps.env.PUBLIC_URL));
      if (isSignIn && response.status === 401) {
        limiter.recordFailure(req.ip, email);
        req.log.info({ ip: req.ip }, 'sign-in failed');
      }
      reply.code(response.status);
      response.headers.forEach((value, key) => {
        if (key !== 'set-cookie') reply.header(key, value);
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length) reply.header('set-cookie', cookies);
      return reply.send(response.body ? Buffer.from(await response.arrayBuffer()) : null);
    },
  });
}
