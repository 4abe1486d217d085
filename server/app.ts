// Builds the HTTP app from its dependencies. Only server/index.ts listens; tests inject into this.
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerServiceApi } from './api/index.ts';
import type { Deps } from './deps.ts';
import { PROJECT_ROOT } from './db/migrator.ts';
import { registerAuthRoutes } from './http/auth-routes.ts';
import { evidencePreviewRoutes } from './http/evidence-preview-route.ts';
import { exportRoutes } from './http/exports-route.ts';
import { registerMetrics } from './http/metrics-route.ts';
import { registerSafeJsonParser } from './http/safe-json.ts';
import { registerSecurity } from './http/security.ts';
import type { HandlerMap } from './modules/stripe-events/event-handler.ts';
import { stripeWebhookRoutes } from './stripe/webhook-route.ts';
import { loggerOptions } from './lib/logger.ts';
import { contextFactory } from './trpc/context.ts';
import { appRouter, type AppRouter } from './trpc/router.ts';
import { TRPC_MAX_BATCH } from './contracts/limits.ts';

export const WEB_DIST = path.join(PROJECT_ROOT, 'dist/web');

export interface BuildAppOptions {
  /** Extra route plugins (webhooks, service API) registered by their own modules. */
  plugins?: Array<(app: FastifyInstance, deps: Deps) => Promise<void> | void>;
  logger?: boolean;
  /** Stripe event handlers for /api/stripe/webhook (tests wrap the production map to inject faults). */
  stripeHandlers?: HandlerMap;
  /** Where logs go instead of stdout (the secrets-in-logs test reads them). */
  logStream?: NodeJS.WritableStream;
  /** Sees every route as it is added (the role-matrix test walks them all). */
  onRoute?: (route: { method: string | string[]; url: string }) => void;
}

export async function buildApp(deps: Deps, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : options.logStream
          ? { ...loggerOptions(deps.env.LOG_LEVEL), transport: undefined, stream: options.logStream }
          : loggerOptions(deps.env.LOG_LEVEL),
    // A hop count becomes proxy-addr's own rule (trust the first n hops); Fastify's types omit numbers.
    trustProxy:
      typeof deps.env.TRUST_PROXY === 'number'
        ? (_address: string, hop: number) => hop < (deps.env.TRUST_PROXY as number)
        : deps.env.TRUST_PROXY,
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    routerOptions: { maxParamLength: 5000 },
    bodyLimit: 1024 * 1024,
  });
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  if (options.onRoute) {
    const onRoute = options.onRoute;
    app.addHook('onRoute', (route) => onRoute({ method: route.method, url: route.url }));
  }

  registerMetrics(app, deps);
  registerSecurity(app, deps.env);
  registerSafeJsonParser(app);
  registerAuthRoutes(app, deps);

  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      createContext: contextFactory(deps),
      // One request cannot fan out into unbounded procedure calls (the web client batches at most this many).
      maxBatchSize: TRPC_MAX_BATCH,
      onError({ error, path, ctx }) {
        if (error.code === 'INTERNAL_SERVER_ERROR') {
          deps.log.error({ err: error.cause ?? error, path, user: ctx?.user?.id }, 'tRPC procedure failed');
        }
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
  });

  // Liveness for orchestrators: the process answers; no database (a database outage must not get
  // every instance restarted). Readiness stays /healthz.
  app.get('/livez', async () => ({ status: 'ok' }));

  app.get('/healthz', async (_req, reply) => {
    try {
      await deps.prisma.$queryRaw`SELECT 1`;
      return { status: 'ok', database: 'ok', stripe: deps.stripe?.mode ?? 'unconfigured' };
    } catch (err) {
      deps.log.error({ err }, 'health check: database unreachable');
      return reply.code(503).send({ status: 'error', database: 'unreachable' });
    }
  });

  // Own encapsulated context: its raw-body parser applies to the webhook route only.
  await app.register(stripeWebhookRoutes, { deps, handlers: options.stripeHandlers });
  await registerServiceApi(app, deps);
  await app.register(exportRoutes, { deps });
  await app.register(evidencePreviewRoutes, { deps });

  for (const plugin of options.plugins ?? []) await plugin(app, deps);

  if (existsSync(path.join(WEB_DIST, 'index.html'))) {
    await app.register(fastifyStatic, { root: WEB_DIST, wildcard: false, index: false });
    // Client-side routes: any other GET that is not an API path serves the SPA shell.
    app.setNotFoundHandler((req, reply) => {
      const isApi = /^\/(api|trpc|healthz|livez|metrics)(\/|$)/.test(req.url);
      if (req.method === 'GET' && !isApi && req.headers.accept?.includes('text/html')) {
        return reply.type('text/html').sendFile('index.html');
      }
      return reply
        .code(404)
        .send({ error: { code: 'not_found', message: `No route for ${req.method} ${req.url.split('?')[0]}` } });
    });
  } else {
    app.setNotFoundHandler((req, reply) =>
      reply
        .code(404)
        .send({ error: { code: 'not_found', message: `No route for ${req.method} ${req.url.split('?')[0]}` } }),
    );
  }

  return app;
}
