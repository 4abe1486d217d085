// Events: list (type with wildcards, types[], created, delivery_success) and retrieve, within
// the 30 days Stripe keeps them.
import { params, pathId, type ApiHandler } from '../http/context.ts';
import type { Router } from '../http/router.ts';
import * as P from '../wire/allowed-params.ts';
import { invalidRequest, resourceMissing } from '../wire/errors.ts';
import { paginate } from '../wire/list.ts';
import { rangeFilter, type Params } from '../wire/params.ts';
import { render, renderList } from '../wire/render.ts';

/** Events older than this are not listed or retrievable (Stripe keeps 30 days). */
const EVENT_RETENTION_SECONDS = 30 * 86_400;

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

export function registerEventRoutes(router: Router<ApiHandler>): void {
  router.get('/v1/events/:id', (ctx) => {
    const p = params(ctx, []);
    const e = ctx.emu.store.require('event', pathId(ctx));
    // Past retention it is gone, answered like any missing object (404 resource_missing).
    if (e.created < ctx.emu.now() - EVENT_RETENTION_SECONDS) throw resourceMissing('event', e.id);
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
}
