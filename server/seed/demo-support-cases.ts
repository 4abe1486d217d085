// One demo customer per support case of PRODUCT.md, each made the way it happens in production
// (through the emulator: a payment, its webhooks, or their absence), so a support demo can start
// from the email and find the cause in the verdict. Listed in README.md ("Demo data").
import { usageMetadata } from './demo-stripe-history.ts';
import type { DemoPerson, DemoStripe } from './demo-stripe-kit.ts';

export interface DemoSupportCase {
  person: DemoPerson;
  /** The support case, as a customer would put it. */
  ticket: string;
  /** What the data shows and what the verdict should find. */
  shows: string;
}

const DOMAIN = 'demo.example';
const person = (slug: string, name: string, last4: string, fingerprint?: string): DemoPerson => ({
  externalId: `demo_case_${slug.replace(/-/g, '_')}`,
  email: `case-${slug}@${DOMAIN}`,
  name,
  card: { brand: 'visa', last4, ...(fingerprint ? { fingerprint } : {}) },
});

export const CASE_NOT_DELIVERED = person('not-delivered', 'Nadia Notdelivered', '5556');
export const CASE_UNKNOWN_PRICE = person('unknown-price', 'Uma Unknownprice', '0077');
export const CASE_NO_USER_ID = person('no-user-id', 'Noah Nouserid', '3220');
export const CASE_PENDING = person('pending', 'Paula Pending', '3000');
export const CASE_BLOCKED = person('blocked', 'Boris Blocked', '0341', 'fpDemoBorisCard1');
export const CASE_LOW_BALANCE = person('low-balance', 'Lena Lowbalance', '9995');

/** The unmapped price of case 2: marketing created it in Stripe, nobody added it to the catalog. */
export const SPRING_PROMO = {
  productId: 'prod_creditdesk_spring_promo',
  name: 'Spring promo: 1,500 credits',
  lookupKey: 'creditdesk_spring_promo',
  amount: 1200,
};

export const DEMO_SUPPORT_CASES: ReadonlyArray<DemoSupportCase> = [
  {
    person: CASE_NOT_DELIVERED,
    ticket: 'I paid but got no credits',
    shows:
      'two paid 1,000-credit packs in Stripe; the second one’s checkout.session.completed was never delivered (Stripe’s event list still has it): balance 1,000 instead of 2,000',
  },
  {
    person: CASE_UNKNOWN_PRICE,
    ticket: 'I bought the spring promo and got nothing',
    shows: 'paid a price the catalog does not map: the event was delivered and failed with “unknown price price_…”',
  },
  {
    person: CASE_NO_USER_ID,
    ticket: 'I paid through your link and nothing happened',
    shows:
      'a guest checkout without our metadata (no user id, a new Stripe customer): delivered, failed “no customer”, matched by email',
  },
  {
    person: CASE_PENDING,
    ticket: 'I paid by SEPA debit days ago, where are my credits?',
    shows: 'a 10,000-credit pack paid by SEPA debit the bank has not confirmed: payment pending, nothing to do yet',
  },
  {
    person: CASE_BLOCKED,
    ticket: 'Why can’t I generate anything?',
    shows:
      'four packs, each disputed as fraudulent: the auto-block rule (more than 3 disputes in 180 days) blocked them',
  },
  {
    person: CASE_LOW_BALANCE,
    ticket: 'Why is my balance only 200?',
    shows:
      'welcome credits expired (100), 300 used, then half the pack refunded from the Stripe Dashboard: the 500 credits it paid for clawed back',
  },
];

export async function seedSupportCases(kit: DemoStripe): Promise<void> {
  // 1. Paid, but the webhook never reached us: Stripe never delivers the second completion.
  await kit.customer(CASE_NOT_DELIVERED);
  await kit.order(CASE_NOT_DELIVERED, 'case-not-delivered-1', { pack: 'pack_1000' });
  await kit.order(CASE_NOT_DELIVERED, 'case-not-delivered-2', { pack: 'pack_1000' }, { suppressCompletion: true });

  // 2. Delivered but failed: a Checkout for a Stripe price the catalog does not map.
  const unknown = await kit.customer(CASE_UNKNOWN_PRICE);
  await kit.order(CASE_UNKNOWN_PRICE, 'case-unknown-price-1', { pack: 'pack_1000' });
  const promo = await kit.price(SPRING_PROMO);
  await kit.foreignOrder(CASE_UNKNOWN_PRICE, 'case-unknown-price-spring', {
    mode: 'payment',
    customer: (await kit.db.customer.findUniqueOrThrow({ where: { id: unknown.id } })).stripeCustomerId!,
    client_reference_id: CASE_UNKNOWN_PRICE.externalId,
    line_items: [{ price: promo.id, quantity: 1 }],
    metadata: { user_id: CASE_UNKNOWN_PRICE.externalId },
  });

  // 3. No user id / unknown customer: a payment link that carries none of our metadata, paid as a
  //    guest (Stripe makes a new customer); only the email says whose it is.
  await kit.customer(CASE_NO_USER_ID);
  await kit.order(CASE_NO_USER_ID, 'case-no-user-id-1', { pack: 'pack_1000' });
  const packPrice = (await kit.db.catalogPrice.findFirstOrThrow({ where: { packKey: 'pack_1000' } })).stripePriceId;
  await kit.foreignOrder(CASE_NO_USER_ID, 'case-no-user-id-link', {
    mode: 'payment',
    customer_email: CASE_NO_USER_ID.email,
    customer_creation: 'always',
    line_items: [{ price: packPrice, quantity: 1 }],
  });

  // 4. A delayed payment still pending: SEPA debit, not settled (settle it in the emulator to see
  //    the credits arrive).
  await kit.customer(CASE_PENDING);
  await kit.order(CASE_PENDING, 'case-pending-1', { pack: 'pack_1000' });
  await kit.order(CASE_PENDING, 'case-pending-sepa', { pack: 'pack_10000' }, { payWith: 'delayed_pending' });

  // 5. Blocked after disputes: four packs on the same card, used a little, then every payment
  //    disputed as fraudulent; the fourth dispute trips the catalog's auto-block rule.
  await kit.customer(CASE_BLOCKED);
  const charges: string[] = [];
  for (let i = 1; i <= 4; i++) {
    charges.push((await kit.order(CASE_BLOCKED, `case-blocked-${i}`, { pack: 'pack_1000' })).chargeId!);
  }
  const vpn = { ip: '185.220.101.4' };
  for (let i = 1; i <= 3; i++) {
    await kit.use(CASE_BLOCKED, `chat-${i}`, 'chat', usageMetadata(CASE_BLOCKED, 'chat', i, vpn), 50);
  }
  for (const charge of charges) await kit.dispute(charge, 'fraudulent');

  // 6. Balance lower than expected: welcome credits expired, 300 used, then half of the pack
  //    refunded from the Dashboard: the refund claws back the 500 credits it paid for.
  const low = await kit.customer(CASE_LOW_BALANCE);
  await kit.expiredWelcome(low, 100);
  const lowPack = await kit.order(CASE_LOW_BALANCE, 'case-low-balance-1', { pack: 'pack_1000' });
  const laptop = { ip: '192.0.2.200' };
  for (const [i, credits] of [40, 60, 80, 120].entries()) {
    await kit.use(
      CASE_LOW_BALANCE,
      `chat-${i + 1}`,
      'chat',
      usageMetadata(CASE_LOW_BALANCE, 'chat', i + 1, laptop),
      credits,
    );
  }
  await kit.dashboardRefund(lowPack.chargeId!, Math.round(lowPack.session.amount_total! / 2));
}
