// Admins manage the endpoints that receive outbound events (signed webhooks to the product's
// backend) and read their delivery logs. Every mutation is audited in its module.
import {
  createEndpointInput,
  endpointIdInput,
  listOutboundDeliveriesInput,
  resendOutboundEventInput,
  setEndpointEnabledInput,
  updateEndpointInput,
} from '../../contracts/outbound.ts';
import { createEndpoint } from '../../modules/outbound/create-endpoint.ts';
import { urlPolicy } from '../../modules/outbound/endpoint-view.ts';
import { listEndpoints } from '../../modules/outbound/list-endpoints.ts';
import { listOutboundDeliveries } from '../../modules/outbound/list-outbound-deliveries.ts';
import { resendOutboundEvent, sendTestEvent } from '../../modules/outbound/resend-outbound-event.ts';
import {
  deleteEndpoint,
  rotateEndpointSecret,
  setEndpointEnabled,
  updateEndpoint,
} from '../../modules/outbound/update-endpoint.ts';
import { adminProcedure, router } from '../init.ts';

export const outboundRouter = router({
  listEndpoints: adminProcedure.query(({ ctx }) => listEndpoints(ctx.deps.prisma)),
  createEndpoint: adminProcedure
    .input(createEndpointInput)
    .mutation(({ ctx, input }) =>
      createEndpoint(ctx.deps.prisma, { ...input, actor: ctx.actor, policy: urlPolicy(ctx.deps.env) }),
    ),
  updateEndpoint: adminProcedure
    .input(updateEndpointInput)
    .mutation(({ ctx, input }) =>
      updateEndpoint(ctx.deps.prisma, { ...input, actor: ctx.actor, policy: urlPolicy(ctx.deps.env) }),
    ),
  setEndpointEnabled: adminProcedure
    .input(setEndpointEnabledInput)
    .mutation(({ ctx, input }) => setEndpointEnabled(ctx.deps.prisma, { ...input, actor: ctx.actor })),
  rotateSecret: adminProcedure
    .input(endpointIdInput)
    .mutation(({ ctx, input }) => rotateEndpointSecret(ctx.deps.prisma, { ...input, actor: ctx.actor })),
  deleteEndpoint: adminProcedure
    .input(endpointIdInput)
    .mutation(({ ctx, input }) => deleteEndpoint(ctx.deps.prisma, { ...input, actor: ctx.actor })),
  deliveries: adminProcedure
    .input(listOutboundDeliveriesInput)
    .query(({ ctx, input }) => listOutboundDeliveries(ctx.deps.prisma, input)),
  resend: adminProcedure
    .input(resendOutboundEventInput)
    .mutation(({ ctx, input }) => resendOutboundEvent(ctx.deps.prisma, { ...input, actor: ctx.actor })),
  sendTest: adminProcedure
    .input(endpointIdInput)
    .mutation(({ ctx, input }) => sendTestEvent(ctx.deps.prisma, { endpointId: input.id, actor: ctx.actor })),
});
