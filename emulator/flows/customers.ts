import type Stripe from 'stripe';
import type { Emulator, Origin } from '../emulator.ts';
import { buildCustomer } from '../objects/customer.ts';
import { previousAttributes, snapshot } from '../objects/diff.ts';
import { applyMetadata, type Params } from '../wire/params.ts';

const ADDRESS_FIELDS = ['city', 'country', 'line1', 'line2', 'postal_code', 'state'] as const;

/** `address[...]` (shape checked by the allow-list); `address=` unsets. */
function address(p: Params, key: string): Stripe.Address | null | undefined {
  if (p.raw[key] === '') return null;
  const a = p.obj(key);
  if (!a) return undefined;
  return Object.fromEntries(ADDRESS_FIELDS.map((f) => [f, a.str(f) ?? null])) as unknown as Stripe.Address;
}

function shipping(p: Params): Stripe.Customer.Shipping | null | undefined {
  if (p.raw.shipping === '') return null;
  const s = p.obj('shipping');
  if (!s) return undefined;
  return { address: address(s, 'address') ?? undefined, name: s.reqStr('name'), phone: s.str('phone') ?? null };
}

/** Every writable customer field in a request, read and checked before anything changes. */
export function customerPatch(p: Params, current: Record<string, string> = {}) {
  const settings = p.obj('invoice_settings');
  return {
    email: p.email('email'),
    name: p.nullableStr('name'),
    description: p.nullableStr('description'),
    phone: p.nullableStr('phone'),
    address: address(p, 'address'),
    shipping: shipping(p),
    metadata: applyMetadata(current, p.raw.metadata),
    defaultPaymentMethod: settings?.nullableStr('default_payment_method'),
  };
}

export function createCustomer(
  emu: Emulator,
  input: Parameters<typeof buildCustomer>[1] & {
    address?: Stripe.Address | null;
    shipping?: Stripe.Customer.Shipping | null;
  },
  origin: Origin,
): Stripe.Customer {
  const built = buildCustomer(emu, input);
  built.address = input.address ?? null;
  built.shipping = input.shipping ?? null;
  const c = emu.store.insert('customer', built);
  emu.emit('customer.created', c, origin);
  return c;
}

/** Applies a customer update and emits customer.updated when something changed. */
export function updateCustomer(emu: Emulator, c: Stripe.Customer, p: Params, origin: Origin): Stripe.Customer {
  const patch = customerPatch(p, c.metadata);
  const pm = patch.defaultPaymentMethod;
  if (pm) emu.store.require('payment_method', pm, 'invoice_settings[default_payment_method]');
  // Nothing below can fail: a rejected request leaves the customer as it was.
  const before = snapshot(c);
  for (const f of ['email', 'name', 'description', 'phone', 'address', 'shipping'] as const) {
    const v = patch[f];
    if (v !== undefined) (c as unknown as Record<string, unknown>)[f] = v;
  }
  c.metadata = patch.metadata;
  if (pm !== undefined) c.invoice_settings.default_payment_method = pm;
  const prev = previousAttributes(before, c);
  if (prev) {
    emu.store.touch();
    emu.emit('customer.updated', c, origin, prev);
  }
  return c;
}
