// The fix for "unknown price" failures: add a Stripe price to a plan or a credit pack, or create a
// pack from the price. It is an ordinary catalog change (validated, audited, a new version), and it
// answers with the failed events that were waiting on the price, so they can be reprocessed at once.
// addPriceToCatalog is also what the dry run applies (inside its rolled-back transaction), so the
// preview and the save cannot disagree about what the mapping is.
import type { CatalogJson } from '../../contracts/catalog.ts';
import type { MapPriceTarget } from '../../contracts/catalog-admin.ts';
import { inTransaction, type DbOrTx, type Tx } from '../../db/tx.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { findEventsWaitingOnPrices } from './find-events-waiting-on-prices.ts';
import { exportCatalog } from './get-catalog.ts';
import { importCatalog } from './import-catalog.ts';
import { currentCatalogVersion } from './list-catalog-versions.ts';

export interface MapPriceInput {
  priceId: string;
  target: MapPriceTarget;
  reason: string;
  actor: Actor;
}

/** A pack key made from its name ("Spring promo: 1,500 credits" -> spring_promo_1_500_credits), unique in the catalog. */
export function packKeyFor(name: string, taken: ReadonlySet<string>): string {
  const base =
    (
      'pack_' +
      name
        .toLowerCase()
        .normalize('NFKD')
        .replace(/[^a-z0-9]+/g, '_')
    )
      .replace(/_+/g, '_')
      .replace(/_$/, '')
      .slice(0, 56) || 'pack';
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}_${n}`;
  return key;
}

function describeTarget(target: MapPriceTarget, key: string): string {
  return target.kind === 'new_pack' ? `new pack ${key} (${target.credits} credits)` : `${target.kind} ${key}`;
}

/** Adds the price to the catalog inside `tx`; answers the owner it now has. */
export async function addPriceToCatalog(
  tx: Tx,
  input: Omit<MapPriceInput, 'reason'> & { reason?: string },
): Promise<{ owner: { kind: 'plan' | 'pack'; key: string }; changed: boolean }> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('creditdesk:catalog-import'))`;
  const catalog: CatalogJson = await exportCatalog(tx);
  const owner = [
    ...catalog.plans.map((p) => ({ kind: 'plan', key: p.key, prices: p.stripePriceIds })),
    ...catalog.creditPacks.map((p) => ({ kind: 'pack', key: p.key, prices: p.stripePriceIds })),
  ].find((o) => o.prices.includes(input.priceId));
  if (owner) {
    throw new AppError('CONFLICT', `${input.priceId} is already mapped to ${owner.kind} "${owner.key}"`, owner);
  }
  const { target } = input;
  let key: string;
  let kind: 'plan' | 'pack';
  if (target.kind === 'new_pack') {
    key = packKeyFor(target.name, new Set(catalog.creditPacks.map((p) => p.key)));
    kind = 'pack';
    const pack: CatalogJson['creditPacks'][number] = {
      key,
      name: target.name,
      credits: target.credits,
      stripePriceIds: [input.priceId],
    };
    catalog.creditPacks.push(pack);
  } else {
    const found =
      target.kind === 'plan'
        ? catalog.plans.find((p) => p.key === target.key)
        : catalog.creditPacks.find((p) => p.key === target.key);
    if (!found) throw new AppError('NOT_FOUND', `No ${target.kind} "${target.key}" in the catalog`);
    found.stripePriceIds = [...found.stripePriceIds, input.priceId];
    key = target.key;
    kind = target.kind;
  }
  const result = await importCatalog(tx, catalog, input.actor, {
    action: 'catalog.map_price',
    reason: `mapped ${input.priceId} to ${describeTarget(target, key)}${input.reason ? `: ${input.reason}` : ''}`,
  });
  return { owner: { kind, key }, changed: result.changed };
}

export async function mapPrice(db: DbOrTx, input: MapPriceInput) {
  return inTransaction(db, async (tx) => {
    const added = await addPriceToCatalog(tx, input);
    const waiting = (await findEventsWaitingOnPrices(tx, [input.priceId])).get(input.priceId);
    return {
      ...added,
      ...(await currentCatalogVersion(tx)),
      waitingEventIds: waiting?.eventIds ?? [],
    };
  });
}
