// POST /api/v1/checkout-sessions: the product's backend asks for a hosted Stripe Checkout page for
// one of its users. Packs use mode=payment, plans mode=subscription. Our metadata (user_id, kind,
// key, credits) goes on the session and on the payment intent / subscription it creates, so every
// later event can be tied back to the customer and the catalog entry. The Stripe customer is
// created and linked on first use. No database transaction is open during the Stripe calls.
import type Stripe from 'stripe';
import type { Db } from '../../db/client.ts';
import { AppError } from '../../lib/app-error.ts';

export interface CreateCheckoutSessionInput {
  /** The product's user id (Customer.externalId). */
  customerId: string;
  pack?: string | undefined;
  plan?: string | undefined;
  successUrl: string;
  cancelUrl: string;
  /** The buyer's IP and user agent, kept in the session metadata for dispute evidence. */
  clientIp?: string | undefined;
  userAgent?: string | undefined;
  /** Save the card (setup_future_usage: off_session) and turn on automatic top-ups once paid. */
  autoTopup?: boolean | undefined;
}

export interface CreatedCheckoutSession {
  id: string;
  url: string | null;
  mode: 'payment' | 'subscription';
}

async function stripeCall<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new AppError('STRIPE_ERROR', `Stripe refused to ${what}: ${(err as Error).message}`);
  }
}

export async function createCheckoutSession(
  deps: { prisma: Db; stripe: Stripe | null },
  input: CreateCheckoutSessionInput,
): Promise<CreatedCheckoutSession> {
  if (!!input.pack === !!input.plan) throw new AppError('VALIDATION', 'Give exactly one of pack or plan');
  const stripe = deps.stripe;
  if (!stripe) throw new AppError('STRIPE_ERROR', 'Stripe is not configured');

  let customer = await deps.prisma.customer.findUnique({ where: { externalId: input.customerId } });
  if (!customer) throw new AppError('NOT_FOUND', `No customer with externalId "${input.customerId}"`);
  if (customer.status === 'blocked') {
    throw new AppError('BLOCKED', 'This customer is blocked and cannot buy', { reason: customer.blockedReason });
  }

  const kind = input.pack ? 'pack' : 'plan';
  const key = (input.pack ?? input.plan) as string;
  let credits: number;
  let priceId: string | undefined;
  if (kind === 'pack') {
    const pack = await deps.prisma.creditPack.findUnique({ where: { key }, include: { prices: true } });
    if (!pack) throw new AppError('NOT_FOUND', `No credit pack "${key}"`);
    credits = pack.credits;
    priceId = pack.prices[0]?.stripePriceId;
  } else {
    const plan = await deps.prisma.plan.findUnique({ where: { key }, include: { prices: true } });
    if (!plan) throw new AppError('NOT_FOUND', `No plan "${key}"`);
    credits = plan.monthlyCredits;
    priceId = plan.prices[0]?.stripePriceId;
  }
  if (!priceId) throw new AppError('UNPROCESSABLE', `The ${kind} "${key}" has no Stripe price mapped in the catalog`);

  if (!customer.stripeCustomerId) {
    const created = await stripeCall('create the Stripe customer', () =>
      stripe.customers.create(
        {
          email: customer!.email || undefined,
          name: customer!.name ?? undefined,
          metadata: { user_id: customer!.externalId, creditdesk_customer_id: customer!.id },
        },
        // One Stripe customer per Creditdesk customer, even if two checkouts race on first use.
        { idempotencyKey: `creditdesk-customer:${customer!.id}` },
      ),
    );
    await deps.prisma.customer.updateMany({
      where: { id: customer.id, stripeCustomerId: null },
      data: { stripeCustomerId: created.id },
    });
    customer = await deps.prisma.customer.findUniqueOrThrow({ where: { id: customer.id } });
  }

  const metadata = {
    user_id: customer.externalId,
    kind,
    key,
    credits: String(credits),
    ...(input.clientIp ? { client_ip: input.clientIp } : {}),
    ...(input.userAgent ? { user_agent: input.userAgent } : {}),
    ...(input.autoTopup ? { auto_topup: '1' } : {}),
  };
  const mode = kind === 'pack' ? 'payment' : 'subscription';
  const session = await stripeCall('create the Checkout Session', () =>
    stripe.checkout.sessions.create({
      mode,
      customer: customer!.stripeCustomerId as string,
      client_reference_id: customer!.externalId,
      line_items: [{ price: priceId, quantity: 1 }],
      success_url: input.successUrl,
      cancel_url: input.cancelUrl,
      metadata,
      ...(mode === 'payment'
        ? {
            payment_intent_data: {
              metadata,
              ...(input.autoTopup ? { setup_future_usage: 'off_session' as const } : {}),
            },
          }
        : { subscription_data: { metadata } }),
    }),
  );
  return { id: session.id, url: session.url ?? null, mode };
}
