// GET /metrics: Prometheus text format, for a scraper holding METRICS_TOKEN (Authorization: Bearer).
// Without METRICS_TOKEN the route answers 404 like any unknown path (an unconfigured deployment
// does not even say it has metrics); with it, a missing or wrong token gets 401. Also counts every
// request by route pattern (the hook below), so it is registered before the other routes.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { poolOf } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { metrics, metricsRegistry, scraped } from '../lib/metrics.ts';

const METRICS_PATH = '/metrics';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Constant-time comparison of the presented bearer token with the configured one. */
function tokenMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return !!match && timingSafeEqual(digest(match[1]!), digest(token));
}

/** Queue sizes: one indexed query (stripe_event's (status, next_attempt_at) index). */
async function collectEventQueue(deps: Deps): Promise<void> {
  // Ages are computed by the database, on its own clock.
  const rows = await deps.prisma.$queryRaw<Array<{ status: string; n: number; age: number | null }>>`
    SELECT status::text AS status, count(*)::int AS n,
           EXTRACT(EPOCH FROM now() - min(received_at))::float8 AS age
      FROM stripe_event WHERE status IN ('received', 'deferred', 'failed') GROUP BY status`;
  const counts = { received: 0, deferred: 0, failed: 0 };
  let oldest = 0;
  for (const row of rows) {
    counts[row.status as keyof typeof counts] = row.n;
    if (row.status !== 'failed') oldest = Math.max(oldest, row.age ?? 0);
  }
  scraped.eventQueue(counts, oldest);
}

function collectPool(deps: Deps): void {
  const pool = poolOf(deps.prisma);
  if (!pool) return;
  scraped.dbPool({
    total: pool.totalCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
    max: pool.options.max ?? 10,
  });
}

export function registerMetrics(app: FastifyInstance, deps: Deps): void {
  app.addHook('onResponse', async (req, reply) => {
    // The pattern Fastify matched (/api/v1/customers/:customerId), never the raw URL.
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.httpRequest(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });

  app.get(METRICS_PATH, async (req, reply) => {
    const token = deps.env.METRICS_TOKEN;
    if (!token) {
      return reply.code(404).send({ error: { code: 'not_found', message: `No route for GET ${METRICS_PATH}` } });
    }
    if (!tokenMatches(req.headers.authorization, token)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="metrics"')
        .send({ error: { code: 'unauthorized', message: 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>' } });
    }
    await collectEventQueue(deps);
    collectPool(deps);
    return reply.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
  });
}
