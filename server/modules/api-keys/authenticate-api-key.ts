// Resolves a presented bearer key to an active API key, or null. Keys are kept in memory by hash
// while the change feed is live (a revocation or a new key in any process clears them within
// the time a notice takes); unknown keys are never kept. lastUsedAt is written in batches, once a
// second at most for all keys together, never by the request itself.
import type { Db } from '../../db/client.ts';
import { type ChangeFeed } from '../../db/change-feed.ts';
import type { ApiKey } from '../../generated/prisma/client.ts';
import { hashApiKey } from './api-key-hash.ts';

const FLUSH_EVERY_MS = 1000;

export type AuthenticatedKey = Omit<ApiKey, 'hash'>;

export interface ApiKeyAuthenticator {
  authenticate(presented: string): Promise<AuthenticatedKey | null>;
  /** Writes the pending last-used times now. */
  flush(): Promise<void>;
  /** Stops the timer after a last flush. */
  stop(): Promise<void>;
}

export function createApiKeyAuthenticator(db: Db, feed: ChangeFeed | null): ApiKeyAuthenticator {
  const known = new Map<string, { key: AuthenticatedKey; generation: number }>();
  const lastUsed = new Map<string, Date>();
  let flushing: Promise<void> = Promise.resolve();

  async function lookUp(hash: string): Promise<AuthenticatedKey | null> {
    const live = feed?.isLive() ?? false;
    const generation = feed?.generation('api_key') ?? 0;
    const hit = live ? known.get(hash) : undefined;
    if (hit && hit.generation === generation) return hit.key;
    const key = await db.apiKey.findUnique({ where: { hash }, omit: { hash: true } });
    if (!key) return null;
    // Revoked keys are kept too (revocation is permanent), so a leaked key costs no queries.
    if (feed?.isLive() && feed.generation('api_key') === generation) known.set(hash, { key, generation });
    return key;
  }

  async function writeLastUsed(): Promise<void> {
    if (lastUsed.size === 0) return;
    const ids = [...lastUsed.keys()];
    const times = ids.map((id) => lastUsed.get(id)!.toISOString());
    lastUsed.clear();
    await db.$executeRaw`
      UPDATE api_key k SET last_used_at = GREATEST(COALESCE(k.last_used_at, u.at), u.at)
        FROM (SELECT unnest(${ids}::uuid[]) AS id, unnest(${times}::timestamptz[]) AS at) u
       WHERE k.id = u.id`;
  }

  const flush = () => {
    flushing = flushing.then(writeLastUsed).catch(() => {
      // The database was away: the next successful flush writes newer times anyway.
    });
    return flushing;
  };
  const timer = setInterval(() => void flush(), FLUSH_EVERY_MS);
  timer.unref();

  return {
    async authenticate(presented) {
      const key = await lookUp(hashApiKey(presented));
      if (!key || key.revokedAt) return null;
      lastUsed.set(key.id, new Date());
      return key;
    },
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}
