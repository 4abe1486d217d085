// Events (list with type/types/created/delivery_success, retrieve), Radar value lists and
// items, early fraud warnings, and webhook endpoints.
import type Stripe from 'stripe';
import { API_VERSION } from '../config.ts';
import { params, pathId, type ApiHandler } from '../http/context.ts';
import { newWebhookSecret } from '../ids.ts';
import type { Router } from '../http/router.ts';
import { previousAttributes, snapshot } from '../objects/diff.ts';
import { buildValueList, buildValueListItem } from '../objects/radar.ts';
import { buildWebhookEndpoint } from '../objects/webhook-endpoint.ts';
import { ENABLED_EVENTS } from '../spec/enabled-events.ts';
import * as P from '../wire/allowed-params.ts';
import { invalidRequest, missingParam } from '../wire/errors.ts';
import { listOf, paginate } from '../wire/list.ts';
import { applyMetadata, rangeFilter, type Params } from '../wire/params.ts';
import { registry, render, renderList } from '../wire/render.ts';

/** Events older than this are not listed or retrievable (Stripe keeps 30 days). */
const EVENT_RETENTION_SECONDS = 30 * 86_400;

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

function typeMatcher(p: Params): (type: string) => boolean {
  const type = p.str('type');
  const types = p.strList('types');
  if (type && types) throw invalidRequest('You may only specify one of these parameters: type, types.', 'types');
  if (types && types.length > 20) throw invalidRequest('You may pass at most 20 types.', 'types');
  if (types) return (t) => types.includes(t);
  if (!type) return () => true;
  if (type.includes('*')) {
    const re = new RegExp(
      `^${type
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    return (t) => re.test(t);
  }
  return (t) => t === type;
}

function enabledEvents(p: Params, required: boolean): string[] | undefined {
  const events = p.strList('enabled_events');
  if (!events) {
    if (required) throw missingParam('enabled_events');
    return undefined;
  }
  for (const [i, e] of events.entries()) {
    if (!ENABLED_EVENTS.includes(e))
      throw invalidRequest(`Invalid enabled_events[${i}]: ${e} is not a known event type.`, `enabled_events[${i}]`);
  }
  return events;
}

function validUrl(url: string): string {
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
    throw invalidRequest('Invalid URL: must be an http(s) URL.', 'url');
  return url;
}

export function registerEventRadarWebhookRoutes(router: Router<ApiHandler>): void {
  router.get('/v1/events/:id', (ctx) => {
    const p = params(ctx, []);
    const e = ctx.emu.store.require('event', pathId(ctx));
    if (e.created < ctx.emu.now() - EVENT_RETENTION_SECONDS)
      throw invalidRequest(`No such event: '${e.id}'`, 'id', 'resource_missing');
    return render(ctx.emu.store, e, p.expand());
  });
  router.get('/v1/events', (ctx) => {
    const p = params(ctx, P.EventList);
    const matchesType = typeMatcher(p);
    const created = rangeFilter(p, 'created');
    const delivered = p.bool('delivery_success');
    const cutoff = ctx.emu.now() - EVENT_RETENTION_SECONDS;
    const items = ctx.emu.store
      .all('event')
      .reverse()
      .filter((e) => e.created >= cutoff)
      .filter((e) => matchesType(e.type))
      .filter((e) => !created || created(e.created))
      .filter((e) => delivered === undefined || (e.pending_webhooks === 0) === delivered);
    return renderList(ctx.emu.store, paginate(items, p, '/v1/events'), p.expand());
  });

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
    list.alias = p.str('alias') ?? list.alias;
    list.name = p.str('name') ?? list.name;
    list.metadata = applyMetadata(list.metadata, p.raw.metadata);
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

  router.post('/v1/webhook_endpoints', (ctx) => {
    const p = params(ctx, P.WebhookEndpointCreate);
    const { emu } = ctx;
    const endpoint = emu.store.insert(
      'webhook_endpoint',
      buildWebhookEndpoint(emu, {
        url: validUrl(p.reqStr('url')),
        enabled_events: enabledEvents(p, true) as string[],
        api_version: p.str('api_version') ?? API_VERSION,
        description: p.str('description') ?? null,
        metadata: applyMetadata({}, p.raw.metadata),
      }),
    );
    const secret = newWebhookSecret();
    emu.store.webhookSecrets.set(endpoint.id, [{ secret, expiresAt: null }]);
    // The secret is only ever shown in the creation response, as on Stripe.
    return { ...render(emu.store, endpoint, p.expand()), secret };
  });
  router.get('/v1/webhook_endpoints/:id', (ctx) => {
    const p = params(ctx, []);
    return render(ctx.emu.store, ctx.emu.store.require('webhook_endpoint', pathId(ctx)), p.expand());
  });
  router.post('/v1/webhook_endpoints/:id', (ctx) => {
    const p = params(ctx, P.WebhookEndpointUpdate);
    const e = ctx.emu.store.require('webhook_endpoint', pathId(ctx));
    const before = snapshot(e);
    const url = p.str('url');
    if (url) e.url = validUrl(url);
    e.enabled_events = enabledEvents(p, false) ?? e.enabled_events;
    const disabled = p.bool('disabled');
    if (disabled !== undefined) e.status = disabled ? 'disabled' : 'enabled';
    const description = p.nullableStr('description');
    if (description !== undefined) e.description = description;
    e.metadata = applyMetadata(e.metadata, p.raw.metadata);
    if (previousAttributes(before, e)) ctx.emu.store.touch();
    return render(ctx.emu.store, e, p.expand());
  });
  router.delete('/v1/webhook_endpoints/:id', (ctx) => {
    params(ctx, []);
    const e = ctx.emu.store.require('webhook_endpoint', pathId(ctx));
    ctx.emu.store.remove('webhook_endpoint', e.id);
    ctx.emu.store.webhookSecrets.delete(e.id);
    return { id: e.id, object: 'webhook_endpoint', deleted: true };
  });
  router.get('/v1/webhook_endpoints', (ctx) => {
    const p = params(ctx, P.WebhookEndpointList);
    const items: Stripe.WebhookEndpoint[] = ctx.emu.store.all('webhook_endpoint').reverse();
    return renderList(ctx.emu.store, paginate(items, p, '/v1/webhook_endpoints'), p.expand());
  });
}
