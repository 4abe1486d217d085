// SERVICE_API_KEY in the environment becomes a stored (hashed) key at boot, so a deployment can
// call the service API before any admin has created a key. An admin's revocation is respected:
// a revoked bootstrap key stays revoked even if the environment still holds it.
import type { DbOrTx } from '../../db/tx.ts';
import { hashApiKey } from './api-key-hash.ts';

export const BOOTSTRAP_KEY_NAME = 'SERVICE_API_KEY (bootstrap)';

export async function ensureBootstrapApiKey(db: DbOrTx, key: string) {
  const hash = hashApiKey(key);
  return db.apiKey.upsert({
    where: { hash },
    create: { name: BOOTSTRAP_KEY_NAME, prefix: `${key.slice(0, 4)}…`, hash, createdBy: 'system:env' },
    update: {},
    omit: { hash: true },
  });
}
