// Unblocking needs the finance or admin role and a reason: the router's tier enforces the role and
// this module checks it again, since lifting a block re-opens access and purchases. Radar list
// items added by earlier blocks are removed after the commit.
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordUnblock } from './record-block.ts';
import { syncRadarBlockList, type RadarDeps } from './sync-radar-block-list.ts';

export async function unblockCustomer(deps: RadarDeps, input: { customerId: string; reason: string; actor: Actor }) {
  if (input.actor.type === 'staff' && input.actor.role !== 'finance' && input.actor.role !== 'admin') {
    throw new AppError('FORBIDDEN', 'Unblocking needs the finance or admin role');
  }
  const result = await recordUnblock(deps.prisma, input);
  if (!result.changed) throw new AppError('CONFLICT', 'The customer is not blocked');
  const radar = result.event.radarStatus ? await syncRadarBlockList(deps, { blockEventId: result.event.id }) : [];
  return { customer: result.customer, event: result.event, radar: radar[0] ?? null };
}
