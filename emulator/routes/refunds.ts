// Refunds: create by charge or payment_intent, retrieve, update, cancel, list.
import { createRefund } from '../flows/refunds.ts';
import { params, pathId, type ApiHandler } from '../http/context.ts';
import type { Router } from '../http/router.ts';
import * as P from '../wire/allowed-params.ts';
import { invalidRequest } from '../wire/errors.ts';
import { paginate } from '../wire/list.ts';
import { applyMetadata, rangeFilter } from '../wire/params.ts';
import { render, renderList } from '../wire/render.ts';
import { updateMetadataRoute } from './shared.ts';

export function registerRefundRoutes(router: Router<ApiHandler>): void {
  router.post('/v1/refunds', (ctx) => {
    const p = params(ctx, P.RefundCreate);
    const { emu } = ctx;
    let chargeId = p.str('charge');
    const piId = p.str('payment_intent');
    if (chargeId && piId)
      throw invalidRequest('You may only specify one of these parameters: charge, payment_intent.', 'payment_intent');
    if (piId) {
      const pi = emu.store.require('payment_intent', piId, 'payment_intent');
      if (pi.status !== 'succeeded' || typeof pi.latest_charge !== 'string') {
        throw invalidRequest(
          `This PaymentIntent (${pi.id}) does not have a successful charge to refund.`,
          'payment_intent',
        );
      }
      chargeId = pi.latest_charge;
    }
    if (!chargeId)
      throw invalidRequest(
        'One of the following params should be provided for this request: payment_intent or charge.',
      );
    const charge = emu.store.require('charge', chargeId, 'charge');
    const refund = createRefund(
      emu,
      {
        charge,
        amount: p.int('amount'),
        reason: p.oneOf('reason', ['duplicate', 'fraudulent', 'requested_by_customer'] as const) ?? null,
        metadata: applyMetadata({}, p.raw.metadata),
      },
      ctx.origin,
    );
    return render(emu.store, refund, p.expand());
  });
  router.get('/v1/refunds/:id', (ctx) => {
    const p = params(ctx, []);
    return render(ctx.emu.store, ctx.emu.store.require('refund', pathId(ctx)), p.expand());
  });
  router.post('/v1/refunds/:id', updateMetadataRoute('refund', P.RefundUpdate, 'refund.updated'));
  router.post('/v1/refunds/:id/cancel', (ctx) => {
    params(ctx, P.RefundCancel);
    const r = ctx.emu.store.require('refund', pathId(ctx));
    throw invalidRequest(
      `You can't cancel this refund because it has a status of ${r.status}. Only refunds with a status of requires_action can be canceled.`,
      'refund',
    );
  });
  router.get('/v1/refunds', (ctx) => {
    const p = params(ctx, P.RefundList);
    const charge = p.str('charge');
    const pi = p.str('payment_intent');
    const created = rangeFilter(p, 'created');
    const items = ctx.emu.store
      .all('refund')
      .reverse()
      .filter((x) => !charge || x.charge === charge)
      .filter((x) => !pi || x.payment_intent === pi)
      .filter((x) => !created || created(x.created));
    return renderList(ctx.emu.store, paginate(items, p, '/v1/refunds'), p.expand());
  });
}
