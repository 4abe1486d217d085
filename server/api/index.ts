// The service API for the AI product's backend: REST + JSON under /api/v1, Bearer API keys.
// An encapsulated Fastify plugin, so its auth hook and error format apply to its routes only.
import type { FastifyInstance } from 'fastify';
import { cached, ChangeFeed } from '../db/change-feed.ts';
import { isSharedSession } from '../db/shared-session.ts';
import type { Deps } from '../deps.ts';
import { createApiKeyAuthenticator } from '../modules/api-keys/authenticate-api-key.ts';
import { loadCatalogSnapshot } from '../modules/catalog/catalog-snapshot.ts';
import { ensureBootstrapApiKey } from '../modules/api-keys/ensure-bootstrap-key.ts';
import { registerBearerAuth } from './authenticate.ts';
import { registerCheckoutSessionRoutes } from './checkout-sessions.ts';
import { registerErrorHandler } from './errors.ts';
import { serviceApiOpenApi } from './openapi.ts';
import { registerRoutes } from './routes.ts';

const SERVICE_API_PREFIX = '/api/v1';

export async function registerServiceApi(app: FastifyInstance, deps: Deps): Promise<void> {
  if (deps.env.SERVICE_API_KEY) {
    const key = await ensureBootstrapApiKey(deps.prisma, deps.env.SERVICE_API_KEY);
    if (key.revokedEarlier)
      deps.log.warn({ revoked: key.revokedEarlier }, 'SERVICE_API_KEY changed: earlier bootstrap keys revoked');
    if (key.revokedAt) deps.log.warn('SERVICE_API_KEY is set but that key was revoked by an admin: it is refused');
  }
  // The API reference is public (no key needed to read how to call us), so it sits outside the
  // plugin whose hook demands a Bearer key.
  app.get(`${SERVICE_API_PREFIX}/openapi.json`, async () => serviceApiOpenApi());
  // What rarely changes (API keys, the catalog) is kept in memory while the change feed is live;
  // without a database URL (or notifications) every call reads the database.
  // The process's feed when boot made one (it also stops it); otherwise one of the API's own.
  const own =
    deps.changeFeed === undefined && deps.databaseUrl && !isSharedSession(deps.databaseUrl)
      ? new ChangeFeed(deps.databaseUrl, deps.log)
      : null;
  void own?.start();
  const feed = deps.changeFeed ?? own;
  const keys = createApiKeyAuthenticator(deps.prisma, feed);
  const catalog = cached(feed, 'catalog', () => loadCatalogSnapshot(deps.prisma));
  app.addHook('onClose', async () => {
    await keys.stop();
    await own?.stop();
  });
  await app.register(
    async (api) => {
      registerErrorHandler(api);
      registerBearerAuth(api, keys);
      registerRoutes(api, deps, catalog);
      registerCheckoutSessionRoutes(api, deps);
    },
    { prefix: SERVICE_API_PREFIX },
  );
}
