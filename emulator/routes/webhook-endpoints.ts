// Webhook endpoints: create (the secret is returned only here), retrieve, update, delete, list.
import type Stripe from 'stripe';
import { API_VERSION } from '../config.ts';
import { params, pathId, type ApiHandler } from '../http/context.ts';
import { newWebhookSecret } from '../ids.ts';
import type { Router } from '../http/router.ts';
import { previousAttributes, snapshot } from '../objects/diff.ts';
import { buildWebhookEndpoint } from '../objects/webhook-endpoint.ts';
import { ENABLED_EVENTS } from '../spec/enabled-events.ts';
import * as P from '../wire/allowed-params.ts';
import { invalidRequest, missingParam } from '../wire/errors.ts';
import { paginate } from '../wire/list.ts';
import { applyMetadata, type Params } from '../wire/params.ts';
import { render, renderList } from '../wire/render.ts';

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

export function registerWebhookEndpointRoutes(router: Router<ApiHandler>): void {
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
    // Read and check everything first: a rejected request changes nothing.
    const rawUrl = p.str('url');
    const url = rawUrl ? validUrl(rawUrl) : undefined;
    const events = enabledEvents(p, false);
    const disabled = p.bool('disabled');
    const description = p.nullableStr('description');
    const metadata = applyMetadata(e.metadata, p.raw.metadata);
    const before = snapshot(e);
    if (url) e.url = url;
    e.enabled_events = events ?? e.enabled_events;
    if (disabled !== undefined) e.status = disabled ? 'disabled' : 'enabled';
    if (description !== undefined) e.description = description;
    e.metadata = metadata;
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
