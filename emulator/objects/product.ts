import type Stripe from 'stripe';
import type { Emulator } from '../emulator.ts';
import { newId } from '../ids.ts';

export interface ProductInput {
  id?: string;
  name: string;
  description?: string | null;
  active?: boolean;
  metadata?: Record<string, string>;
  type?: 'good' | 'service';
  unit_label?: string | null;
}

export function buildProduct(emu: Emulator, input: ProductInput): Stripe.Product {
  const now = emu.now();
  return {
    id: input.id ?? newId('prod'),
    object: 'product',
    active: input.active ?? true,
    created: now,
    default_price: null,
    description: input.description ?? null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: input.metadata ?? {},
    name: input.name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type: input.type ?? 'service',
    unit_label: input.unit_label ?? null,
    updated: now,
    url: null,
  };
}
