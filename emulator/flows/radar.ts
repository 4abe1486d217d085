// Radar block lists take effect: a payment whose card fingerprint, email or customer id is on a
// value list whose alias mentions "block" is declined as `blocked`. Refunds with
// reason=fraudulent add the card and email to the default block lists, as Stripe documents.
import type Stripe from 'stripe';
import type { Emulator } from '../emulator.ts';
import { buildValueList, buildValueListItem } from '../objects/radar.ts';

function valuesFor(pm: Stripe.PaymentMethod, customer: string | null): Partial<Record<string, string>> {
  return {
    card_fingerprint: pm.card?.fingerprint ?? undefined,
    email: pm.billing_details.email ?? undefined,
    customer_id: customer ?? undefined,
    sepa_debit_fingerprint: pm.sepa_debit?.fingerprint ?? undefined,
  };
}

export function isBlocked(emu: Emulator, pm: Stripe.PaymentMethod, customer: string | null): boolean {
  const values = valuesFor(pm, customer);
  const lists = emu.store.all('radar.value_list').filter((l) => /block/i.test(l.alias));
  if (!lists.length) return false;
  const items = emu.store.all('radar.value_list_item');
  return lists.some((l) => {
    const v = values[l.item_type];
    if (!v) return false;
    const ci = l.item_type !== 'case_sensitive_string';
    return items.some((i) => i.value_list === l.id && (ci ? i.value.toLowerCase() === v.toLowerCase() : i.value === v));
  });
}

function defaultList(
  emu: Emulator,
  alias: string,
  itemType: Stripe.Radar.ValueList.ItemType,
  name: string,
): Stripe.Radar.ValueList {
  const existing = emu.store.all('radar.value_list').find((l) => l.alias === alias);
  if (existing) return existing;
  const list = buildValueList(emu, { alias, name, item_type: itemType, metadata: {} });
  list.created_by = 'stripe';
  return emu.store.insert('radar.value_list', list);
}

function addOnce(emu: Emulator, list: Stripe.Radar.ValueList, value: string): void {
  const exists = emu.store.all('radar.value_list_item').some((i) => i.value_list === list.id && i.value === value);
  if (!exists) emu.store.insert('radar.value_list_item', buildValueListItem(emu, list.id, value, 'stripe'));
}

export function blockAfterFraudulentRefund(emu: Emulator, charge: Stripe.Charge): void {
  const pm =
    typeof charge.payment_method === 'string' ? emu.store.get('payment_method', charge.payment_method) : undefined;
  const fp = pm?.card?.fingerprint;
  if (fp)
    addOnce(emu, defaultList(emu, 'card_fingerprint_block_list', 'card_fingerprint', 'Blocked card fingerprints'), fp);
  const email = charge.billing_details.email;
  if (email) addOnce(emu, defaultList(emu, 'email_block_list', 'email', 'Blocked emails'), email);
}
