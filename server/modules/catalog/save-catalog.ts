// The admin screens save a whole catalog (edited, or loaded from a JSON file): the same validation,
// write and audit as the CLI import, plus a guard against lost updates: the draft names the version
// it started from, and if someone saved another version meanwhile the save is refused (STALE) so
// the admin reviews their change against the new catalog instead of silently undoing it.
import { inTransaction, type DbOrTx } from '../../db/tx.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { importCatalog, type CatalogImportResult } from './import-catalog.ts';
import { currentCatalogVersion, latestCatalogVersion, versionNumber } from './list-catalog-versions.ts';

export interface SaveCatalogInput {
  catalog: unknown;
  reason: string;
  /** The version the draft was made from (null: there was none yet); undefined skips the check. */
  baseVersion?: string | null;
  /** "editor": changed in the screens; "file": a JSON file loaded in the UI. */
  source: 'editor' | 'file';
  actor: Actor;
}

export async function saveCatalog(
  db: DbOrTx,
  input: SaveCatalogInput,
): Promise<CatalogImportResult & { version: string | null; versionNumber: number | null }> {
  return inTransaction(db, async (tx) => {
    // The import takes the same lock; taking it first makes the version check and the write one step.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('creditdesk:catalog-import'))`;
    if (input.baseVersion !== undefined) {
      const latest = await latestCatalogVersion(tx);
      if (latest !== input.baseVersion) {
        throw new AppError(
          'STALE',
          `The catalog was changed by someone else since you opened it (now version ${latest ? await versionNumber(tx, BigInt(latest)) : 0}). Reload it, then apply your change again.`,
          { latest },
        );
      }
    }
    const result = await importCatalog(tx, input.catalog, input.actor, {
      action: input.source === 'file' ? 'catalog.import' : 'catalog.save',
      reason: input.reason,
    });
    // The version token stays the audit record id; people read the number (1, 2, 3 per catalog).
    return { ...result, ...(await currentCatalogVersion(tx)) };
  });
}
