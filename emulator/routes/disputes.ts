// Disputes: retrieve, list, update (evidence, metadata, submit true/false), close.
import { resolveDispute, updateDispute } from '../flows/disputes.ts';
import { params, pathId, type ApiHandler } from '../http/context.ts';
import type { Router } from '../http/router.ts';
import * as P from '../wire/allowed-params.ts';
import { paginate } from '../wire/list.ts';
import { applyMetadata, rangeFilter } from '../wire/params.ts';
import { render, renderList } from '../wire/render.ts';

export function registerDisputeRoutes(router: Router<ApiHandler>): void {
  router.get('/v1/disputes/:id', (ctx) => {
    const p = params(ctx, []);
    return render(ctx.emu.store, ctx.emu.store.require('dispute', pathId(ctx)), p.expand());
  });
  router.post('/v1/disputes/:id', (ctx) => {
    const p = params(ctx, P.DisputeUpdate);
    const d = ctx.emu.store.require('dispute', pathId(ctx));
    const metadata = applyMetadata(d.metadata, p.raw.metadata);
    return render(ctx.emu.store, updateDispute(ctx.emu, d, p, ctx.origin, metadata), p.expand());
  });
  router.post('/v1/disputes/:id/close', (ctx) => {
    const p = params(ctx, P.DisputeClose);
    const d = ctx.emu.store.require('dispute', pathId(ctx));
    return render(ctx.emu.store, resolveDispute(ctx.emu, d, 'lost', ctx.origin), p.expand());
  });
  router.get('/v1/disputes', (ctx) => {
    const p = params(ctx, P.DisputeList);
    const charge = p.str('charge');
    const pi = p.str('payment_intent');
    const created = rangeFilter(p, 'created');
    const items = ctx.emu.store
      .all('dispute')
      .reverse()
      .filter((x) => !charge || x.charge === charge)
      .filter((x) => !pi || x.payment_intent === pi)
      .filter((x) => !created || created(x.created));
    return renderList(ctx.emu.store, paginate(items, p, '/v1/disputes'), p.expand());
  });
}
