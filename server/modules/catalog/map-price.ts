// The one-click fix for "unknown price" failures: add a Stripe price to a plan or a credit pack.
// It is an ordinary catalog change (validated, audited, a new version), and it answers with the
// failed events that were waiting on the price, so support can reprocess them right away.
import { inTransaction, type DbOrTx } from '../../db/tx.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { findEventsWaitingOnPrices } from './find-events-waiting-on-prices.ts';
import { exportCatalog } from './get-catalog.ts';
import { importCatalog } from './import-catalog.ts';
import { latestCatalogVersion } from './list-catalog-versions.ts';

export interface MapPriceInput {
  priceId: string;
  kind: 'plan' | 'pack';
  key: string;
  reason: string;
  actor: Actor;
}

export async function mapPrice(db: DbOrTx, input: MapPriceInput) {
  return inTransaction(db, async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('creditdesk:catalog-import'))`;
    const catalog = await exportCatalog(tx);
    const owner = [
      ...catalog.plans.map((p) => ({ kind: 'plan', key: p.key, prices: p.stripePriceIds })),
      ...catalog.creditPacks.map((p) => ({ kind: 'pack', key: p.key, prices: p.stripePriceIds })),
    ].find((o) => o.prices.includes(input.priceId));
    if (owner) {
      throw new AppError('CONFLICT', `${input.priceId} is already mapped to ${owner.kind} "${owner.key}"`, owner);
    }
    const target =
      input.kind === 'plan'
        ? catalog.plans.find((p) => p.key === input.key)
        : catalog.creditPacks.find((p) => p.key === input.key);
    if (!target) throw new AppError('NOT_FOUND', `No ${input.kind} "${input.key}" in the catalog`);
    target.stripePriceIds = [...target.stripePriceIds, input.priceId];
    const result = await importCatalog(tx, catalog, input.actor, {
      action: 'catalog.map_price',
      reason: `mapped ${input.priceId} to ${input.kind} ${input.key}: ${input.reason}`,
    });
    const waiting = (await findEventsWaitingOnPrices(tx, [input.priceId])).get(input.priceId);
    return {
      ...result,
      version: await latestCatalogVersion(tx),
      waitingEventIds: waiting?.eventIds ?? [],
    };
  });
}
