// Subscriptions: create (charging the saved payment method), retrieve, update (metadata,
// cancel_at_period_end, plan change without proration), cancel, list.
import type Stripe from 'stripe';
import type { Emulator, Origin } from '../emulator.ts';
import { invoicePlanChange, type PriceChange } from '../flows/plan-change.ts';
import { attemptInvoicePayment, invoicePaymentIntent, updateSubscription } from '../flows/invoices.ts';
import {
  activate,
  cancelSubscriptionNow,
  paymentMethodFor,
  startSubscription,
} from '../flows/subscription-lifecycle.ts';
import { params, pathId, type ApiHandler } from '../http/context.ts';
import type { Router } from '../http/router.ts';
import { planFromPrice } from '../objects/price.ts';
import { buildSubscriptionItem } from '../objects/subscription.ts';
import * as P from '../wire/allowed-params.ts';
import { cardDeclined, invalidRequest, missingParam } from '../wire/errors.ts';
import { paginate } from '../wire/list.ts';
import { applyMetadata, rangeFilter, type Params } from '../wire/params.ts';
import { SubscriptionNested } from '../wire/nested-params.ts';
import { render, renderList } from '../wire/render.ts';

function itemsFrom(emu: Emulator, p: Params): Array<{ price: Stripe.Price; quantity: number }> {
  const items = p.list('items');
  if (!items.length) throw missingParam('items');
  return items.map((i) => {
    const price = emu.store.require('price', i.reqStr('price'), i.name('price'));
    if (!price.recurring) throw invalidRequest(`The price specified (${price.id}) is not recurring.`, i.name('price'));
    return { price, quantity: i.int('quantity') ?? 1 };
  });
}

function createSubscription(emu: Emulator, p: Params, origin: Origin): Stripe.Subscription {
  const customer = emu.store.require('customer', p.reqStr('customer'), 'customer');
  if (p.has('trial_period_days') || p.has('trial_end')) {
    throw invalidRequest('The Stripe emulator does not support trials.', 'trial_period_days');
  }
  const pmParam = p.str('default_payment_method') ?? null;
  if (pmParam) emu.store.require('payment_method', pmParam, 'default_payment_method');
  const behavior =
    p.oneOf('payment_behavior', [
      'allow_incomplete',
      'default_incomplete',
      'error_if_incomplete',
      'pending_if_incomplete',
    ] as const) ?? 'allow_incomplete';
  const { sub, invoice } = startSubscription(
    emu,
    {
      customer,
      items: itemsFrom(emu, p),
      oneTimeItems: [],
      metadata: applyMetadata({}, p.raw.metadata),
      description: p.str('description') ?? null,
      paymentMethod: pmParam,
    },
    origin,
  );
  if (behavior === 'default_incomplete') {
    invoicePaymentIntent(emu, invoice, origin);
    return sub;
  }
  const { pi } = attemptInvoicePayment(emu, invoice, paymentMethodFor(emu, sub), 'succeed', origin);
  if (pi.status === 'succeeded') activate(emu, sub, origin);
  else if (behavior === 'error_if_incomplete') {
    throw cardDeclined('Your card was declined.', 'generic_decline', { payment_intent: render(emu.store, pi) });
  }
  return sub;
}

type ItemChange =
  | { kind: 'delete'; id: string | undefined }
  | { kind: 'set'; existing: Stripe.SubscriptionItem | undefined; price: Stripe.Price; quantity: number | undefined };

/** `items[]` read and checked against the subscription before it changes. */
function itemChanges(emu: Emulator, sub: Stripe.Subscription, p: Params): ItemChange[] {
  return p.list('items').map((i) => {
    const id = i.str('id');
    const existing = id ? sub.items.data.find((x) => x.id === id) : undefined;
    if (id && !existing) throw invalidRequest(`No such subscription item: '${id}'`, i.name('id'), 'resource_missing');
    if (i.bool('deleted')) return { kind: 'delete', id };
    const priceId = i.str('price');
    const price = priceId ? emu.store.require('price', priceId, i.name('price')) : existing?.price;
    if (!price) throw missingParam(i.name('price'));
    return { kind: 'set', existing, price, quantity: i.int('quantity') };
  });
}

