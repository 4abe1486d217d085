// The emulator's state: every Stripe object by id, per-type creation order (lists are newest
// first), and the side data Stripe keeps but never shows (file bytes, webhook secrets, checkout
// line items). Plain JSON-able data, so the whole store can be persisted and reloaded.
import type Stripe from 'stripe';
import { resourceMissing } from './wire/errors.ts';

/** A stored event: the SDK's `Stripe.Event` union is awkward to construct, this is its shape. */
export interface StoredEvent {
  id: string;
  object: 'event';
  account?: string;
  api_version: string;
  context?: string;
  created: number;
  data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
  livemode: boolean;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

export interface ObjectTypes {
  customer: Stripe.Customer;
  product: Stripe.Product;
  price: Stripe.Price;
  'checkout.session': Stripe.Checkout.Session;
  payment_intent: Stripe.PaymentIntent;
  payment_method: Stripe.PaymentMethod;
  charge: Stripe.Charge;
  balance_transaction: Stripe.BalanceTransaction;
  invoice: Stripe.Invoice;
  invoice_payment: Stripe.InvoicePayment;
  subscription: Stripe.Subscription;
  refund: Stripe.Refund;
  dispute: Stripe.Dispute;
  file: Stripe.File;
  event: StoredEvent;
  'radar.value_list': Stripe.Radar.ValueList;
  'radar.value_list_item': Stripe.Radar.ValueListItem;
  'radar.early_fraud_warning': Stripe.Radar.EarlyFraudWarning;
  webhook_endpoint: Stripe.WebhookEndpoint;
}

export type TypeName = keyof ObjectTypes;
export type AnyObject = { id: string; object: string } & Record<string, unknown>;

const LABELS: Partial<Record<TypeName, string>> = {
  'checkout.session': 'checkout.session',
  payment_intent: 'payment_intent',
  balance_transaction: 'balance transaction',
  webhook_endpoint: 'webhook endpoint',
  'radar.value_list': 'value list',
  'radar.value_list_item': 'value list item',
  'radar.early_fraud_warning': 'early fraud warning',
  invoice_payment: 'invoice payment',
  payment_method: 'PaymentMethod',
};

export interface SecretEntry {
  secret: string;
  /** Unix seconds after which a rolled-over secret stops signing; null = current. */
  expiresAt: number | null;
}

export interface StoreSnapshot {
  version: 1;
  objects: Array<[TypeName, unknown]>;
  tombstones: string[];
  sessionLineItems: Array<[string, Stripe.LineItem[]]>;
  files: Array<[string, { base64: string; contentType: string }]>;
  webhookSecrets: Array<[string, SecretEntry[]]>;
  sessionSecrets: Array<[string, SessionInternals]>;
}

/** What the hosted page needs that Stripe keeps off the session object. */
export interface SessionInternals {
  paymentIntentMetadata: Record<string, string>;
  paymentIntentDescription: string | null;
  /** payment_intent_data.setup_future_usage: 'off_session' saves the card as the customer's default. */
  paymentIntentSetupFutureUsage?: 'off_session' | 'on_session' | null;
  subscriptionMetadata: Record<string, string>;
  subscriptionDescription: string | null;
  invoiceMetadata: Record<string, string> | null;
  lastError: string | null;
}

export class Store {
  private readonly objects = new Map<string, AnyObject>();
  private readonly order = new Map<TypeName, string[]>();
  private readonly tombstones = new Set<string>();
  readonly sessionLineItems = new Map<string, Stripe.LineItem[]>();
  readonly sessionInternals = new Map<string, SessionInternals>();
  readonly files = new Map<string, { data: Buffer; contentType: string }>();
  readonly webhookSecrets = new Map<string, SecretEntry[]>();
  /** Bumped on every write; persistence uses it to skip unchanged snapshots. */
  version = 0;

  insert<K extends TypeName>(type: K, obj: ObjectTypes[K]): ObjectTypes[K] {
    const o = obj as unknown as AnyObject;
    if (!this.objects.has(o.id)) {
      const ids = this.order.get(type) ?? [];
      ids.push(o.id);
      this.order.set(type, ids);
    }
    this.objects.set(o.id, o);
    this.version++;
    return obj;
  }

  touch(): void {
    this.version++;
  }

  get<K extends TypeName>(type: K, id: string): ObjectTypes[K] | undefined {
    const o = this.objects.get(id);
    if (!o || o.object !== type) return undefined;
    return o as unknown as ObjectTypes[K];
  }

  require<K extends TypeName>(type: K, id: string, param = 'id'): ObjectTypes[K] {
    const o = this.get(type, id);
    if (!o) throw resourceMissing(LABELS[type] ?? type, id, param);
    return o;
  }

  getAny(id: string): AnyObject | undefined {
    return this.objects.get(id);
  }

  isDeleted(id: string): boolean {
    return this.tombstones.has(id);
  }

  /** Oldest first. */
  all<K extends TypeName>(type: K): Array<ObjectTypes[K]> {
    return (this.order.get(type) ?? [])
      .map((id) => this.objects.get(id))
      .filter((o): o is AnyObject => o !== undefined) as unknown as Array<ObjectTypes[K]>;
  }

  remove(type: TypeName, id: string): void {
    this.objects.delete(id);
    this.order.set(
      type,
      (this.order.get(type) ?? []).filter((x) => x !== id),
    );
    this.tombstones.add(id);
    this.version++;
  }

  clear(): void {
    this.objects.clear();
    this.order.clear();
    this.tombstones.clear();
    this.sessionLineItems.clear();
    this.sessionInternals.clear();
    this.files.clear();
    this.webhookSecrets.clear();
    this.version++;
  }

  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [type, ids] of this.order) out[type] = ids.length;
    return out;
  }

  snapshot(): StoreSnapshot {
    const objects: Array<[TypeName, unknown]> = [];
    for (const [type, ids] of this.order) for (const id of ids) objects.push([type, this.objects.get(id)]);
    return {
      version: 1,
      objects,
      tombstones: [...this.tombstones],
      sessionLineItems: [...this.sessionLineItems],
      files: [...this.files].map(([id, f]) => [id, { base64: f.data.toString('base64'), contentType: f.contentType }]),
      webhookSecrets: [...this.webhookSecrets],
      sessionSecrets: [...this.sessionInternals],
    };
  }

  load(s: StoreSnapshot): void {
    this.clear();
    for (const [type, obj] of s.objects) this.insert(type, obj as ObjectTypes[typeof type]);
    for (const id of s.tombstones) this.tombstones.add(id);
    for (const [id, items] of s.sessionLineItems) this.sessionLineItems.set(id, items);
    for (const [id, f] of s.files)
      this.files.set(id, { data: Buffer.from(f.base64, 'base64'), contentType: f.contentType });
    for (const [id, secrets] of s.webhookSecrets) this.webhookSecrets.set(id, secrets);
    for (const [id, internals] of s.sessionSecrets) this.sessionInternals.set(id, internals);
  }
}
