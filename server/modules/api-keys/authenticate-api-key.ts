// Resolves a presented bearer key to an active API key, or null. lastUsedAt is refreshed at most
// once a minute per key, so authentication does not turn every service call into a write.
import type { DbOrTx } from '../../db/tx.ts';
import type { ApiKey } from '../../generated/prisma/client.ts';
import { hashApiKey } from './api-key-hash.ts';

const TOUCH_EVERY_MS = 60_000;

export type AuthenticatedKey = Omit<ApiKey, 'hash'>;

export async function authenticateApiKey(db: DbOrTx, presented: string): Promise<AuthenticatedKey | null> {
  const key = await db.apiKey.findUnique({ where: { hash: hashApiKey(presented) }, omit: { hash: true } });
  if (!key || key.revokedAt) return null;
  const now = new Date();
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    await db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: now } });
  }
  return key;
}
