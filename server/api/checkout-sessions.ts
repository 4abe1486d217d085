// POST /api/v1/checkout-sessions -> {id, url}: a hosted Stripe Checkout page for a pack (mode
// payment) or a plan (mode subscription). Blocked customers get 403.
import type { FastifyInstance } from 'fastify';
import { createCheckoutSessionBody } from '../contracts/checkout.ts';
import type { Deps } from '../deps.ts';
import { createCheckoutSession } from '../modules/billing/create-checkout-session.ts';
import { parseInput } from './errors.ts';

export function registerCheckoutSessionRoutes(api: FastifyInstance, deps: Deps): void {
  api.post('/checkout-sessions', async (request, reply) => {
    const body = parseInput(createCheckoutSessionBody, request.body);
    const session = await createCheckoutSession({ prisma: deps.prisma, stripe: deps.stripe?.client ?? null }, body);
    return reply.code(200).send(session);
  });
}
