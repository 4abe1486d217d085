// Creating products and prices from API params; shared by their routes and by Checkout's
// inline `price_data`.
import type Stripe from 'stripe';
import type { Emulator, Origin } from '../emulator.ts';
import { buildPrice, type Interval } from '../objects/price.ts';
import { buildProduct } from '../objects/product.ts';
import { invalidRequest, missingParam } from '../wire/errors.ts';
import { applyMetadata, Params } from '../wire/params.ts';

const INTERVALS = ['day', 'week', 'month', 'year'] as const;

export function createProductFrom(emu: Emulator, p: Params, origin: Origin): Stripe.Product {
  const id = p.str('id');
  if (id && emu.store.getAny(id)) {
    throw invalidRequest(`Product already exists.`, 'id', 'resource_already_exists');
  }
  const product = emu.store.insert(
    'product',
    buildProduct(emu, {
      id,
      name: p.reqStr('name'),
      description: p.str('description') ?? null,
      active: p.bool('active'),
      metadata: applyMetadata({}, p.raw.metadata),
      type: p.oneOf('type', ['good', 'service'] as const),
      unit_label: p.str('unit_label') ?? null,
    }),
  );
  emu.emit('product.created', product, origin);
  return product;
}

/** Reads `recurring[...]`, `unit_amount`, `currency` shared by prices and inline `price_data`. */
export function priceFields(p: Params): {
  currency: string;
  unit_amount: number;
  recurring: { interval: Interval; interval_count: number } | null;
} {
  const currency = p.reqStr('currency').toLowerCase();
  const unit =
    p.int('unit_amount') ??
    (p.str('unit_amount_decimal') ? Math.round(Number(p.str('unit_amount_decimal'))) : undefined);
  if (unit === undefined) throw missingParam(p.name('unit_amount'));
  if (unit < 0) throw invalidRequest('This value must be greater than or equal to 0.', p.name('unit_amount'));
  const r = p.obj('recurring');
  let recurring: { interval: Interval; interval_count: number } | null = null;
  if (r) {
    const interval = r.oneOf('interval', INTERVALS);
    if (!interval) throw missingParam(r.name('interval'));
    recurring = { interval, interval_count: r.int('interval_count') ?? 1 };
  }
  return { currency, unit_amount: unit, recurring };
}

export function createPriceFrom(emu: Emulator, p: Params, origin: Origin, inline = false): Stripe.Price {
  let productId = p.str('product');
  const productData = p.obj('product_data');
  if (!productId && productData) {
    productId = createProductFrom(emu, productData, origin).id;
  }
  if (!productId) throw missingParam(p.name('product'));
  emu.store.require('product', productId, p.name('product'));
  const lookupKey = p.str('lookup_key') ?? null;
  if (lookupKey) {
    const holder = emu.store.all('price').find((x) => x.lookup_key === lookupKey);
    if (holder) {
      if (!p.bool('transfer_lookup_key')) {
        throw invalidRequest(
          `A price (\`${holder.id}\`) already uses that lookup key. Pass transfer_lookup_key=true to move it.`,
          'lookup_key',
        );
      }
      holder.lookup_key = null;
    }
  }
  const price = emu.store.insert(
    'price',
    buildPrice(emu, {
      product: productId,
      ...priceFields(p),
      lookup_key: lookupKey,
      nickname: p.str('nickname') ?? null,
      metadata: applyMetadata({}, p.raw.metadata),
      active: inline ? false : p.bool('active'),
    }),
  );
  emu.emit('price.created', price, origin);
  return price;
}