function updateSub(emu: Emulator, sub: Stripe.Subscription, p: Params, origin: Origin): Stripe.Subscription {
  if (sub.status === 'canceled') {
    throw invalidRequest(
      'A canceled subscription can only update its cancellation_details and metadata.',
      'subscription',
    );
  }
  // Read and check everything first: a rejected request changes nothing.
  const cape = p.bool('cancel_at_period_end');
  const metadata = applyMetadata(sub.metadata, p.raw.metadata);
  const description = p.nullableStr('description');
  const pm = p.nullableStr('default_payment_method');
  if (pm) emu.store.require('payment_method', pm, 'default_payment_method');
  const details = p.obj('cancellation_details');
  const comment = details?.str('comment') ?? null;
  const feedback = (details?.str('feedback') as Stripe.Subscription.CancellationDetails.Feedback | undefined) ?? null;
  const changes = itemChanges(emu, sub, p);
  const proration = p.oneOf('proration_behavior', ['always_invoice', 'create_prorations', 'none'] as const);
  // Only always_invoice bills a price change at once; otherwise the new price applies from the renewal.
  const priceChanges: PriceChange[] =
    proration === 'always_invoice'
      ? changes.flatMap((c) =>
          c.kind === 'set' && c.existing && c.existing.price.id !== c.price.id
            ? [
                {
                  item: c.existing.id,
                  from: c.existing.price,
                  to: c.price,
                  quantity: c.quantity ?? c.existing.quantity ?? 1,
                },
              ]
            : [],
        )
      : [];
  updateSubscription(emu, sub, origin, (s) => {
    s.metadata = metadata;
    if (description !== undefined) s.description = description;
    if (pm !== undefined) s.default_payment_method = pm;
    if (cape !== undefined) {
      const end = s.items.data[0]?.current_period_end ?? null;
      s.cancel_at_period_end = cape;
      s.cancel_at = cape ? end : null;
      s.canceled_at = cape ? emu.now() : null;
      s.cancellation_details = {
        comment,
        feedback,
        feedback_option: null,
        reason: cape ? 'cancellation_requested' : null,
      };
    }
    for (const change of changes) {
      if (change.kind === 'delete') {
        s.items.data = s.items.data.filter((x) => x.id !== change.id);
      } else if (change.existing) {
        change.existing.price = change.price;
        change.existing.plan = planFromPrice(change.price);
        change.existing.quantity = change.quantity ?? change.existing.quantity;
      } else {
        const first = s.items.data[0];
        const period = { start: first?.current_period_start ?? emu.now(), end: first?.current_period_end ?? emu.now() };
        s.items.data.push(buildSubscriptionItem(emu, s.id, change.price, change.quantity ?? 1, period));
      }
    }
  });
  invoicePlanChange(emu, sub, priceChanges, origin);
  return sub;
}

export function registerSubscriptionRoutes(router: Router<ApiHandler>): void {
  router.post('/v1/subscriptions', (ctx) => {
    const p = params(ctx, P.SubscriptionCreate);
    return render(ctx.emu.store, createSubscription(ctx.emu, p, ctx.origin), p.expand());
  });
  router.get('/v1/subscriptions/:id', (ctx) => {
    const p = params(ctx, []);
    return render(ctx.emu.store, ctx.emu.store.require('subscription', pathId(ctx)), p.expand());
  });
  router.post('/v1/subscriptions/:id', (ctx) => {
    const p = params(ctx, P.SubscriptionUpdate, SubscriptionNested);
    const sub = ctx.emu.store.require('subscription', pathId(ctx));
    return render(ctx.emu.store, updateSub(ctx.emu, sub, p, ctx.origin), p.expand());
  });
  router.delete('/v1/subscriptions/:id', (ctx) => {
    const p = params(ctx, P.SubscriptionCancel, SubscriptionNested);
    const sub = ctx.emu.store.require('subscription', pathId(ctx));
    const d = p.obj('cancellation_details');
    cancelSubscriptionNow(ctx.emu, sub, ctx.origin, 'cancellation_requested', {
      comment: d?.str('comment') ?? null,
      feedback: (d?.str('feedback') as Stripe.Subscription.CancellationDetails.Feedback | undefined) ?? null,
    });
    return render(ctx.emu.store, sub, p.expand());
  });
  router.get('/v1/subscriptions', (ctx) => {
    const p = params(ctx, P.SubscriptionList);
    const customer = p.str('customer');
    const status = p.str('status');
    const price = p.str('price');
    const created = rangeFilter(p, 'created');
    const items = ctx.emu.store
      .all('subscription')
      .reverse()
      .filter((s) => !customer || s.customer === customer)
      .filter((s) => (status === 'all' ? true : status ? s.status === status : s.status !== 'canceled'))
      .filter((s) => !price || s.items.data.some((i) => i.price.id === price))
      .filter((s) => !created || created(s.created));
    return renderList(ctx.emu.store, paginate(items, p, '/v1/subscriptions'), p.expand());
  });
}
