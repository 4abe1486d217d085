// Charges (retrieve, update, list), payment methods and balance transactions.
import { params, pathId, type ApiHandler } from '../http/context.ts';
import type { Router } from '../http/router.ts';
import * as P from '../wire/allowed-params.ts';
import { paginate } from '../wire/list.ts';
import { rangeFilter } from '../wire/params.ts';
import { render, renderList } from '../wire/render.ts';
import { updateMetadataRoute } from './shared.ts';

export function registerChargeRoutes(router: Router<ApiHandler>): void {
  router.get('/v1/charges/:id', (ctx) => {
    const p = params(ctx, []);
    return render(ctx.emu.store, ctx.emu.store.require('charge', pathId(ctx)), p.expand());
  });
  router.post('/v1/charges/:id', updateMetadataRoute('charge', P.ChargeUpdate, 'charge.updated'));
  router.get('/v1/charges', (ctx) => {
    const p = params(ctx, P.ChargeList);
    const customer = p.str('customer');
    const pi = p.str('payment_intent');
    const created = rangeFilter(p, 'created');
    const items = ctx.emu.store
      .all('charge')
      .reverse()
      .filter((x) => !customer || x.customer === customer)
      .filter((x) => !pi || x.payment_intent === pi)
      .filter((x) => !created || created(x.created));
    return renderList(ctx.emu.store, paginate(items, p, '/v1/charges'), p.expand());
  });

  router.get('/v1/payment_methods/:id', (ctx) => {
    const p = params(ctx, []);
    return render(ctx.emu.store, ctx.emu.store.require('payment_method', pathId(ctx)), p.expand());
  });

  router.get('/v1/balance_transactions/:id', (ctx) => {
    const p = params(ctx, []);
    return render(ctx.emu.store, ctx.emu.store.require('balance_transaction', pathId(ctx)), p.expand());
  });
  router.get('/v1/balance_transactions', (ctx) => {
    const p = params(ctx, P.BalanceTransactionList);
    const source = p.str('source');
    const type = p.str('type');
    const currency = p.str('currency');
    const created = rangeFilter(p, 'created');
    const items = ctx.emu.store
      .all('balance_transaction')
      .reverse()
      .filter((x) => !source || x.source === source)
      .filter((x) => !type || x.type === type)
      .filter((x) => !currency || x.currency === currency)
      .filter((x) => !created || created(x.created));
    return renderList(ctx.emu.store, paginate(items, p, '/v1/balance_transactions'), p.expand());
  });
}
