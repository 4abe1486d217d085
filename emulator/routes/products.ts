// Products: create (with default_price_data), retrieve, update, delete, list.
import { params, pathId, type ApiHandler } from '../http/context.ts';
import type { Router } from '../http/router.ts';
import { snapshot } from '../objects/diff.ts';
import * as P from '../wire/allowed-params.ts';
import { invalidRequest } from '../wire/errors.ts';
import { paginate } from '../wire/list.ts';
import { applyMetadata, Params, rangeFilter } from '../wire/params.ts';
import { render, renderList } from '../wire/render.ts';
import { createPriceFrom, createProductFrom, priceFields } from '../flows/catalog.ts';
import { emitUpdated } from './shared.ts';

export function registerProductRoutes(router: Router<ApiHandler>): void {
  router.post('/v1/products', (ctx) => {
    const p = params(ctx, P.ProductCreate);
    const dpd = p.obj('default_price_data');
    // The price's fields are checked before the product exists, so a bad price creates nothing.
    if (dpd) priceFields(dpd);
    const product = createProductFrom(ctx.emu, p, ctx.origin);
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
    // Read and check everything first: a rejected request changes nothing.
    const name = p.str('name');
    const description = p.nullableStr('description');
    const active = p.bool('active');
    const dp = p.nullableStr('default_price');
    if (dp) emu.store.require('price', dp, 'default_price');
    const metadata = applyMetadata(product.metadata, p.raw.metadata);
    const before = snapshot(product);
    if (name !== undefined) product.name = name;
    if (description !== undefined) product.description = description;
    if (active !== undefined) product.active = active;
    if (dp !== undefined) product.default_price = dp;
    product.metadata = metadata;
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
}
