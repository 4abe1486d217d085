// What Stripe itself says about this customer, for the rules that compare (a payment Stripe took
// whose event never reached us; a subscription whose state here is stale). Network only, never
// inside a transaction, bounded in size and time: when Stripe does not answer, the verdict says it
// could not check rather than failing.
import type Stripe from 'stripe';
import type { DbOrTx } from '../../../db/tx.ts';
import type { Customer } from '../../../generated/prisma/client.ts';
import type { StripePaidObject, StripeSubscriptionView, StripeView } from './history.ts';

const LIST_LIMIT = 20;
const TIMEOUT_MS = 4000;
const SESSION_EVENTS = ['checkout.session.completed', 'checkout.session.async_payment_succeeded'];
const INVOICE_EVENTS = ['invoice.paid', 'invoice.payment_succeeded'];

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Stripe did not answer within ${ms / 1000} s`)), ms);
    work.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

const idOf = (v: string | { id: string } | null | undefined) => (typeof v === 'string' ? v : (v?.id ?? null));

/** The event Stripe sent for a paid object, searched in its event list around the object's creation. */
async function findStripeEventFor(
  stripe: Stripe,
  object: { id: string; kind: 'session' | 'invoice'; created: Date },
): Promise<{ id: string; type: string } | null> {
  const gte = Math.floor(object.created.getTime() / 1000) - 60;
  const types = object.kind === 'session' ? SESSION_EVENTS : INVOICE_EVENTS;
  let seen = 0;
  for await (const event of stripe.events.list({ types, created: { gte }, limit: 100 })) {
    if ((event.data.object as { id?: string }).id === object.id) return { id: event.id, type: event.type };
    if (++seen >= 500) break;
  }
  return null;
}

async function listFromStripe(stripe: Stripe, customer: Customer) {
  const paid: Array<Omit<StripePaidObject, 'eventId' | 'eventType' | 'knownLocally'>> = [];
  const subscriptions: StripeSubscriptionView[] = [];
  const sessions = customer.stripeCustomerId
    ? await stripe.checkout.sessions.list({ customer: customer.stripeCustomerId, limit: LIST_LIMIT })
    : customer.email
      ? await stripe.checkout.sessions.list({ customer_details: { email: customer.email }, limit: LIST_LIMIT })
      : null;
  for (const s of sessions?.data ?? []) {
    if (s.mode === 'payment' && s.status === 'complete' && s.payment_status === 'paid') {
      paid.push({
        id: s.id,
        kind: 'session',
        amount: s.amount_total ?? 0,
        currency: s.currency ?? 'eur',
        created: new Date(s.created * 1000),
      });
    }
  }
  if (customer.stripeCustomerId) {
    const [invoices, subs] = await Promise.all([
      stripe.invoices.list({ customer: customer.stripeCustomerId, status: 'paid', limit: LIST_LIMIT }),
      stripe.subscriptions.list({ customer: customer.stripeCustomerId, status: 'all', limit: 10 }),
    ]);
    for (const inv of invoices.data) {
      if (inv.id && inv.amount_paid > 0) {
        paid.push({
          id: inv.id,
          kind: 'invoice',
          amount: inv.amount_paid,
          currency: inv.currency,
          created: new Date(inv.created * 1000),
        });
      }
    }
    for (const sub of subs.data) {
      const item = sub.items?.data?.[0] as (Stripe.SubscriptionItem & { current_period_end?: number }) | undefined;
      subscriptions.push({
        id: sub.id,
        status: sub.status,
        priceId: idOf(item?.price ?? null),
        currentPeriodEnd: item?.current_period_end ? new Date(item.current_period_end * 1000) : null,
        cancelAtPeriodEnd: sub.cancel_at_period_end,
      });
    }
  }
  return { paid, subscriptions };
}

export async function loadStripeView(db: DbOrTx, stripe: Stripe | null, customer: Customer): Promise<StripeView> {
  if (!stripe)
    return {
      checked: false,
      note: 'Stripe is not configured, so Stripe’s own records were not compared',
      paid: [],
      subscriptions: [],
    };
  try {
    const { paid, subscriptions } = await withTimeout(listFromStripe(stripe, customer), TIMEOUT_MS);
    const ids = paid.map((p) => p.id);
    const [payments, events] = await Promise.all([
      db.payment.findMany({
        where: { OR: [{ checkoutSessionId: { in: ids } }, { invoiceId: { in: ids } }] },
        select: { checkoutSessionId: true, invoiceId: true },
      }),
      db.stripeEvent.findMany({ where: { objectId: { in: ids } }, select: { objectId: true } }),
    ]);
    const known = new Set([
      ...payments.flatMap((p) => [p.checkoutSessionId, p.invoiceId]),
      ...events.map((e) => e.objectId),
    ]);
    const result: StripePaidObject[] = [];
    for (const p of paid) {
      const knownLocally = known.has(p.id);
      // Only what is missing is worth a search through Stripe's event list.
      const event = knownLocally
        ? null
        : await withTimeout(findStripeEventFor(stripe, p), TIMEOUT_MS).catch(() => null);
      result.push({ ...p, knownLocally, eventId: event?.id ?? null, eventType: event?.type ?? null });
    }
    return { checked: true, note: null, paid: result, subscriptions };
  } catch (err) {
    return {
      checked: false,
      note: `Stripe could not be checked: ${err instanceof Error ? err.message : String(err)}`,
      paid: [],
      subscriptions: [],
    };
  }
}
