import type Stripe from 'stripe';
import { params, pathId, type ApiHandler } from '../http/context.ts';
import type { Router } from '../http/router.ts';
import * as P from '../wire/allowed-params.ts';
import { invalidRequest } from '../wire/errors.ts';
import { paginate, searchPage } from '../wire/list.ts';
import { rangeFilter } from '../wire/params.ts';
import { render, renderList } from '../wire/render.ts';
import { cancelSubscriptionNow } from '../flows/subscription-lifecycle.ts';
import { createCustomer, customerPatch, updateCustomer } from '../flows/customers.ts';
import { CustomerNested } from '../wire/nested-params.ts';

/** Stripe's search language, the subset support tools use: `field:'value'` joined by AND / OR. */
function matchesQuery(c: Stripe.Customer, query: string): boolean {
  const orParts = query.split(/\s+OR\s+/i);
  return orParts.some((part) =>
    part.split(/\s+AND\s+/i).every((clause) => {
      const m = /^\s*(email|name|phone|metadata\[['"]([^'"]+)['"]\])\s*(:|~)\s*['"]([^'"]*)['"]\s*$/.exec(clause);
      if (!m) throw invalidRequest(`Invalid search query: ${clause}`, 'query');
      const field = m[1] as string;
      const value = m[4] as string;
      const actual = field.startsWith('metadata')
        ? c.metadata[m[2] as string]
        : (c[field as 'email' | 'name' | 'phone'] ?? null);
      if (actual == null) return false;
      return m[3] === '~' ? actual.toLowerCase().includes(value.toLowerCase()) : actual === value;
    }),
  );
}

const create: ApiHandler = (ctx) => {
  const { emu, origin } = ctx;
  const p = params(ctx, P.CustomerCreate, CustomerNested);
  const { defaultPaymentMethod: _unused, ...patch } = customerPatch(p);
  const c = createCustomer(emu, patch, origin);
  return render(emu.store, c, p.expand());
};

export function registerCustomerRoutes(router: Router<ApiHandler>): void {
  router.post('/v1/customers', create);
  router.get('/v1/customers/search', (ctx) => {
    const p = params(ctx, P.CustomerSearch);
    const q = p.reqStr('query');
    const matches = ctx.emu.store
      .all('customer')
      .reverse()
      .filter((c) => matchesQuery(c, q));
    return renderList(ctx.emu.store, searchPage(matches, p, '/v1/customers/search'), p.expand());
  });
  router.get('/v1/customers/:id', (ctx) => {
    const p = params(ctx, []);
    const id = pathId(ctx);
    if (ctx.emu.store.isDeleted(id)) return { id, object: 'customer', deleted: true };
    return render(ctx.emu.store, ctx.emu.store.require('customer', id), p.expand());
  });
  router.post('/v1/customers/:id', (ctx) => {
    const p = params(ctx, P.CustomerUpdate, CustomerNested);
    const c = ctx.emu.store.require('customer', pathId(ctx));
    return render(ctx.emu.store, updateCustomer(ctx.emu, c, p, ctx.origin), p.expand());
  });
  router.delete('/v1/customers/:id', (ctx) => {
    params(ctx, []);
    const { emu } = ctx;
    const c = emu.store.require('customer', pathId(ctx));
    for (const sub of emu.store.all('subscription')) {
      if (sub.customer === c.id && sub.status !== 'canceled' && sub.status !== 'incomplete_expired') {
        cancelSubscriptionNow(emu, sub, ctx.origin, 'cancellation_requested');
      }
    }
    emu.store.remove('customer', c.id);
    emu.emit('customer.deleted', c, ctx.origin);
    return { id: c.id, object: 'customer', deleted: true };
  });
  router.get('/v1/customers', (ctx) => {
    const p = params(ctx, P.CustomerList);
    const email = p.str('email');
    const created = rangeFilter(p, 'created');
    const items = ctx.emu.store
      .all('customer')
      .reverse()
      .filter((c) => !email || c.email === email)
      .filter((c) => !created || created(c.created));
    return renderList(ctx.emu.store, paginate(items, p, '/v1/customers'), p.expand());
  });
}
