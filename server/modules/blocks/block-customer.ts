// Staff block a customer with a reason (support and admin; the router's tier enforces it). After
// the commit, the Radar block list is updated when the setting is on; if Stripe cannot be reached
// the block stands and the radar-block-sync job retries.
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordBlock } from './record-block.ts';
import { syncRadarBlockList, type RadarDeps } from './sync-radar-block-list.ts';

export async function blockCustomer(deps: RadarDeps, input: { customerId: string; reason: string; actor: Actor }) {
  const result = await recordBlock(deps.prisma, input);
  if (!result.changed) {
    throw new AppError('CONFLICT', `The customer is already blocked (${result.customer.blockedReason ?? 'no reason'})`);
  }
  const radar = result.event.radarStatus ? await syncRadarBlockList(deps, { blockEventId: result.event.id }) : [];
  return { customer: result.customer, event: result.event, radar: radar[0] ?? null };
}
