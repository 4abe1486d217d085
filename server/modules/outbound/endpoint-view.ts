// What staff see of an endpoint: never its secret (shown once at creation or rotation), only a hint.
import type { OutboundEndpoint } from '../../generated/prisma/client.ts';
import type { Env } from '../../env.ts';
import type { EndpointUrlPolicy } from './endpoint-url.ts';

export function endpointView(e: OutboundEndpoint) {
  const { secret, ...rest } = e;
  return { ...rest, secretHint: `${secret.slice(0, 10)}…` };
}
export type EndpointView = ReturnType<typeof endpointView>;

export function urlPolicy(env: Pick<Env, 'NODE_ENV'>): EndpointUrlPolicy {
  return { development: env.NODE_ENV !== 'production' };
}
