// Revoking is immediate (the next request with the key gets 401) and permanent.
import { inTransaction, type DbOrTx } from '../../db/tx.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../audit/record-audit.ts';

export async function revokeApiKey(db: DbOrTx, input: { id: string; reason: string; actor: Actor }) {
  return inTransaction(db, async (tx) => {
    const key = await tx.apiKey.findUnique({ where: { id: input.id }, omit: { hash: true } });
    if (!key) throw new AppError('NOT_FOUND', 'API key not found');
    if (key.revokedAt) return key;
    const revoked = await tx.apiKey.update({
      where: { id: key.id },
      data: { revokedAt: new Date() },
      omit: { hash: true },
    });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'api_key.revoke',
      targetType: 'api_key',
      targetId: key.id,
      before: { name: key.name, prefix: key.prefix },
      reason: input.reason,
    });
    return revoked;
  });
}
