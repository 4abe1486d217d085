// Which customer a Stripe id belongs to: each prefix is looked up where that object lives (payment,
// subscription, refund, dispute, stored event), then through the stored events that are about it
// and the ledger entries that reference it. Every lookup is a unique or indexed equality.
import type { DbOrTx } from '../../db/tx.ts';
import { STRIPE_HANDLES, stripeHandlePrefix } from '../../contracts/support.ts';

export interface HandleMatch {
  customerId: string;
  /** The Stripe id searched for. */
  objectId: string;
  /** Where it was found, in words ("payment", "stored event"...). */
  via: string;
  /** What the id is ("charge", "Checkout Session"...). */
  label: string;
}

export interface UnlinkedHandle {
  objectId: string;
  eventId: string;
  eventType: string;
  status: string;
  lastError: string | null;
}

export interface HandleResolution {
  matches: HandleMatch[];
  /** Stored events about this object that no customer is linked to (yet). */
  unlinked: UnlinkedHandle[];
}

export async function resolveStripeHandle(db: DbOrTx, rawId: string): Promise<HandleResolution> {
  const id = rawId.trim();
  const prefix = stripeHandlePrefix(id);
  if (!prefix) return { matches: [], unlinked: [] };
  const label = STRIPE_HANDLES[prefix];
  const found = new Map<string, HandleMatch>();
  const add = (customerId: string | null | undefined, via: string) => {
    if (customerId && !found.has(customerId)) found.set(customerId, { customerId, objectId: id, via, label });
  };

  switch (prefix) {
    case 'cus_':
      add((await db.customer.findUnique({ where: { stripeCustomerId: id }, select: { id: true } }))?.id, 'customer');
      break;
    case 'cs_':
      add(
        (await db.payment.findUnique({ where: { checkoutSessionId: id }, select: { customerId: true } }))?.customerId,
        'payment',
      );
      break;
    case 'pi_':
      add(
        (await db.payment.findUnique({ where: { paymentIntentId: id }, select: { customerId: true } }))?.customerId,
        'payment',
      );
      break;
    case 'ch_':
    case 'py_': {
      add(
        (await db.payment.findUnique({ where: { chargeId: id }, select: { customerId: true } }))?.customerId,
        'payment',
      );
      for (const d of await db.dispute.findMany({ where: { chargeId: id }, select: { customerId: true }, take: 5 })) {
        add(d.customerId, 'dispute');
      }
      break;
    }
    case 'in_':
      add(
        (await db.payment.findUnique({ where: { invoiceId: id }, select: { customerId: true } }))?.customerId,
        'invoice payment',
      );
      break;
    case 'sub_':
      add(
        (await db.subscription.findUnique({ where: { id }, select: { customerId: true } }))?.customerId,
        'subscription',
      );
      break;
    case 're_':
      add(
        (await db.refund.findUnique({ where: { stripeRefundId: id }, select: { customerId: true } }))?.customerId,
        'refund',
      );
      break;
    case 'dp_':
    case 'du_':
      add((await db.dispute.findUnique({ where: { id }, select: { customerId: true } }))?.customerId, 'dispute');
      break;
    case 'evt_': {
      const event = await db.stripeEvent.findUnique({
        where: { id },
        select: { id: true, type: true, status: true, lastError: true, customerId: true, objectId: true },
      });
      if (!event) break;
      add(event.customerId, 'stored event');
      if (!event.customerId && event.objectId) {
        // The event itself names no customer: the object it is about may (a later event, a payment).
        const viaObject = await resolveStripeHandle(db, event.objectId);
        for (const m of viaObject.matches) add(m.customerId, `${m.via} of ${event.objectId}`);
        if (!found.size) {
          return {
            matches: [],
            unlinked: [
              {
                objectId: event.objectId,
                eventId: event.id,
                eventType: event.type,
                status: event.status,
                lastError: event.lastError,
              },
            ],
          };
        }
      }
      break;
    }
  }

  const unlinked: UnlinkedHandle[] = [];
  if (!found.size && prefix !== 'evt_') {
    // Not in our billing mirror: the object may still be known from the events about it or from
    // the ledger entries that name it.
    const [events, entries] = await Promise.all([
      db.stripeEvent.findMany({
        where: { objectId: id },
        orderBy: { created: 'desc' },
        take: 20,
        select: { id: true, type: true, status: true, lastError: true, customerId: true },
      }),
      db.ledgerEntry.findMany({ where: { reference: id }, select: { customerId: true }, take: 5 }),
    ]);
    for (const e of events) add(e.customerId, 'stored event');
    for (const e of entries) add(e.customerId, 'ledger entry');
    if (!found.size) {
      for (const e of events) {
        unlinked.push({ objectId: id, eventId: e.id, eventType: e.type, status: e.status, lastError: e.lastError });
      }
    }
  }
  return { matches: [...found.values()], unlinked };
}
