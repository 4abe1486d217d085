// Catalog versions: every saved change of the catalog (file import, edit in the admin screens,
// price mapping, restore) keeps the whole catalog before and after it in its audit record, so the
// audit log is the version history and any version can be looked at or restored.
import type { DbOrTx } from '../../db/tx.ts';
import { AppError } from '../../lib/app-error.ts';

const VERSION_WHERE = { targetType: 'catalog', action: { startsWith: 'catalog.' } } as const;

/** The newest catalog version's id (the audit record id), or null before any import. */
export async function latestCatalogVersion(db: DbOrTx): Promise<string | null> {
  const row = await db.auditLog.findFirst({ where: VERSION_WHERE, orderBy: { id: 'desc' }, select: { id: true } });
  return row ? row.id.toString() : null;
}

/** The newest version as people read it: its token (the audit record id) and its number (1, 2, 3). */
export async function currentCatalogVersion(
  db: DbOrTx,
): Promise<{ version: string | null; versionNumber: number | null }> {
  const version = await latestCatalogVersion(db);
  return { version, versionNumber: version ? await versionNumber(db, BigInt(version)) : null };
}

export async function listCatalogVersions(db: DbOrTx, input: { cursor?: string | null; limit?: number } = {}) {
  const limit = input.limit ?? 20;
  const rows = await db.auditLog.findMany({
    where: { ...VERSION_WHERE, ...(input.cursor ? { id: { lt: BigInt(input.cursor) } } : {}) },
    orderBy: { id: 'desc' },
    take: limit + 1,
    select: { id: true, createdAt: true, action: true, actorId: true, actorEmail: true, actorRole: true, reason: true },
  });
  const page = rows.slice(0, limit);
  const latest = input.cursor ? await latestCatalogVersion(db) : (page[0]?.id.toString() ?? null);
  // Numbered 1, 2, 3 in the order they were saved (ids are shared with every other audit record).
  const newest = page[0] ? await versionNumber(db, page[0].id) : 0;
  return {
    items: page.map((r, i) => ({
      ...r,
      id: r.id.toString(),
      number: newest - i,
      current: r.id.toString() === latest,
    })),
    nextCursor: rows.length > limit ? (page.at(-1)?.id.toString() ?? null) : null,
  };
}

/** A version's number: how many catalog versions were saved up to and including it. */
export function versionNumber(db: DbOrTx, id: bigint): Promise<number> {
  return db.auditLog.count({ where: { ...VERSION_WHERE, id: { lte: id } } });
}

/** One version: the catalog as it was right after that change, and right before it. */
export async function getCatalogVersion(db: DbOrTx, versionId: string) {
  const row = await db.auditLog.findFirst({ where: { ...VERSION_WHERE, id: BigInt(versionId) } });
  if (!row || !row.after) throw new AppError('NOT_FOUND', `No catalog version #${versionId}`);
  return {
    id: row.id.toString(),
    number: await versionNumber(db, row.id),
    createdAt: row.createdAt,
    action: row.action,
    actorEmail: row.actorEmail,
    actorId: row.actorId,
    reason: row.reason,
    catalog: row.after,
    previous: row.before,
  };
}
