// Creating products and prices from API params; shared by their routes and by Checkout's
// inline `price_data`.
import type Stripe from 'stripe';
import type { Emulator, Origin } from '../emulator.ts';
import { buildPrice, type Interval } from '../objects/price.ts';
import { buildProduct } from '../objects/product.ts';
import { invalidRequest, missingParam } from '../wire/errors.ts';
import { applyMetadata, Params } from '../wire/params.ts';

const INTERVALS = ['day', 'week', 'month', 'year'] as const;

/** A new product's fields, read and checked; nothing is stored yet. */
function productInput(emu: Emulator, p: Params): Parameters<typeof buildProduct>[1] {
  const id = p.str('id');
  if (id && emu.store.getAny(id)) {
    throw invalidRequest(`Product already exists.`, 'id', 'resource_already_exists');
  }
  return {
    id,
    name: p.reqStr('name'),
    description: p.str('description') ?? null,
    active: p.bool('active'),
    metadata: applyMetadata({}, p.raw.metadata),
    type: p.oneOf('type', ['good', 'service'] as const),
    unit_label: p.str('unit_label') ?? null,
  };
}

function insertProduct(emu: Emulator, input: Parameters<typeof buildProduct>[1], origin: Origin): Stripe.Product {
  const product = emu.store.insert('product', buildProduct(emu, input));
  emu.emit('product.created', product, origin);
  return product;
}

export function createProductFrom(emu: Emulator, p: Params, origin: Origin): Stripe.Product {
  return insertProduct(emu, productInput(emu, p), origin);
}

/** Reads `recurring[...]`, `unit_amount`, `currency` shared by prices and inline `price_data`. */
export function priceFields(p: Params): {
  currency: string;
  unit_amount: number;
  recurring: { interval: Interval; interval_count: number } | null;
} {
  const currency = p.reqCurrency('currency');
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

/** A price ready to create: every parameter of it (and of `product_data`) read and checked. */
export interface PreparedPrice {
  product: string | { input: Parameters<typeof buildProduct>[1] };
  holder: Stripe.Price | undefined;
  fields: Omit<Parameters<typeof buildPrice>[1], 'product'>;
}

export function preparePrice(emu: Emulator, p: Params, inline = false): PreparedPrice {
  const productId = p.str('product');
  const productData = p.obj('product_data');
  if (!productId && !productData) throw missingParam(p.name('product'));
  if (productId) emu.store.require('product', productId, p.name('product'));
  const lookupKey = p.str('lookup_key') ?? null;
  const holder = lookupKey ? emu.store.all('price').find((x) => x.lookup_key === lookupKey) : undefined;
  if (holder && !p.bool('transfer_lookup_key')) {
    throw invalidRequest(
      `A price (\`${holder.id}\`) already uses that lookup key. Pass transfer_lookup_key=true to move it.`,
      'lookup_key',
    );
  }
  return {
    product: productId ?? { input: productInput(emu, productData as Params) },
    holder,
    fields: {
      ...priceFields(p),
      lookup_key: lookupKey,
      nickname: p.str('nickname') ?? null,
      metadata: applyMetadata({}, p.raw.metadata),
      active: inline ? false : p.bool('active'),
    },
  };
}

/** Stores a prepared price (and its `product_data` product); nothing here can fail. */
export function commitPrice(emu: Emulator, prepared: PreparedPrice, origin: Origin): Stripe.Price {
  const product =
    typeof prepared.product === 'string' ? prepared.product : insertProduct(emu, prepared.product.input, origin).id;
  if (prepared.holder) prepared.holder.lookup_key = null;
  const price = emu.store.insert('price', buildPrice(emu, { ...prepared.fields, product }));
  emu.emit('price.created', price, origin);
  return price;
}

/** A rejected request leaves no product behind and moves no lookup key. */
export function createPriceFrom(emu: Emulator, p: Params, origin: Origin, inline = false): Stripe.Price {
  return commitPrice(emu, preparePrice(emu, p, inline), origin);
}
