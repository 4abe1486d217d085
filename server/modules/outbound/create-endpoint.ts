// Registers an outbound endpoint. The signing secret is returned here once; afterwards only its
// hint is shown (rotate to get a new one).
import type { CreateEndpointInput } from '../../contracts/outbound.ts';
import { inTransaction, type DbOrTx } from '../../db/tx.ts';
import type { Actor } from '../../lib/actor.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { checkEndpointUrl, type EndpointUrlPolicy } from './endpoint-url.ts';
import { endpointView } from './endpoint-view.ts';
import { newEndpointSecret } from './sign-payload.ts';

export async function createEndpoint(
  db: DbOrTx,
  input: Required<CreateEndpointInput> & { actor: Actor; policy: EndpointUrlPolicy },
) {
  const url = await checkEndpointUrl(input.url, input.policy);
  const secret = newEndpointSecret();
  return inTransaction(db, async (tx) => {
    const endpoint = await tx.outboundEndpoint.create({
      data: {
        url: url.toString(),
        description: input.description,
        eventTypes: [...new Set(input.eventTypes)],
        secret,
        createdBy: input.actor.id,
      },
    });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'outbound_endpoint.create',
      targetType: 'outbound_endpoint',
      targetId: endpoint.id,
      after: endpointView(endpoint),
    });
    return { endpoint: endpointView(endpoint), secret };
  });
}
