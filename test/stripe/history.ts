// A generated Stripe history for many customers, and the ledger it must produce. The history is
// what Stripe would send, in true order with strictly increasing `created`; the model is computed
// from the history alone, independently of the pipeline under test.
import { charge, checkoutSession, dispute, event, invoice, refund, subscription, uid } from './builders.ts';
import { CATALOG, PRICES } from './harness.ts';

export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    chance: (p: number) => next() < p,
    shuffle<T>(items: T[]): T[] {
      const a2 = [...items];
      for (let i = a2.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [a2[i], a2[j]] = [a2[j] as T, a2[i] as T];
      }
      return a2;
    },
  };
}

export interface ExpectedCustomer {
  userId: string;
  /** Non-zero ledger movements (type, credits); freezes and releases move 0 and depend on order. */
  entries: Array<[string, number]>;
  balance: number;
  /** Effective plan key at the end. */
  plan: string;
  payments: Array<{ ref: string; status: string; amountRefunded: number }>;
  disputes: Array<{ id: string; outcome: 'won' | 'lost' }>;
}

export interface History {
  events: Array<Record<string, unknown>>;
  expected: ExpectedCustomer[];
}

const DAY = 86_400;

export function generateHistory(options: { customers: number; seed: number; start: number }): History {
  const r = rng(options.seed);
  let clock = options.start;
  const tick = () => (clock += r.int(1, 5));
  const events: Array<Record<string, unknown>> = [];
  const expected: ExpectedCustomer[] = [];
  const packKeys = Object.keys(CATALOG.packs) as Array<keyof typeof CATALOG.packs>;
  let disputesWon = 0;
  let disputesLost = 0;

  for (let c = 0; c < options.customers; c++) {
    const userId = `chaos_user_${options.seed}_${c}`;
    const email = `chaos${c}@example.com`;
    const cus = uid('cus');
    const model: ExpectedCustomer = { userId, entries: [], balance: 0, plan: 'free', payments: [], disputes: [] };
    const purchases: Array<{ pi: string; ch: string; credits: number; amount: number; ref: string }> = [];

    // Pack purchases: some pay at once, some with a delayed method.
    for (let p = 0, n = r.int(1, 3); p < n; p++) {
      const key = r.pick(packKeys);
      const credits = CATALOG.packs[key].credits;
      const amount = key === 'starter' ? 900 : 2900;
      const pi = uid('pi');
      const ch = uid('ch');
      const delayed = r.chance(0.3);
      const s = checkoutSession({
        userId,
        email,
        kind: 'pack',
        key,
        amount,
        paymentIntent: pi,
        customer: cus,
        paymentStatus: delayed ? 'unpaid' : 'paid',
      });
      events.push(event('checkout.session.completed', s, { created: tick() }));
      if (delayed)
        events.push(
          event('checkout.session.async_payment_succeeded', { ...s, payment_status: 'paid' }, { created: tick() }),
        );
      events.push(
        event('charge.succeeded', charge({ id: ch, paymentIntent: pi, amount, customer: cus }), { created: tick() }),
      );
      model.entries.push(['purchase', credits]);
      purchases.push({ pi, ch, credits, amount, ref: s.id as string });
      model.payments.push({ ref: s.id as string, status: 'paid', amountRefunded: 0 });
    }

    // A subscription with renewals, sometimes a failed renewal that recovers, sometimes an upgrade.
    if (r.chance(0.6)) {
      const sub = uid('sub');
      let plan: 'pro' | 'max' = r.chance(0.7) ? 'pro' : 'max';
      let period = clock - 2 * DAY;
      const subState = (status: string, start: number) =>
        subscription({
          id: sub,
          customer: cus,
          userId,
          priceId: PRICES[plan],
          status,
          periodStart: start,
          periodEnd: start + 30 * DAY,
        });
      const paidInvoice = (reason: string, start: number, id?: string) =>
        invoice({
          ...(id ? { id } : {}),
          customer: cus,
          subscription: sub,
          userId,
          priceId: PRICES[plan],
          billingReason: reason,
          amount: plan === 'pro' ? 1900 : 4900,
          periodStart: start,
          periodEnd: start + 30 * DAY,
          paymentIntent: uid('pi'),
          paidAt: clock,
        });
      events.push(
        event(
          'checkout.session.completed',
          checkoutSession({
            userId,
            email,
            mode: 'subscription',
            kind: 'plan',
            key: plan,
            customer: cus,
            subscription: sub,
          }),
          { created: tick() },
        ),
      );
      events.push(event('customer.subscription.created', subState('active', period), { created: tick() }));
      const first = paidInvoice('subscription_create', period);
      events.push(event('invoice.paid', first, { created: tick() }));
      model.entries.push(['subscription_grant', CATALOG.plans[plan].credits]);
      model.payments.push({ ref: first.id as string, status: 'paid', amountRefunded: 0 });

      for (let k = 0, renewals = r.int(1, 3); k < renewals; k++) {
        period += 30 * DAY;
        const failing = k === renewals - 1 && r.chance(0.5);
        const inv = paidInvoice('subscription_cycle', period);
        events.push(event('customer.subscription.updated', subState('active', period), { created: tick() }));
        if (failing) {
          const open = {
            ...inv,
            status: 'open',
            amount_paid: 0,
            status_transitions: { ...(inv.status_transitions as object), paid_at: null },
          };
          events.push(event('invoice.payment_failed', open, { created: tick() }));
          events.push(event('customer.subscription.updated', subState('past_due', period), { created: tick() }));
          const paidAt = tick();
          events.push(
            event(
              'invoice.paid',
              { ...inv, status_transitions: { ...(inv.status_transitions as object), paid_at: paidAt } },
              { created: paidAt },
            ),
          );
          events.push(event('customer.subscription.updated', subState('active', period), { created: tick() }));
        } else {
          events.push(event('invoice.paid', inv, { created: tick() }));
        }
        model.entries.push(['subscription_grant', CATALOG.plans[plan].credits]);
        model.payments.push({ ref: inv.id as string, status: 'paid', amountRefunded: 0 });
      }
      if (r.chance(0.3)) {
        plan = plan === 'pro' ? 'max' : 'pro';
        events.push(event('customer.subscription.updated', subState('active', period), { created: tick() }));
        // The proration invoice grants nothing.
        events.push(event('invoice.paid', paidInvoice('subscription_update', period), { created: tick() }));
      }
      model.plan = plan;
    }

    // A refund made in the Stripe dashboard on one purchase, partial or full.
    const [refunded, disputed] = r.shuffle(purchases);
    if (refunded && r.chance(0.4)) {
      const full = r.chance(0.5);
      const amount = full ? refunded.amount : Math.floor(refunded.amount / 3);
      const re = refund({ charge: refunded.ch, paymentIntent: refunded.pi, amount, status: 'pending' });
      events.push(event('refund.created', re, { created: tick() }));
      const done = { ...re, status: 'succeeded' };
      events.push(event('refund.updated', done, { created: tick() }));
      events.push(
        event(
          'charge.refunded',
          charge({
            id: refunded.ch,
            paymentIntent: refunded.pi,
            amount: refunded.amount,
            amountRefunded: amount,
            customer: cus,
            refunds: [done],
          }),
          { created: tick() },
        ),
      );
      // The refund rule: a refund takes back the credits it pays for, rounded up.
      const clawed = full ? refunded.credits : Math.ceil((refunded.credits * amount) / refunded.amount);
      model.entries.push(['refund_clawback', -clawed]);
      const p = model.payments.find((x) => x.ref === refunded.ref);
      if (p) Object.assign(p, { status: full ? 'refunded' : 'partially_refunded', amountRefunded: amount });
    }

    // A dispute on another purchase: won by some, lost by others.
    if (disputed && r.chance(0.4)) {
      const lose = disputesLost < disputesWon || r.chance(0.5);
      const d = dispute({ charge: disputed.ch, paymentIntent: disputed.pi, amount: disputed.amount });
      events.push(event('charge.dispute.created', d, { created: tick() }));
      events.push(event('charge.dispute.funds_withdrawn', { ...d, status: 'needs_response' }, { created: tick() }));
      if (lose) {
        events.push(event('charge.dispute.closed', { ...d, status: 'lost' }, { created: tick() }));
        model.entries.push(['dispute_clawback', -disputed.credits]);
        disputesLost++;
      } else {
        events.push(event('charge.dispute.updated', { ...d, status: 'under_review' }, { created: tick() }));
        events.push(event('charge.dispute.closed', { ...d, status: 'won' }, { created: tick() }));
        events.push(event('charge.dispute.funds_reinstated', { ...d, status: 'won' }, { created: tick() }));
        disputesWon++;
      }
      model.disputes.push({ id: d.id as string, outcome: lose ? 'lost' : 'won' });
    }

    model.balance = model.entries.reduce((sum, [, credits]) => sum + credits, 0);
    model.entries.sort(compareEntries);
    expected.push(model);
  }
  return { events, expected };
}

export function compareEntries(a: [string, number], b: [string, number]): number {
  return a[0] === b[0] ? a[1] - b[1] : a[0] < b[0] ? -1 : 1;
}
