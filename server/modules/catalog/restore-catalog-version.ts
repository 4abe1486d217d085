// "Restore this version": imports the catalog as it was after an earlier change. It goes through
// the ordinary import, so it is validated (a plan customers are on now cannot disappear), written
// in one transaction, and becomes a new version of its own; nothing in the history is rewritten.
import { inTransaction, type DbOrTx } from '../../db/tx.ts';
import type { Actor } from '../../lib/actor.ts';
import { importCatalog } from './import-catalog.ts';
import { currentCatalogVersion, getCatalogVersion } from './list-catalog-versions.ts';

export async function restoreCatalogVersion(db: DbOrTx, input: { versionId: string; reason: string; actor: Actor }) {
  return inTransaction(db, async (tx) => {
    const version = await getCatalogVersion(tx, input.versionId);
    const result = await importCatalog(tx, version.catalog, input.actor, {
      action: 'catalog.restore',
      reason: `restored version ${version.number}: ${input.reason}`,
    });
    return { ...result, restoredNumber: version.number, ...(await currentCatalogVersion(tx)) };
  });
}
