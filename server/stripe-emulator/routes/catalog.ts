// Products and prices.
import type Stripe from 'stripe';
import type { Emulator, Origin } from '../emulator.ts';
import { params, pathId, type ApiHandler } from '../http/context.ts';
import type { Router } from '../http/router.ts';
import { previousAttributes, snapshot } from '../objects/diff.ts';
import { buildPrice, type Interval } from '../objects/price.ts';
import { buildProduct } from '../objects/product.ts';
import * as P from '../wire/allowed-params.ts';
import { invalidRequest, missingParam } from '../wire/errors.ts';
import { paginate } from '../wire/list.ts';
import { applyMetadata, Params, rangeFilter } from '../wire/params.ts';
import { render, renderList } from '../wire/render.ts';

const INTERVALS = ['day', 'week', 'month', 'year'] as const;

function emitUpdated(emu: Emulator, type: string, obj: object, before: object, origin: Origin): void {
  const prev = previousAttributes(before, obj);
  if (!prev) return;
  emu.store.touch();
  emu.emit(type, obj, origin, prev);
}

function createProductFrom(emu: Emulator, p: Params, origin: Origin): Stripe.Product {
  const id = p.str('id');
  if (id && emu.store.getAny(id)) {
    throw invalidRequest(`Product already exists.`, 'id', 'resource_already_exists');
  }
  const product = emu.store.insert(
    'product',
    buildProduct(emu, {
      id,
      name: p.reqStr('name'),
      description: p.str('description') ?? null,
      active: p.bool('active'),
      metadata: applyMetadata({}, p.raw.metadata),
      type: p.oneOf('type', ['good', 'service'] as const),
      unit_label: p.str('unit_label') ?? null,
    }),
  );
  emu.emit('product.created', product, origin);
  return product;
}

/** Reads `recurring[...]`, `unit_amount`, `currency` shared by prices and inline `price_data`. */
export function priceFields(p: Params): {
  currency: string;
  unit_amount: number;
  recurring: { interval: Interval; interval_count: number } | null;
} {
  const currency = p.reqStr('currency').toLowerCase();
  const unit =
    p.int('unit_amount') ??
    (p.str('unit_amount_decimal') ? Math.round(Number(p.str('unit_amount_decimal'))) : undefined);
  if (unit === undefined) throw missingParam(p.name('unit_amount'));
  if (unit < 0) throw invalidRequest('This value must be greater than or equal to 0.', p.name('unit_amount'));
  const r = p.obj('recurring');
  let recurring: { interval: Interval; interval_count: number } | null = null;
  if (r) {
    const interval = r.oneOf('interval', INTERVALS);
    if (!interval) throw missingParam(r.name('interval'));
    recurring = { interval, interval_count: r.int('interval_count') ?? 1 };
  }
  return { currency, unit_amount: unit, recurring };
}

export function createPriceFrom(emu: Emulator, p: Params, origin: Origin, inline = false): Stripe.Price {
  let productId = p.str('product');
  const productData = p.obj('product_data');
  if (!productId && productData) {
    productId = createProductFrom(emu, productData, origin).id;
  }
  if (!productId) throw missingParam(p.name('product'));
  emu.store.require('product', productId, p.name('product'));
  const lookupKey = p.str('lookup_key') ?? null;
  if (lookupKey) {
    const holder = emu.store.all('price').find((x) => x.lookup_key === lookupKey);
    if (holder) {
      if (!p.bool('transfer_lookup_key')) {
        throw invalidRequest(
          `A price (\`${holder.id}\`) already uses that lookup key. Pass transfer_lookup_key=true to move it.`,
          'lookup_key',
        );
      }
      holder.lookup_key = null;
    }
  }
  const price = emu.store.insert(
    'price',
    buildPrice(emu, {
      product: productId,
      ...priceFields(p),
      lookup_key: lookupKey,
      nickname: p.str('nickname') ?? null,
      metadata: applyMetadata({}, p.raw.metadata),
      active: inline ? false : p.bool('active'),
    }),
  );
  emu.emit('price.created', price, origin);
  return price;
}

