// The one place where an event's data.object is made to look like API 2026-10-28.endive before any
// handler reads it. An endpoint pinned to an older API version keeps receiving the older shapes
// (an event's data is rendered once, with the event's api_version), so a renewal invoice.paid can
// arrive with a top-level `subscription`, `payment_intent` and `charge`, lines with `price` and no
// `pricing`, and a subscription can carry its period at the top level instead of on its items.
// Those are moved to where endive puts them; the rest of the payload is kept as it is.
//
// An object we still cannot read (not the object its type promises, a field a handler needs
// missing, a subscription invoice that names no subscription) throws `payload_unreadable`: the
// event is `failed` with that cause for a person to look at, never `processed` with no effect.
import { EventFailedError } from './event-errors.ts';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const idOf = (v: unknown): string | null =>
  typeof v === 'string' ? v : isObj(v) && typeof v.id === 'string' ? v.id : null;

/** The object each handled event type carries, by the type's prefix (longest first). */
const OBJECT_OF_TYPE: Array<[prefix: string, object: string]> = [
  ['checkout.session.', 'checkout.session'],
  ['customer.subscription.', 'subscription'],
  ['charge.dispute.', 'dispute'],
  ['charge.refund.', 'refund'],
  ['charge.', 'charge'],
  ['refund.', 'refund'],
  ['invoice_payment.', 'invoice_payment'],
  ['invoice.', 'invoice'],
  ['payment_intent.', 'payment_intent'],
  ['radar.early_fraud_warning.', 'radar.early_fraud_warning'],
];

/** Fields every version has and a handler cannot do without, per object (name -> typeof). */
const REQUIRED: Record<string, Record<string, 'string' | 'number' | 'object'>> = {
  'checkout.session': { mode: 'string', payment_status: 'string' },
  subscription: { status: 'string', items: 'object' },
  invoice: { currency: 'string', amount_paid: 'number' },
  charge: { amount: 'number', currency: 'string' },
  refund: { amount: 'number', status: 'string' },
  dispute: { amount: 'number', status: 'string' },
  payment_intent: { amount: 'number', status: 'string' },
};

function unreadable(apiVersion: string | null, missing: string): EventFailedError {
  return new EventFailedError({ code: 'payload_unreadable', detail: { apiVersion, missing: missing.slice(0, 500) } });
}

function expectedObject(type: string): string | null {
  return OBJECT_OF_TYPE.find(([prefix]) => type.startsWith(prefix))?.[1] ?? null;
}

/** data.object in the endive shape, or throws payload_unreadable. */
export function normaliseEventObject(type: string, apiVersion: string | null, object: unknown): unknown {
  const kind = expectedObject(type);
  if (!kind) return object;
  if (!isObj(object) || typeof object.id !== 'string') throw unreadable(apiVersion, 'data.object has no id');
  if (object.object !== kind) {
    throw unreadable(apiVersion, `${type} carries ${String(object.object ?? 'no object type')}, not ${kind}`);
  }
  const normalised =
    kind === 'invoice'
      ? normaliseInvoice(object)
      : kind === 'subscription'
        ? normaliseSubscription(object)
        : kind === 'payment_intent'
          ? normalisePaymentIntent(object)
          : object;
  for (const [field, want] of Object.entries(REQUIRED[kind] ?? {})) {
    const value = normalised[field];
    if (typeof value !== want || value === null) throw unreadable(apiVersion, `${kind}.${field} is missing`);
  }
  if (kind === 'invoice') checkInvoice(normalised, apiVersion);
  return normalised;
}

/** Before 2025-03-31.basil: subscription, subscription_details, payment_intent and charge at the top
 * level, lines priced by `price`. Endive: parent.subscription_details, payments[], lines[].pricing. */
function normaliseInvoice(inv: Obj): Obj {
  const out: Obj = { ...inv };
  const subscription = idOf(inv.subscription);
  if (!isObj(inv.parent) && subscription) {
    const details = isObj(inv.subscription_details) ? inv.subscription_details : {};
    out.parent = {
      type: 'subscription_details',
      quote_details: null,
      subscription_details: { subscription, metadata: isObj(details.metadata) ? details.metadata : null },
    };
  }
  const paymentIntent = idOf(inv.payment_intent);
  const charge = idOf(inv.charge);
  const payments = isObj(inv.payments) && Array.isArray(inv.payments.data) ? inv.payments.data : [];
  if (!payments.length && (paymentIntent || charge)) {
    out.payments = {
      object: 'list',
      has_more: false,
      data: [
        {
          object: 'invoice_payment',
          invoice: inv.id,
          is_default: true,
          status: inv.status === 'paid' ? 'paid' : 'open',
          payment: {
            type: paymentIntent ? 'payment_intent' : 'charge',
            payment_intent: paymentIntent,
            charge,
          },
        },
      ],
    };
  }
  const lines = isObj(inv.lines) && Array.isArray(inv.lines.data) ? inv.lines.data : null;
  if (lines) {
    out.lines = { ...(inv.lines as Obj), data: lines.map((l) => (isObj(l) ? normaliseInvoiceLine(l) : l)) };
  }
  return out;
}

function normaliseInvoiceLine(line: Obj): Obj {
  if (isObj(line.pricing)) return line;
  const price = isObj(line.price) ? line.price : isObj(line.plan) ? line.plan : null;
  const priceId = idOf(line.price) ?? idOf(line.plan);
  if (!priceId) return line;
  return {
    ...line,
    pricing: {
      type: 'price_details',
      price_details: { price: priceId, product: idOf(price?.product) },
      unit_amount_decimal: typeof price?.unit_amount_decimal === 'string' ? price.unit_amount_decimal : null,
    },
  };
}

function checkInvoice(inv: Obj, apiVersion: string | null): void {
  const reason = typeof inv.billing_reason === 'string' ? inv.billing_reason : '';
  const parent = isObj(inv.parent) ? inv.parent : null;
  const details = parent && isObj(parent.subscription_details) ? parent.subscription_details : null;
  // A subscription invoice that names no subscription would be "not a subscription invoice:
  // nothing to grant", a paid period silently lost.
  if (reason.startsWith('subscription') && !idOf(details?.subscription)) {
    throw unreadable(apiVersion, `invoice ${String(inv.id)} (billing_reason ${reason}) names no subscription`);
  }
}

/** Before basil the period was on the subscription; endive has it on each item. */
function normaliseSubscription(sub: Obj): Obj {
  const items = isObj(sub.items) && Array.isArray(sub.items.data) ? sub.items.data : null;
  if (!items) return sub;
  const start = sub.current_period_start;
  const end = sub.current_period_end;
  if (typeof start !== 'number' && typeof end !== 'number') return sub;
  return {
    ...sub,
    items: {
      ...(sub.items as Obj),
      data: items.map((item) =>
        isObj(item)
          ? {
              ...item,
              current_period_start: item.current_period_start ?? start ?? null,
              current_period_end: item.current_period_end ?? end ?? null,
            }
          : item,
      ),
    },
  };
}

/** Before 2022-11-15 a payment intent listed its charges; endive names the latest one. */
function normalisePaymentIntent(pi: Obj): Obj {
  if (pi.latest_charge !== undefined) return pi;
  const charges = isObj(pi.charges) && Array.isArray(pi.charges.data) ? pi.charges.data : [];
  const latest = charges.length ? idOf(charges[0]) : null;
  return latest ? { ...pi, latest_charge: latest } : pi;
}
