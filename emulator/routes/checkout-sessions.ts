// Checkout Sessions: create (line items by price or inline price_data), retrieve, list,
// line_items, expire. Paying happens on the hosted page or through the control endpoint.
import type Stripe from 'stripe';
import type { Emulator, Origin } from '../emulator.ts';
import { expireSession } from '../flows/checkout.ts';
import { params, pathId, type ApiContext, type ApiHandler } from '../http/context.ts';
import type { Router } from '../http/router.ts';
import { buildCheckoutItem, buildCheckoutSession } from '../objects/checkout-session.ts';
import * as P from '../wire/allowed-params.ts';
import { invalidRequest, missingParam } from '../wire/errors.ts';
import { paginate } from '../wire/list.ts';
import { applyMetadata, rangeFilter, type Params } from '../wire/params.ts';
import { render, renderList } from '../wire/render.ts';
import { commitPrice, preparePrice, type PreparedPrice } from '../flows/catalog.ts';

/** A line item read and checked; inline `price_data` is created only when the session is. */
interface PreparedItem {
  price: Stripe.Price | PreparedPrice;
  quantity: number;
}

function prepareLineItems(emu: Emulator, p: Params): PreparedItem[] {
  const items = p.list('line_items');
  if (!items.length) throw missingParam('line_items');
  return items.map((li) => {
    const priceId = li.str('price');
    const data = li.obj('price_data');
    if (!priceId && !data) throw missingParam(li.name('price'));
    const price = priceId
      ? emu.store.require('price', priceId, li.name('price'))
      : preparePrice(emu, data as Params, true);
    if ('active' in price && !price.active)
      throw invalidRequest(`The price specified (${price.id}) is inactive.`, li.name('price'));
    const quantity = li.int('quantity') ?? 1;
    if (quantity < 1) throw invalidRequest('Quantity must be at least 1.', li.name('quantity'));
    return { price, quantity };
  });
}

function priceOf(item: PreparedItem): { currency: string; recurring?: unknown } {
  return 'fields' in item.price ? item.price.fields : item.price;
}

function commitLineItems(emu: Emulator, prepared: PreparedItem[], origin: Origin): Stripe.LineItem[] {
  return prepared.map(({ price, quantity }) => {
    const stored = 'fields' in price ? commitPrice(emu, price, origin) : price;
    const product = emu.store.get('product', String(stored.product));
    return buildCheckoutItem(stored, quantity, product?.name ?? 'Item');
  });
}

function create(ctx: ApiContext): unknown {
  const { emu, origin } = ctx;
  const p = params(ctx, P.CheckoutSessionCreate);
  const mode = p.oneOf('mode', ['payment', 'subscription', 'setup'] as const) ?? 'payment';
  if (mode === 'setup') throw invalidRequest('The Stripe emulator does not support setup mode.', 'mode');
  const customerId = p.str('customer') ?? null;
  const customerEmail = p.email('customer_email') ?? null;
  if (customerId && customerEmail) {
    throw invalidRequest('You may only specify one of these parameters: customer, customer_email.', 'customer_email');
  }
  if (customerId) emu.store.require('customer', customerId, 'customer');
  const customerCreation = p.oneOf('customer_creation', ['always', 'if_required'] as const) ?? null;
  if (customerCreation && mode !== 'payment') {
    throw invalidRequest('`customer_creation` can only be used in `payment` mode.', 'customer_creation');
  }
  const pid = p.obj('payment_intent_data');
  if (pid && mode !== 'payment') {
    throw invalidRequest(`You can not pass \`payment_intent_data\` in \`${mode}\` mode.`, 'payment_intent_data');
  }
  const sd = p.obj('subscription_data');
  if (sd && mode !== 'subscription') {
    throw invalidRequest(`You can not pass \`subscription_data\` in \`${mode}\` mode.`, 'subscription_data');
  }
  if (sd?.has('trial_period_days') || sd?.has('trial_end')) {
    throw invalidRequest('The Stripe emulator does not support trials.', 'subscription_data[trial_period_days]');
  }
  const prepared = prepareLineItems(emu, p);
  const currencies = new Set(prepared.map((i) => priceOf(i).currency));
  if (currencies.size > 1)
    throw invalidRequest('All prices on a Checkout Session must use the same currency.', 'line_items');
  const recurring = prepared.filter((i) => priceOf(i).recurring);
  if (mode === 'subscription' && !recurring.length) {
    throw invalidRequest(
      'You must provide at least one recurring price in `subscription` mode when using prices.',
      'line_items',
    );
  }
  if (mode === 'payment' && recurring.length) {
    throw invalidRequest(
      'You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.',
      'line_items',
    );
  }
  const now = emu.now();
  const expiresAt = p.int('expires_at') ?? now + 86_400;
  if (expiresAt < now + 1800 - 5 || expiresAt > now + 86_400 + 5) {
    throw invalidRequest(
      'The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.',
      'expires_at',
    );
  }
  const fields = {
    client_reference_id: p.str('client_reference_id') ?? null,
    metadata: applyMetadata({}, p.raw.metadata),
    success_url: p.str('success_url') ?? null,
    cancel_url: p.str('cancel_url') ?? null,
    locale: p.str('locale') ?? null,
    allowed_payment_method_types: p.strList('allowed_payment_method_types') ?? null,
    submit_type: (p.str('submit_type') as Stripe.Checkout.Session.SubmitType | undefined) ?? null,
  };
  const ic = p.obj('invoice_creation');
  const invoiceCreation = ic && {
    enabled: ic.bool('enabled') ?? false,
    metadata: applyMetadata({}, ic.obj('invoice_data')?.raw.metadata),
  };
  const internals = {
    paymentIntentMetadata: applyMetadata({}, pid?.raw.metadata),
    paymentIntentDescription: pid?.str('description') ?? null,
    paymentIntentSetupFutureUsage: pid?.oneOf('setup_future_usage', ['off_session', 'on_session'] as const) ?? null,
    subscriptionMetadata: applyMetadata({}, sd?.raw.metadata),
    subscriptionDescription: sd?.str('description') ?? null,
    invoiceMetadata: null,
    lastError: null,
  };
  // Every parameter has passed: from here on nothing can fail, so a rejected request
  // leaves no inline price or product behind.
  const items = commitLineItems(emu, prepared, origin);
  const session = buildCheckoutSession(emu, {
    mode,
    currency: items[0]?.currency ?? 'usd',
    amount_subtotal: items.reduce((n, i) => n + i.amount_total, 0),
    customer: customerId,
    customer_email: customerEmail,
    customer_creation: customerCreation,
    expires_at: expiresAt,
    ui_mode: 'hosted_page',
    ...fields,
  });
  if (invoiceCreation && session.invoice_creation) {
    session.invoice_creation.enabled = invoiceCreation.enabled;
    session.invoice_creation.invoice_data.metadata = invoiceCreation.metadata;
  }
  emu.store.insert('checkout.session', session);
  emu.store.sessionLineItems.set(session.id, items);
  emu.store.sessionInternals.set(session.id, internals);
  return render(emu.store, session, p.expand());
}

