// The service API for the AI product's backend: REST + JSON under /api/v1, Bearer API keys.
// An encapsulated Fastify plugin, so its auth hook and error format apply to its routes only.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { ensureBootstrapApiKey } from '../modules/api-keys/ensure-bootstrap-key.ts';
import { registerBearerAuth } from './authenticate.ts';
import { registerCheckoutSessionRoutes } from './checkout-sessions.ts';
import { registerErrorHandler } from './errors.ts';
import { registerRoutes } from './routes.ts';

export const SERVICE_API_PREFIX = '/api/v1';

export async function registerServiceApi(app: FastifyInstance, deps: Deps): Promise<void> {
  if (deps.env.SERVICE_API_KEY) {
    const key = await ensureBootstrapApiKey(deps.prisma, deps.env.SERVICE_API_KEY);
    if (key.revokedEarlier)
      deps.log.warn({ revoked: key.revokedEarlier }, 'SERVICE_API_KEY changed: earlier bootstrap keys revoked');
    if (key.revokedAt) deps.log.warn('SERVICE_API_KEY is set but that key was revoked by an admin: it is refused');
  }
  await app.register(
    async (api) => {
      registerErrorHandler(api);
      registerBearerAuth(api, deps);
      registerRoutes(api, deps);
      registerCheckoutSessionRoutes(api, deps);
    },
    { prefix: SERVICE_API_PREFIX },
  );
}
