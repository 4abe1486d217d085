// The dry run of a price mapping, before anything is saved: the mapping is made inside the dry
// run's rolled-back transaction, then the events waiting on the price are applied by their real
// handlers. The admin sees the credits and plans it would give before choosing to save.
import type { MapPriceTarget } from '../../contracts/catalog-admin.ts';
import type { Tx } from '../../db/tx.ts';
import type { Actor } from '../../lib/actor.ts';
import { dryRunEvents, MAX_DRY_RUN_EVENTS, type DryRunReport } from '../stripe-events/dry-run-events.ts';
import type { PipelineContext } from '../stripe-events/process-event.ts';
import { findEventsWaitingOnPrices } from './find-events-waiting-on-prices.ts';
import { addPriceToCatalog } from './map-price.ts';

export interface MapPricePreview {
  /** Every event waiting on the price (the report covers the first MAX_DRY_RUN_EVENTS). */
  waitingEventIds: string[];
  /** Null when no event waits: the mapping only affects future payments. */
  report: DryRunReport | null;
}

export async function previewMapPrice(
  ctx: PipelineContext,
  input: { priceId: string; target: MapPriceTarget; actor: Actor },
): Promise<MapPricePreview> {
  const waiting = (await findEventsWaitingOnPrices(ctx.prisma, [input.priceId])).get(input.priceId);
  const waitingEventIds = waiting?.eventIds ?? [];
  const setup = (tx: Tx) => addPriceToCatalog(tx, input);
  if (!waitingEventIds.length) {
    // Still made (and rolled back), so a mapping the catalog refuses is refused here first.
    await tryAndRollBack(ctx, setup);
    return { waitingEventIds, report: null };
  }
  const report = await dryRunEvents(ctx, waitingEventIds.slice(0, MAX_DRY_RUN_EVENTS), { setup });
  return { waitingEventIds, report };
}

class RollBack extends Error {}

async function tryAndRollBack(ctx: PipelineContext, change: (tx: Tx) => Promise<unknown>): Promise<void> {
  try {
    await ctx.prisma.$transaction(async (tx) => {
      await change(tx);
      throw new RollBack();
    });
  } catch (err) {
    if (!(err instanceof RollBack)) throw err;
  }
}
