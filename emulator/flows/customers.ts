import type Stripe from 'stripe';
import type { Emulator, Origin } from '../emulator.ts';
import { buildCustomer } from '../objects/customer.ts';
import { previousAttributes, snapshot } from '../objects/diff.ts';
import { applyMetadata, type Params } from '../wire/params.ts';

export function createCustomer(
  emu: Emulator,
  input: Parameters<typeof buildCustomer>[1],
  origin: Origin,
): Stripe.Customer {
  const c = emu.store.insert('customer', buildCustomer(emu, input));
  emu.emit('customer.created', c, origin);
  return c;
}

/** Applies a customer update and emits customer.updated when something changed. */
export function updateCustomer(emu: Emulator, c: Stripe.Customer, p: Params, origin: Origin): Stripe.Customer {
  const before = snapshot(c);
  for (const f of ['email', 'name', 'description', 'phone'] as const) {
    const v = p.nullableStr(f);
    if (v !== undefined) c[f] = v;
  }
  c.metadata = applyMetadata(c.metadata, p.raw.metadata);
  const settings = p.obj('invoice_settings');
  const pm = settings?.nullableStr('default_payment_method');
  if (pm !== undefined) {
    if (pm) emu.store.require('payment_method', pm, 'invoice_settings[default_payment_method]');
    c.invoice_settings.default_payment_method = pm;
  }
  const prev = previousAttributes(before, c);
  if (prev) {
    emu.store.touch();
    emu.emit('customer.updated', c, origin, prev);
  }
  return c;
}
