// Nested parameter shapes for the hashes the emulator reads, from the stripe@23.1.0 param
// types. Stripe rejects a key it does not know at any depth (`address[planet]` ->
// `parameter_unknown` naming `address[planet]`); top-level names live in allowed-params.ts.
// `true` = a leaf or a free-form hash (metadata) that is not checked further.
import { unknownParam } from './errors.ts';
import type { FormValue } from './form.ts';

export interface Shape {
  readonly [key: string]: Shape | true;
}

const ADDRESS: Shape = { city: true, country: true, line1: true, line2: true, postal_code: true, state: true };
const SHIPPING: Shape = { address: ADDRESS, name: true, phone: true };
const INVOICE_SETTINGS: Shape = {
  custom_fields: true,
  default_payment_method: true,
  footer: true,
  rendering_options: true,
};
const CANCELLATION_DETAILS: Shape = { comment: true, feedback: true };

export const CustomerNested: Shape = { address: ADDRESS, shipping: SHIPPING, invoice_settings: INVOICE_SETTINGS };
export const SubscriptionNested: Shape = { cancellation_details: CANCELLATION_DETAILS };
export const PriceNested: Shape = {
  recurring: { interval: true, interval_count: true, meter: true, trial_period_days: true, usage_type: true },
  product_data: {
    active: true,
    id: true,
    metadata: true,
    name: true,
    statement_descriptor: true,
    tax_code: true,
    tax_details: true,
    unit_label: true,
  },
};

/** Throws `parameter_unknown` for the first key under `value` that `shape` does not name. */
export function checkNested(value: FormValue | undefined, shape: Shape | true, name: string): void {
  if (shape === true || typeof value !== 'object') return;
  // A list (`items[0][price]`) takes the shape of its elements.
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkNested(item, shape, `${name}[${i}]`));
    return;
  }
  for (const [key, inner] of Object.entries(value)) {
    const child = shape[key];
    if (child === undefined) throw unknownParam(`${name}[${key}]`);
    checkNested(inner, child, `${name}[${key}]`);
  }
}
