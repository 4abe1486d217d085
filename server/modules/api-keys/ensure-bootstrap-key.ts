// SERVICE_API_KEY in the environment becomes a stored (hashed) key at boot, so a deployment can
// call the service API before any admin has created a key. An admin's revocation is respected:
// a revoked bootstrap key stays revoked even if the environment still holds it. Changing
// SERVICE_API_KEY revokes the earlier bootstrap keys (the old value stops working at the first
// boot with the new one). Several processes boot at once: the insert is race-free.
import { inTransaction, type DbOrTx } from '../../db/tx.ts';
import { SYSTEM_ACTOR } from '../../lib/actor.ts';
import type { SystemActorId } from '../../contracts/actors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { bootstrapPrefix, hashApiKey } from './api-key-hash.ts';

export const BOOTSTRAP_KEY_NAME = 'SERVICE_API_KEY (bootstrap)';
const BOOTSTRAP_CREATED_BY = `system:${'env' satisfies SystemActorId}`;

export async function ensureBootstrapApiKey(db: DbOrTx, key: string) {
  const hash = hashApiKey(key);
  return inTransaction(db, async (tx) => {
    // ON CONFLICT DO NOTHING: a second process inserting the same key at the same moment is a no-op.
    await tx.apiKey.createMany({
      data: [{ name: BOOTSTRAP_KEY_NAME, prefix: bootstrapPrefix(hash), hash, createdBy: BOOTSTRAP_CREATED_BY }],
      skipDuplicates: true,
    });
    const earlier = await tx.apiKey.findMany({
      where: { createdBy: BOOTSTRAP_CREATED_BY, revokedAt: null, hash: { not: hash } },
      omit: { hash: true },
    });
    for (const old of earlier) {
      const revoked = await tx.apiKey.updateMany({
        where: { id: old.id, revokedAt: null },
        data: { revokedAt: new Date() },
      });
      if (!revoked.count) continue; // another process got there first
      await recordAudit(tx, {
        actor: SYSTEM_ACTOR,
        action: 'api_key.revoke',
        targetType: 'api_key',
        targetId: old.id,
        before: { name: old.name, prefix: old.prefix },
        reason: 'SERVICE_API_KEY changed: the earlier bootstrap key is revoked at boot',
      });
    }
    const current = await tx.apiKey.findUniqueOrThrow({ where: { hash }, omit: { hash: true } });
    return { ...current, revokedEarlier: earlier.length };
  });
}
