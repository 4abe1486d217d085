// Radar value lists and items (block/allow lists), and early fraud warnings.
import { params, pathId, type ApiHandler } from '../http/context.ts';
import type { Router } from '../http/router.ts';
import { buildValueList, buildValueListItem } from '../objects/radar.ts';
import * as P from '../wire/allowed-params.ts';
import { invalidRequest } from '../wire/errors.ts';
import { listOf, paginate } from '../wire/list.ts';
import { applyMetadata, rangeFilter } from '../wire/params.ts';
import { registry, render, renderList } from '../wire/render.ts';

const ITEM_TYPES = [
  'card_fingerprint',
  'card_bin',
  'crypto_fingerprint',
  'email',
  'ip_address',
  'country',
  'string',
  'case_sensitive_string',
  'customer_id',
  'account',
  'sepa_debit_fingerprint',
  'us_bank_account_fingerprint',
] as const;

registry.hydrators['radar.value_list'] = (store, list) => {
  const items = store
    .all('radar.value_list_item')
    .filter((i) => i.value_list === list.id)
    .reverse();
  list.list_items = {
    ...listOf(items.slice(0, 10), `/v1/radar/value_list_items?value_list=${String(list.id)}`),
    has_more: items.length > 10,
  };
};

export function registerRadarRoutes(router: Router<ApiHandler>): void {
  router.post('/v1/radar/value_lists', (ctx) => {
    const p = params(ctx, P.ValueListCreate);
    const alias = p.reqStr('alias');
    if (ctx.emu.store.all('radar.value_list').some((l) => l.alias === alias)) {
      throw invalidRequest(`A value list with the alias ${alias} already exists.`, 'alias');
    }
    const list = ctx.emu.store.insert(
      'radar.value_list',
      buildValueList(ctx.emu, {
        alias,
        name: p.reqStr('name'),
        item_type: p.oneOf('item_type', ITEM_TYPES) ?? 'string',
        metadata: applyMetadata({}, p.raw.metadata),
      }),
    );
    return render(ctx.emu.store, list, p.expand());
  });
  router.get('/v1/radar/value_lists/:id', (ctx) => {
    const p = params(ctx, []);
    return render(ctx.emu.store, ctx.emu.store.require('radar.value_list', pathId(ctx)), p.expand());
  });
  router.post('/v1/radar/value_lists/:id', (ctx) => {
    const p = params(ctx, P.ValueListUpdate);
    const list = ctx.emu.store.require('radar.value_list', pathId(ctx));
    // Read and check everything first: a rejected request changes nothing.
    const alias = p.str('alias');
    const name = p.str('name');
    const metadata = applyMetadata(list.metadata, p.raw.metadata);
    list.alias = alias ?? list.alias;
    list.name = name ?? list.name;
    list.metadata = metadata;
    ctx.emu.store.touch();
    return render(ctx.emu.store, list, p.expand());
  });
  router.delete('/v1/radar/value_lists/:id', (ctx) => {
    params(ctx, []);
    const { store } = ctx.emu;
    const list = store.require('radar.value_list', pathId(ctx));
    for (const i of store.all('radar.value_list_item'))
      if (i.value_list === list.id) store.remove('radar.value_list_item', i.id);
    store.remove('radar.value_list', list.id);
    return { id: list.id, object: 'radar.value_list', deleted: true };
  });
  router.get('/v1/radar/value_lists', (ctx) => {
    const p = params(ctx, P.ValueListList);
    const alias = p.str('alias');
    const contains = p.str('contains');
    const { store } = ctx.emu;
    const items = store
      .all('radar.value_list')
      .reverse()
      .filter((l) => !alias || l.alias === alias)
      .filter(
        (l) =>
          !contains || store.all('radar.value_list_item').some((i) => i.value_list === l.id && i.value === contains),
      );
    return renderList(store, paginate(items, p, '/v1/radar/value_lists'), p.expand());
  });

  router.post('/v1/radar/value_list_items', (ctx) => {
    const p = params(ctx, P.ValueListItemCreate);
    const { store } = ctx.emu;
    const list = store.require('radar.value_list', p.reqStr('value_list'), 'value_list');
    const value = p.reqStr('value');
    if (list.item_type === 'email' && !/^[^@\s]+@[^@\s]+$/.test(value)) {
      throw invalidRequest(`Invalid value for a list of type email: ${value}`, 'value');
    }
    if (store.all('radar.value_list_item').some((i) => i.value_list === list.id && i.value === value)) {
      throw invalidRequest(`The value ${value} is already in the list ${list.alias}.`, 'value');
    }
    const item = store.insert('radar.value_list_item', buildValueListItem(ctx.emu, list.id, value));
    return render(store, item, p.expand());
  });
  router.get('/v1/radar/value_list_items/:id', (ctx) => {
    const p = params(ctx, []);
    return render(ctx.emu.store, ctx.emu.store.require('radar.value_list_item', pathId(ctx)), p.expand());
  });
  router.delete('/v1/radar/value_list_items/:id', (ctx) => {
    params(ctx, []);
    const item = ctx.emu.store.require('radar.value_list_item', pathId(ctx));
    ctx.emu.store.remove('radar.value_list_item', item.id);
    return { id: item.id, object: 'radar.value_list_item', deleted: true };
  });
  router.get('/v1/radar/value_list_items', (ctx) => {
    const p = params(ctx, P.ValueListItemList);
    const list = p.reqStr('value_list');
    const value = p.str('value');
    const created = rangeFilter(p, 'created');
    const items = ctx.emu.store
      .all('radar.value_list_item')
      .reverse()
      .filter((i) => i.value_list === list)
      .filter((i) => !value || i.value === value)
      .filter((i) => !created || created(i.created));
    return renderList(ctx.emu.store, paginate(items, p, '/v1/radar/value_list_items'), p.expand());
  });

  router.get('/v1/radar/early_fraud_warnings/:id', (ctx) => {
    const p = params(ctx, []);
    return render(ctx.emu.store, ctx.emu.store.require('radar.early_fraud_warning', pathId(ctx)), p.expand());
  });
  router.get('/v1/radar/early_fraud_warnings', (ctx) => {
    const p = params(ctx, P.EarlyFraudWarningList);
    const charge = p.str('charge');
    const pi = p.str('payment_intent');
    const created = rangeFilter(p, 'created');
    const items = ctx.emu.store
      .all('radar.early_fraud_warning')
      .reverse()
      .filter((w) => !charge || w.charge === charge)
      .filter((w) => !pi || w.payment_intent === pi)
      .filter((w) => !created || created(w.created));
    return renderList(ctx.emu.store, paginate(items, p, '/v1/radar/early_fraud_warnings'), p.expand());
  });
}
