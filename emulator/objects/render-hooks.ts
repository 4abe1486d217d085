// Fields Stripe computes at read time: includables (present only when expanded) and embedded
// objects that must reflect the current state of what they embed.
import type Stripe from 'stripe';
import { listOf } from '../wire/list.ts';
import { registry } from '../wire/render.ts';
import { planFromPrice } from './price.ts';

registry.includables['checkout.session'] = {
  line_items: (store, s) => {
    const items = (store.sessionLineItems.get(String(s.id)) ?? []).map((li) => ({
      ...li,
      price: li.price ? (store.get('price', li.price.id) ?? li.price) : null,
    }));
    return { ...listOf(items, `/v1/checkout/sessions/${String(s.id)}/line_items`) };
  },
};

registry.includables.charge = {
  refunds: (store, ch) =>
    listOf(
      store
        .all('refund')
        .filter((r) => r.charge === ch.id)
        .reverse(),
      `/v1/charges/${String(ch.id)}/refunds`,
    ),
};

registry.includables.invoice = {
  payments: (store, inv) =>
    listOf(
      store
        .all('invoice_payment')
        .filter((p) => p.invoice === inv.id)
        .reverse(),
      `/v1/invoices/${String(inv.id)}/payments`,
    ),
};

registry.includables.customer = {
  subscriptions: (store, c) =>
    listOf(
      store
        .all('subscription')
        .filter((s) => s.customer === c.id && s.status !== 'canceled')
        .reverse(),
      `/v1/customers/${String(c.id)}/subscriptions`,
    ),
};

registry.hydrators.subscription = (store, sub) => {
  const items = (sub as unknown as Stripe.Subscription).items.data;
  for (const item of items) {
    const price = store.get('price', item.price.id);
    if (price) {
      item.price = structuredClone(price);
      item.plan = planFromPrice(price);
    }
  }
};
