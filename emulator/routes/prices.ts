// Prices: create, retrieve, update (lookup_key transfer, archive), list.
import { params, pathId, type ApiHandler } from '../http/context.ts';
import type { Router } from '../http/router.ts';
import { snapshot } from '../objects/diff.ts';
import * as P from '../wire/allowed-params.ts';
import { invalidRequest } from '../wire/errors.ts';
import { paginate } from '../wire/list.ts';
import { applyMetadata, rangeFilter } from '../wire/params.ts';
import { render, renderList } from '../wire/render.ts';
import { createPriceFrom } from '../flows/catalog.ts';
import { PriceNested } from '../wire/nested-params.ts';
import { emitUpdated } from './shared.ts';

export function registerPriceRoutes(router: Router<ApiHandler>): void {
  router.post('/v1/prices', (ctx) => {
    const p = params(ctx, P.PriceCreate, PriceNested);
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
    // Read and check everything first: a rejected request changes nothing.
    const active = p.bool('active');
    const nickname = p.nullableStr('nickname');
    const lookupKey = p.nullableStr('lookup_key');
    const holder = lookupKey
      ? emu.store.all('price').find((x) => x.lookup_key === lookupKey && x.id !== price.id)
      : undefined;
    if (holder && !p.bool('transfer_lookup_key')) {
      throw invalidRequest(`A price (\`${holder.id}\`) already uses that lookup key.`, 'lookup_key');
    }
    const metadata = applyMetadata(price.metadata, p.raw.metadata);
    const before = snapshot(price);
    if (active !== undefined) price.active = active;
    if (nickname !== undefined) price.nickname = nickname;
    if (lookupKey !== undefined) {
      if (holder) holder.lookup_key = null;
      price.lookup_key = lookupKey;
    }
    price.metadata = metadata;
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