export function registerCheckoutRoutes(router: Router<ApiHandler>): void {
  router.post('/v1/checkout/sessions', create);
  router.get('/v1/checkout/sessions/:id', (ctx) => {
    const p = params(ctx, []);
    return render(ctx.emu.store, ctx.emu.store.require('checkout.session', pathId(ctx)), p.expand());
  });
  router.post('/v1/checkout/sessions/:id', (ctx) => {
    const p = params(ctx, ['metadata']);
    const s = ctx.emu.store.require('checkout.session', pathId(ctx));
    s.metadata = applyMetadata(s.metadata ?? {}, p.raw.metadata);
    ctx.emu.store.touch();
    return render(ctx.emu.store, s, p.expand());
  });
  router.post('/v1/checkout/sessions/:id/expire', (ctx) => {
    const p = params(ctx, []);
    const s = ctx.emu.store.require('checkout.session', pathId(ctx));
    return render(ctx.emu.store, expireSession(ctx.emu, s, ctx.origin), p.expand());
  });
  router.get('/v1/checkout/sessions/:id/line_items', (ctx) => {
    const p = params(ctx, P.CheckoutSessionListLineItems);
    const s = ctx.emu.store.require('checkout.session', pathId(ctx));
    const items = [...(ctx.emu.store.sessionLineItems.get(s.id) ?? [])];
    // Line items keep their order on the session (oldest first), unlike other lists.
    return renderList(ctx.emu.store, paginate(items, p, `/v1/checkout/sessions/${s.id}/line_items`), p.expand());
  });
  router.get('/v1/checkout/sessions', (ctx) => {
    const p = params(ctx, P.CheckoutSessionList);
    const f = {
      customer: p.str('customer'),
      payment_intent: p.str('payment_intent'),
      subscription: p.str('subscription'),
      status: p.str('status'),
      email: p.obj('customer_details')?.str('email'),
    };
    const created = rangeFilter(p, 'created');
    const items = ctx.emu.store
      .all('checkout.session')
      .reverse()
      .filter((s) => !f.customer || s.customer === f.customer)
      .filter((s) => !f.payment_intent || s.payment_intent === f.payment_intent)
      .filter((s) => !f.subscription || s.subscription === f.subscription)
      .filter((s) => !f.status || s.status === f.status)
      .filter((s) => !f.email || s.customer_details?.email === f.email)
      .filter((s) => !created || created(s.created));
    return renderList(ctx.emu.store, paginate(items, p, '/v1/checkout/sessions'), p.expand());
  });
}
