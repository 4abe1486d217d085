// The auto top-up job's work: each pending top-up (written by the balance trigger when a consume
// crossed the threshold) becomes one off-session PaymentIntent for the pack with the customer's
// saved card. Credits arrive through the webhook like any purchase (apply-topup-payment.ts).
// The monthly cap and a failed charge pause further top-ups until the customer or support saves
// the settings again. The Stripe idempotency key is the top-up id: a crash after the call and a
// retry make one charge.
import type Stripe from 'stripe';
import type { Db } from '../../db/client.ts';
import type { AutoTopup } from '../../generated/prisma/client.ts';
import { getAutoTopup } from './auto-topup-settings.ts';
import { failTopup, failureOf, type TopupFailure } from './fail-topup.ts';
import { formatMoney } from '../../contracts/money.ts';

/** A processing top-up older than this lost its worker: take it over (same idempotency key). */
const STALE_MS = 5 * 60_000;

async function claim(db: Db, limit: number, now: Date): Promise<AutoTopup[]> {
  const stale = new Date(now.getTime() - STALE_MS).toISOString();
  return db.$queryRaw<AutoTopup[]>`
    UPDATE auto_topup t SET status = 'processing', updated_at = now()
      FROM (SELECT id FROM auto_topup
             WHERE status = 'pending'
                OR (status = 'processing' AND updated_at < ${stale}::timestamptz)
             ORDER BY created_at LIMIT ${limit} FOR UPDATE SKIP LOCKED) c
     WHERE t.id = c.id
    RETURNING t.id, t.customer_id AS "customerId", t.pack_key AS "packKey", t.payment_intent_id AS "paymentIntentId"`;
}

/** Whether a top-up waits to be charged (the auto-topup job's check while it cannot be woken). */
export async function hasPendingTopups(db: Db): Promise<boolean> {
  return (await db.autoTopup.count({ where: { status: 'pending' }, take: 1 })) > 0;
}

export async function chargePendingTopups(
  db: Db,
  stripe: Stripe | null,
  options: { limit?: number; now?: Date } = {},
): Promise<{ charged: number; failed: number }> {
  const now = options.now ?? new Date();
  const rows = await claim(db, options.limit ?? 10, now);
  let charged = 0;
  let failed = 0;
  for (const row of rows) {
    const outcome = await chargeOne(db, stripe, row.id, now);
    if (outcome === 'charged') charged++;
    else if (outcome === 'failed') failed++;
  }
  return { charged, failed };
}

async function chargeOne(db: Db, stripe: Stripe | null, id: string, now: Date) {
  const topup = await db.autoTopup.findUniqueOrThrow({ where: { id } });
  const customer = await db.customer.findUniqueOrThrow({ where: { id: topup.customerId } });
  if (!stripe) return skip(db, id, 'Stripe is not configured');
  const settings = await getAutoTopup(db, customer.id);
  const pack = await db.creditPack.findUnique({ where: { key: topup.packKey }, include: { prices: true } });
  const priceId = pack?.prices[0]?.stripePriceId;
  if (!pack || !priceId) return skip(db, id, `pack "${topup.packKey}" has no Stripe price`);
  const price = await stripe.prices.retrieve(priceId);
  const amount = price.unit_amount ?? 0;
  const currency = price.currency;
  await db.autoTopup.update({ where: { id }, data: { credits: pack.credits, amount, currency } });

  if (settings.monthlyCap != null) {
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const spent = await db.autoTopup.aggregate({
      where: {
        customerId: customer.id,
        id: { not: id },
        currency,
        status: { in: ['processing', 'succeeded'] },
        createdAt: { gte: monthStart },
      },
      _sum: { amount: true },
    });
    if ((spent._sum.amount ?? 0) + amount > settings.monthlyCap) {
      return fail(db, topup, {
        code: 'monthly_cap',
        message: `${formatMoney(spent._sum.amount ?? 0, currency)} + ${formatMoney(amount, currency)} would pass the monthly cap of ${formatMoney(settings.monthlyCap, currency)}`,
      });
    }
  }
  if (!customer.stripeCustomerId) {
    return fail(db, topup, { code: 'no_payment_method', message: 'The customer has no Stripe customer' });
  }
  let paymentMethod = settings.paymentMethodId;
  if (!paymentMethod) {
    const c = await stripe.customers.retrieve(customer.stripeCustomerId);
    const pm = 'deleted' in c && c.deleted ? null : (c as Stripe.Customer).invoice_settings?.default_payment_method;
    paymentMethod = typeof pm === 'string' ? pm : (pm?.id ?? null);
  }
  if (!paymentMethod) return fail(db, topup, { code: 'no_payment_method', message: 'No saved card' });

  try {
    const pi = await stripe.paymentIntents.create(
      {
        amount,
        currency,
        customer: customer.stripeCustomerId,
        payment_method: paymentMethod,
        off_session: true,
        confirm: true,
        description: `Automatic top-up: ${pack.credits} credits (${pack.key})`,
        metadata: {
          creditdesk_auto_topup: id,
          user_id: customer.externalId,
          pack: pack.key,
          credits: String(pack.credits),
        },
      },
      { idempotencyKey: `auto_topup:${id}` },
    );
    await db.autoTopup.update({ where: { id }, data: { paymentIntentId: pi.id } });
    // Not every failure throws: a PaymentIntent that ends waiting for the customer (requires_action)
    // or without a usable card will not pay by itself, so it fails like a decline.
    const failure = failureOf(pi);
    if (failure) return fail(db, topup, failure, pi.id);
    return 'charged' as const;
  } catch (err) {
    const e = err as { type?: string; code?: string; message?: string; raw?: { payment_intent?: { id?: string } } };
    if (e.type !== 'StripeCardError') throw err; // network or API trouble: the job retries, same key
    return fail(
      db,
      topup,
      {
        code: e.code === 'authentication_required' ? 'authentication_required' : 'card_declined',
        message: e.message ?? '',
      },
      e.raw?.payment_intent?.id ?? null,
    );
  }
}

async function skip(db: Db, id: string, message: string) {
  await db.autoTopup.update({ where: { id }, data: { status: 'skipped', failureMessage: message } });
  return 'skipped' as const;
}

/** The top-up failed at the charge: record why, pause further tries, tell the product (fail-topup.ts). */
async function fail(db: Db, topup: AutoTopup, failure: TopupFailure, paymentIntentId: string | null = null) {
  await db.$transaction((tx) => failTopup(tx, topup.id, failure, paymentIntentId));
  return 'failed' as const;
}
