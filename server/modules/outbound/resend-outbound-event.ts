// Staff actions that queue a delivery now: resend any event (delivered or not) to an endpoint, and
// send a test event. Both create a manual delivery; its insert (or the test event's) wakes the
// dispatch job, which sends it within seconds.
import { inTransaction, type DbOrTx } from '../../db/tx.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { recordOutboundEvent } from './record-outbound-event.ts';

export async function resendOutboundEvent(
  db: DbOrTx,
  input: { endpointId: string; eventId: string; actor: Actor; now?: Date },
) {
  return inTransaction(db, async (tx) => {
    const endpoint = await tx.outboundEndpoint.findUnique({ where: { id: input.endpointId } });
    if (!endpoint) throw new AppError('NOT_FOUND', 'Endpoint not found');
    const event = await tx.outboundEvent.findUnique({ where: { id: input.eventId } });
    if (!event) throw new AppError('NOT_FOUND', `No outbound event "${input.eventId}"`);
    const now = input.now ?? new Date();
    const delivery = await tx.outboundDelivery.create({
      data: { endpointId: endpoint.id, eventId: event.id, manual: true, nextAttemptAt: now, createdAt: now },
    });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'outbound_event.resend',
      targetType: 'outbound_endpoint',
      targetId: endpoint.id,
      customerId: event.customerId,
      after: { eventId: event.id, deliveryId: delivery.id },
    });
    return delivery;
  });
}

export async function sendTestEvent(db: DbOrTx, input: { endpointId: string; actor: Actor }) {
  return inTransaction(db, async (tx) => {
    const endpoint = await tx.outboundEndpoint.findUnique({ where: { id: input.endpointId } });
    if (!endpoint) throw new AppError('NOT_FOUND', 'Endpoint not found');
    const eventId = await recordOutboundEvent(tx, {
      type: 'endpoint.test',
      endpointId: endpoint.id,
      data: { message: 'A test event from Creditdesk', endpointId: endpoint.id, sentBy: input.actor.id },
    });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'outbound_endpoint.test',
      targetType: 'outbound_endpoint',
      targetId: endpoint.id,
      after: { eventId },
    });
    return { eventId };
  });
}
