// Invoices (retrieve, update, pay, lines, list) and invoice payments.
import { activate, retryInvoice } from '../flows/subscription-lifecycle.ts';
import { params, pathId, type ApiHandler } from '../http/context.ts';
import type { Router } from '../http/router.ts';
import { previousAttributes, snapshot } from '../objects/diff.ts';
import * as P from '../wire/allowed-params.ts';
import { cardDeclined, invalidRequest } from '../wire/errors.ts';
import { paginate } from '../wire/list.ts';
import { applyMetadata, rangeFilter } from '../wire/params.ts';
import { render, renderList } from '../wire/render.ts';

export function registerInvoiceRoutes(router: Router<ApiHandler>): void {
  router.get('/v1/invoices/:id', (ctx) => {
    const p = params(ctx, []);
    return render(ctx.emu.store, ctx.emu.store.require('invoice', pathId(ctx)), p.expand());
  });
  router.post('/v1/invoices/:id', (ctx) => {
    const p = params(ctx, P.InvoiceUpdate);
    const inv = ctx.emu.store.require('invoice', pathId(ctx));
    // Read and check everything first: a rejected request changes nothing.
    const metadata = applyMetadata(inv.metadata ?? {}, p.raw.metadata);
    const description = p.nullableStr('description');
    const before = snapshot(inv);
    inv.metadata = metadata;
    if (description !== undefined) inv.description = description;
    const prev = previousAttributes(before, inv);
    if (prev) {
      ctx.emu.store.touch();
      ctx.emu.emit('invoice.updated', inv, ctx.origin, prev);
    }
    return render(ctx.emu.store, inv, p.expand());
  });
  router.post('/v1/invoices/:id/pay', (ctx) => {
    const p = params(ctx, P.InvoicePay);
    const { emu } = ctx;
    const inv = emu.store.require('invoice', pathId(ctx));
    if (inv.status !== 'open')
      throw invalidRequest(`Invoice is already ${inv.status}.`, 'invoice', 'invoice_not_editable');
    if (p.bool('paid_out_of_band')) {
      inv.status = 'paid';
      inv.amount_remaining = 0;
      inv.next_payment_attempt = null;
      inv.status_transitions.paid_at = emu.now();
      emu.store.touch();
      emu.emit('invoice.paid', inv, ctx.origin);
      const subId = inv.parent?.subscription_details?.subscription;
      const sub = typeof subId === 'string' ? emu.store.get('subscription', subId) : undefined;
      if (sub) activate(emu, sub, ctx.origin);
      return render(emu.store, inv, p.expand());
    }
    retryInvoice(emu, inv, 'paid', ctx.origin);
    if (inv.status !== 'paid') throw cardDeclined('Your card was declined.', 'generic_decline');
    return render(emu.store, inv, p.expand());
  });
  router.get('/v1/invoices/:id/lines', (ctx) => {
    const p = params(ctx, P.InvoiceListLineItems);
    const inv = ctx.emu.store.require('invoice', pathId(ctx));
    return renderList(ctx.emu.store, paginate([...inv.lines.data], p, `/v1/invoices/${inv.id}/lines`), p.expand());
  });
  router.get('/v1/invoices', (ctx) => {
    const p = params(ctx, P.InvoiceList);
    const customer = p.str('customer');
    const subscription = p.str('subscription');
    const status = p.str('status');
    const created = rangeFilter(p, 'created');
    const items = ctx.emu.store
      .all('invoice')
      .reverse()
      .filter((x) => !customer || x.customer === customer)
      .filter((x) => !subscription || x.parent?.subscription_details?.subscription === subscription)
      .filter((x) => !status || x.status === status)
      .filter((x) => !created || created(x.created));
    return renderList(ctx.emu.store, paginate(items, p, '/v1/invoices'), p.expand());
  });

  router.get('/v1/invoice_payments/:id', (ctx) => {
    const p = params(ctx, []);
    return render(ctx.emu.store, ctx.emu.store.require('invoice_payment', pathId(ctx)), p.expand());
  });
  router.get('/v1/invoice_payments', (ctx) => {
    const p = params(ctx, P.InvoicePaymentList);
    const invoice = p.str('invoice');
    const status = p.str('status');
    const payment = p.obj('payment');
    const pi = payment?.str('payment_intent');
    const items = ctx.emu.store
      .all('invoice_payment')
      .reverse()
      .filter((x) => !invoice || x.invoice === invoice)
      .filter((x) => !status || x.status === status)
      .filter((x) => !pi || x.payment.payment_intent === pi);
    return renderList(ctx.emu.store, paginate(items, p, '/v1/invoice_payments'), p.expand());
  });
}
