// Bearer authentication for the service API. Keys are looked up by hash; a missing, malformed,
// unknown or revoked key is a 401 with the same message (no hint which of them it was).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../lib/actor.ts';
import { AppError } from '../lib/app-error.ts';
import type { ApiKeyAuthenticator, AuthenticatedKey } from '../modules/api-keys/authenticate-api-key.ts';

declare module 'fastify' {
  interface FastifyRequest {
    apiKey: AuthenticatedKey | null;
  }
}

export function registerBearerAuth(api: FastifyInstance, keys: ApiKeyAuthenticator): void {
  api.decorateRequest('apiKey', null);
  api.addHook('onRequest', async (request, reply) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const key = match?.[1] ? await keys.authenticate(match[1]) : null;
    if (!key) {
      reply.header('www-authenticate', 'Bearer realm="creditdesk"');
      throw new AppError('UNAUTHORIZED', 'Send a valid API key: Authorization: Bearer <key>');
    }
    request.apiKey = key;
  });
}

/** The API key a request authenticated with, as the actor recorded on entries and usage. */
export function serviceActor(request: FastifyRequest): Actor {
  if (!request.apiKey) throw new AppError('UNAUTHORIZED', 'Not authenticated');
  return { type: 'service', id: request.apiKey.id };
}
