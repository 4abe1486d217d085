// An admin creates a key for the product's backend. The key is returned once, here; only its hash
// is stored.
import { inTransaction, type DbOrTx } from '../../db/tx.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { displayPrefix, generateApiKey, hashApiKey } from './api-key-hash.ts';

export async function createApiKey(db: DbOrTx, input: { name: string; actor: Actor }) {
  const name = input.name.trim();
  if (!name) throw new AppError('VALIDATION', 'Give the key a name');
  const key = generateApiKey();
  return inTransaction(db, async (tx) => {
    const apiKey = await tx.apiKey.create({
      data: { name, prefix: displayPrefix(key), hash: hashApiKey(key), createdBy: input.actor.id },
      omit: { hash: true },
    });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'api_key.create',
      targetType: 'api_key',
      targetId: apiKey.id,
      after: { name, prefix: apiKey.prefix },
    });
    return { apiKey, key };
  });
}
