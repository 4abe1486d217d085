// Edits, enables/disables, rotates the secret of, or deletes an endpoint; each audited. Enabling
// clears an automatic disable (the failure streak starts again from the next failure).
import { inTransaction, type DbOrTx } from '../../db/tx.ts';
import type { OutboundEndpoint, Prisma } from '../../generated/prisma/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { checkEndpointUrl, type EndpointUrlPolicy } from './endpoint-url.ts';
import { endpointView } from './endpoint-view.ts';
import { newEndpointSecret } from './sign-payload.ts';

async function change(
  db: DbOrTx,
  id: string,
  actor: Actor,
  action: string,
  data: (before: OutboundEndpoint) => Prisma.OutboundEndpointUpdateInput,
) {
  return inTransaction(db, async (tx) => {
    const before = await tx.outboundEndpoint.findUnique({ where: { id } });
    if (!before) throw new AppError('NOT_FOUND', 'Endpoint not found');
    const after = await tx.outboundEndpoint.update({ where: { id }, data: data(before) });
    await recordAudit(tx, {
      actor,
      action,
      targetType: 'outbound_endpoint',
      targetId: id,
      before: endpointView(before),
      after: endpointView(after),
    });
    return after;
  });
}

export async function updateEndpoint(
  db: DbOrTx,
  input: {
    id: string;
    url?: string;
    description?: string;
    eventTypes?: string[];
    actor: Actor;
    policy: EndpointUrlPolicy;
  },
) {
  const url = input.url !== undefined ? (await checkEndpointUrl(input.url, input.policy)).toString() : undefined;
  const updated = await change(db, input.id, input.actor, 'outbound_endpoint.update', () => ({
    url,
    description: input.description,
    eventTypes: input.eventTypes ? [...new Set(input.eventTypes)] : undefined,
  }));
  return endpointView(updated);
}

export async function setEndpointEnabled(db: DbOrTx, input: { id: string; enabled: boolean; actor: Actor }) {
  const updated = await change(
    db,
    input.id,
    input.actor,
    input.enabled ? 'outbound_endpoint.enable' : 'outbound_endpoint.disable',
    () =>
      input.enabled
        ? { enabled: true, disabledAt: null, disabledReason: null, failingSince: null }
        : { enabled: false, disabledAt: new Date(), disabledReason: 'Disabled by staff' },
  );
  return endpointView(updated);
}

export async function rotateEndpointSecret(db: DbOrTx, input: { id: string; actor: Actor }) {
  const secret = newEndpointSecret();
  const updated = await change(db, input.id, input.actor, 'outbound_endpoint.rotate_secret', () => ({ secret }));
  return { endpoint: endpointView(updated), secret };
}

export async function deleteEndpoint(db: DbOrTx, input: { id: string; actor: Actor }) {
  return inTransaction(db, async (tx) => {
    const before = await tx.outboundEndpoint.findUnique({ where: { id: input.id } });
    if (!before) throw new AppError('NOT_FOUND', 'Endpoint not found');
    // Its deliveries go with it (cascade); the events stay for other endpoints and the timeline.
    await tx.outboundEndpoint.delete({ where: { id: input.id } });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'outbound_endpoint.delete',
      targetType: 'outbound_endpoint',
      targetId: input.id,
      before: endpointView(before),
    });
    return { deleted: true };
  });
}
