import type { DbOrTx } from '../../db/tx.ts';

/** Every key, newest first, without its hash. */
export function listApiKeys(db: DbOrTx) {
  return db.apiKey.findMany({ orderBy: { createdAt: 'desc' }, omit: { hash: true } });
}
