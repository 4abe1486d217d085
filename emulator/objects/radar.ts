import type Stripe from 'stripe';
import type { Emulator } from '../emulator.ts';
import { newId } from '../ids.ts';

export function buildValueList(
  emu: Emulator,
  input: { alias: string; name: string; item_type: Stripe.Radar.ValueList.ItemType; metadata: Record<string, string> },
): Stripe.Radar.ValueList {
  const id = newId('rsl');
  return {
    id,
    object: 'radar.value_list',
    alias: input.alias,
    created: emu.now(),
    created_by: 'api',
    item_type: input.item_type,
    list_items: { object: 'list', data: [], has_more: false, url: `/v1/radar/value_list_items?value_list=${id}` },
    livemode: false,
    metadata: input.metadata,
    name: input.name,
  };
}

export function buildValueListItem(
  emu: Emulator,
  valueList: string,
  value: string,
  createdBy = 'api',
): Stripe.Radar.ValueListItem {
  return {
    id: newId('rsli'),
    object: 'radar.value_list_item',
    created: emu.now(),
    created_by: createdBy,
    livemode: false,
    value,
    value_list: valueList,
  };
}

export function buildEarlyFraudWarning(
  emu: Emulator,
  charge: Stripe.Charge,
  fraudType: string,
): Stripe.Radar.EarlyFraudWarning {
  return {
    id: newId('issfr'),
    object: 'radar.early_fraud_warning',
    actionable: !charge.disputed && !charge.refunded,
    charge: charge.id,
    created: emu.now(),
    fraud_type: fraudType,
    livemode: false,
    payment_intent: typeof charge.payment_intent === 'string' ? charge.payment_intent : undefined,
  };
}