export function registerCatalogRoutes(router: Router<ApiHandler>): void {
  router.post('/v1/products', (ctx) => {
    const p = params(ctx, P.ProductCreate);
    const product = createProductFrom(ctx.emu, p, ctx.origin);
    const dpd = p.obj('default_price_data');
    if (dpd) {
      const data = new Params({ ...dpd.raw, product: product.id }, 'default_price_data');
      const price = createPriceFrom(ctx.emu, data, ctx.origin);
      product.default_price = price.id;
    }
    return render(ctx.emu.store, product, p.expand());
  });
  router.get('/v1/products/:id', (ctx) => {
    const p = params(ctx, []);
    return render(ctx.emu.store, ctx.emu.store.require('product', pathId(ctx)), p.expand());
  });
  router.post('/v1/products/:id', (ctx) => {
    const p = params(ctx, P.ProductUpdate);
    const { emu } = ctx;
    const product = emu.store.require('product', pathId(ctx));
    const before = snapshot(product);
    const name = p.str('name');
    if (name !== undefined) product.name = name;
    const description = p.nullableStr('description');
    if (description !== undefined) product.description = description;
    const active = p.bool('active');
    if (active !== undefined) product.active = active;
    const dp = p.nullableStr('default_price');
    if (dp !== undefined) {
      if (dp) emu.store.require('price', dp, 'default_price');
      product.default_price = dp;
    }
    product.metadata = applyMetadata(product.metadata, p.raw.metadata);
    if (JSON.stringify(before) !== JSON.stringify(product)) product.updated = emu.now();
    emitUpdated(emu, 'product.updated', product, before, ctx.origin);
    return render(emu.store, product, p.expand());
  });
  router.delete('/v1/products/:id', (ctx) => {
    params(ctx, []);
    const { emu } = ctx;
    const product = emu.store.require('product', pathId(ctx));
    if (emu.store.all('price').some((x) => x.product === product.id)) {
      throw invalidRequest('This product cannot be deleted because it has one or more user-created prices.', 'id');
    }
    emu.store.remove('product', product.id);
    emu.emit('product.deleted', product, ctx.origin);
    return { id: product.id, object: 'product', deleted: true };
  });
  router.get('/v1/products', (ctx) => {
    const p = params(ctx, P.ProductList);
    const active = p.bool('active');
    const ids = p.strList('ids');
    const type = p.str('type');
    const created = rangeFilter(p, 'created');
    const items = ctx.emu.store
      .all('product')
      .reverse()
      .filter((x) => active === undefined || x.active === active)
      .filter((x) => !ids || ids.includes(x.id))
      .filter((x) => !type || x.type === type)
      .filter((x) => !created || created(x.created));
    return renderList(ctx.emu.store, paginate(items, p, '/v1/products'), p.expand());
  });

  router.post('/v1/prices', (ctx) => {
    const p = params(ctx, P.PriceCreate);
    return render(ctx.emu.store, createPriceFrom(ctx.emu, p, ctx.origin), p.expand());
  });
  router.get('/v1/prices/:id', (ctx) => {
    const p = params(ctx, []);
    return render(ctx.emu.store, ctx.emu.store.require('price', pathId(ctx)), p.expand());
  });
  router.post('/v1/prices/:id', (ctx) => {
    const p = params(ctx, P.PriceUpdate);
    const { emu } = ctx;
    const price = emu.store.require('price', pathId(ctx));
    const before = snapshot(price);
    const active = p.bool('active');
    if (active !== undefined) price.active = active;
    const nickname = p.nullableStr('nickname');
    if (nickname !== undefined) price.nickname = nickname;
    const lookupKey = p.nullableStr('lookup_key');
    if (lookupKey !== undefined) {
      const holder = lookupKey
        ? emu.store.all('price').find((x) => x.lookup_key === lookupKey && x.id !== price.id)
        : undefined;
      if (holder && !p.bool('transfer_lookup_key')) {
        throw invalidRequest(`A price (\`${holder.id}\`) already uses that lookup key.`, 'lookup_key');
      }
      if (holder) holder.lookup_key = null;
      price.lookup_key = lookupKey;
    }
    price.metadata = applyMetadata(price.metadata, p.raw.metadata);
    emitUpdated(emu, 'price.updated', price, before, ctx.origin);
    return render(emu.store, price, p.expand());
  });
  router.get('/v1/prices', (ctx) => {
    const p = params(ctx, P.PriceList);
    const active = p.bool('active');
    const product = p.str('product');
    const type = p.str('type');
    const currency = p.str('currency');
    const keys = p.strList('lookup_keys');
    const interval = p.obj('recurring')?.str('interval');
    const created = rangeFilter(p, 'created');
    const items = ctx.emu.store
      .all('price')
      .reverse()
      .filter((x) => active === undefined || x.active === active)
      .filter((x) => !product || x.product === product)
      .filter((x) => !type || x.type === type)
      .filter((x) => !currency || x.currency === currency)
      .filter((x) => !keys || (x.lookup_key !== null && keys.includes(x.lookup_key)))
      .filter((x) => !interval || x.recurring?.interval === interval)
      .filter((x) => !created || created(x.created));
    return renderList(ctx.emu.store, paginate(items, p, '/v1/prices'), p.expand());
  });
}
