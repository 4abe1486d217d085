// Refunds end to end on real PostgreSQL and the Stripe emulator (signed webhooks delivered to the
// running app): preview -> request -> clawback -> Stripe -> status, through the tRPC procedures as
// the web calls them. Idempotency under concurrency, maker-checker roles, Stripe refusing, Stripe
// not answering, subscription periods, and a failed refund reported later by Stripe.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../lib/actor.ts';
import { applyRefund } from '../billing/apply-refund.ts';
import { consumeCredits } from '../ledger/consume-credits.ts';
import { verifyLedger } from '../ledger/verify-ledger.ts';
import { startRefundWorld, type RefundWorld } from '../../../test/refunds/refund-world.ts';

let w: RefundWorld;
const PRODUCT: Actor = { type: 'service', id: 'product' };

beforeAll(async () => {
  w = await startRefundWorld();
}, 60_000);
afterAll(async () => {
  await w?.stop();
});

async function use(customerId: string, credits: number) {
  await consumeCredits(w.db, {
    customerId,
    credits,
    idempotencyKey: randomUUID(),
    reason: 'generation',
    actor: PRODUCT,
  });
}

async function stripeRefundsOf(chargeId: string) {
  return (await w.stripe.refunds.list({ charge: chargeId, limit: 100 })).data;
}

async function setApprovalAbove(above: number) {
  await w.db.catalogRules.update({
    where: { id: 1 },
    data: { refundApprovalAbove: above, refundApprovalCurrency: 'eur' },
  });
}

async function request(
  role: 'finance' | 'admin',
  paymentId: string,
  extra: { amount?: number; requestId?: string; id?: string } = {},
) {
  const preview = await w.as(role, extra.id).refunds.preview({ paymentId });
  return w.as(role, extra.id).refunds.request({
    paymentId,
    amount: extra.amount ?? preview.calculation.proposal,
    reason: 'Customer asked for a refund (ticket 7)',
    stripeReason: 'requested_by_customer',
    requestId: extra.requestId ?? randomUUID(),
    fingerprint: preview.calculation.fingerprint,
  });
}

describe('refund of a credit pack', () => {
  it('unused: the full amount goes back through Stripe and every credit is clawed back, once', async () => {
    await setApprovalAbove(10_000);
    const { customerId, payment, chargeId } = await w.buyPack('starter');
    const preview = await w.as('finance').refunds.preview({ paymentId: payment.id });
    expect(preview.calculation).toMatchObject({
      amountPaid: 900,
      currency: 'eur',
      granted: 500,
      used: 0,
      remaining: 500,
      alreadyRefunded: 0,
      proposal: 900,
      creditsToClawBack: 500,
      rule: 'full',
      blockedReason: null,
    });
    expect(preview).toMatchObject({
      stripeTarget: { type: 'charge', id: chargeId },
      needsApproval: false,
      stripeChecked: true,
    });

    const { refund, replayed } = await request('finance', payment.id);
    expect(replayed).toBe(false);
    expect(refund).toMatchObject({ status: 'succeeded', amount: 900, creditsClawedBack: 500, origin: 'creditdesk' });
    expect(refund.stripeRefundId).toMatch(/^re_/);
    expect(await w.balance(customerId)).toBe(0);

    const atStripe = await stripeRefundsOf(chargeId);
    expect(atStripe).toHaveLength(1);
    expect(atStripe[0]).toMatchObject({ id: refund.stripeRefundId, amount: 900, reason: 'requested_by_customer' });
    expect(atStripe[0]!.metadata).toMatchObject({ creditdesk_refund_id: refund.id, creditdesk_payment_id: payment.id });

    // refund.created and charge.refunded arrive and converge on the same row: no mirrored copy.
    await w.settled();
    expect(await w.db.refund.count({ where: { paymentId: payment.id } })).toBe(1);
    expect(await w.db.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({
      status: 'refunded',
      amountRefunded: 900,
    });
    expect(await w.db.ledgerEntry.count({ where: { customerId, type: 'refund_clawback' } })).toBe(1);
    const audit = await w.db.auditLog.findFirstOrThrow({ where: { targetId: refund.id, action: 'refund.request' } });
    expect(audit).toMatchObject({ actorId: 'u-finance', reason: 'Customer asked for a refund (ticket 7)' });
    expect(await verifyLedger(w.db, customerId)).toEqual([]);

    // Nothing is left: the calculator says so and a request is refused.
    const after = await w.as('finance').refunds.preview({ paymentId: payment.id });
    expect(after.calculation.blockedReason).toBe('This payment has been refunded in full already.');
  });

  it('partly used: proportional, may be lowered, and the next refund sees what is left', async () => {
    const { customerId, payment, chargeId } = await w.buyPack('big'); // 2,000 credits for EUR 29.00
    await use(customerId, 500);
    const preview = await w.as('finance').refunds.preview({ paymentId: payment.id, amount: 1000 });
    expect(preview.calculation).toMatchObject({ used: 500, remaining: 1500, proposal: 2175, creditsToClawBack: 1500 });
    expect(preview.calculation.formula).toBe(
      '€29.00 × 1,500 remaining / 2,000 granted = €21.75, − €0.00 already refunded = €21.75',
    );
    expect(preview).toMatchObject({ amount: 1000, creditsForAmount: 690 });

    // Never above the proposal.
    await expect(request('finance', payment.id, { amount: 2176 })).rejects.toMatchObject({
      code: 'UNPROCESSABLE_CONTENT',
    });
    const lowered = await request('finance', payment.id, { amount: 1000 });
    expect(lowered.refund).toMatchObject({ status: 'succeeded', amount: 1000, creditsClawedBack: 690 });
    expect(await w.balance(customerId)).toBe(810);

    const next = await w.as('finance').refunds.preview({ paymentId: payment.id });
    expect(next.calculation).toMatchObject({
      alreadyRefunded: 1000,
      refundedCredits: 690,
      remaining: 810,
      proposal: 1175,
    });
    const rest = await request('finance', payment.id);
    expect(rest.refund).toMatchObject({ amount: 1175, creditsClawedBack: 810 });
    expect(await w.balance(customerId)).toBe(0);
    expect((await stripeRefundsOf(chargeId)).map((r) => r.amount).sort()).toEqual([1000, 1175]);
    expect(await verifyLedger(w.db, customerId)).toEqual([]);
  });

  it('refuses with STALE and the new figures when credits were used after the preview', async () => {
    const { customerId, payment, chargeId } = await w.buyPack('starter');
    const preview = await w.as('finance').refunds.preview({ paymentId: payment.id });
    await use(customerId, 100);
    const attempt = w.as('finance').refunds.request({
      paymentId: payment.id,
      amount: preview.calculation.proposal,
      reason: 'Customer asked for a refund',
      stripeReason: 'requested_by_customer',
      requestId: randomUUID(),
      fingerprint: preview.calculation.fingerprint,
    });
    await expect(attempt).rejects.toMatchObject({
      code: 'CONFLICT',
      cause: { code: 'STALE', details: { calculation: { used: 100, proposal: 720 } } },
    });
    expect(await stripeRefundsOf(chargeId)).toHaveLength(0);
    expect(await w.balance(customerId)).toBe(400);
  });
});

describe('idempotency', () => {
  it('10 concurrent confirms of one request make exactly one Stripe refund and one clawback', async () => {
    const { customerId, payment, chargeId } = await w.buyPack('starter');
    const preview = await w.as('finance').refunds.preview({ paymentId: payment.id });
    const input = {
      paymentId: payment.id,
      amount: preview.calculation.proposal,
      reason: 'Double-clicked refund',
      stripeReason: 'duplicate' as const,
      requestId: randomUUID(),
      fingerprint: preview.calculation.fingerprint,
    };
    const results = await Promise.all(Array.from({ length: 10 }, () => w.as('finance').refunds.request(input)));
    const ids = new Set(results.map((r) => r.refund.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    await w.settled();
    expect(await stripeRefundsOf(chargeId)).toHaveLength(1);
    expect(await w.db.refund.count({ where: { paymentId: payment.id } })).toBe(1);
    expect(await w.db.ledgerEntry.count({ where: { customerId, type: 'refund_clawback' } })).toBe(1);
    expect(await w.balance(customerId)).toBe(0);
    // A later retry of the same request is still the same refund.
    const again = await w.as('finance').refunds.request(input);
    expect(again).toMatchObject({ replayed: true, refund: { id: [...ids][0], status: 'succeeded' } });
  });

  it('10 tabs confirming their own requests at once: one refund, the others are told the figures changed', async () => {
    const { customerId, payment, chargeId } = await w.buyPack('starter');
    const preview = await w.as('finance').refunds.preview({ paymentId: payment.id });
    const settledResults = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        w.as('finance').refunds.request({
          paymentId: payment.id,
          amount: preview.calculation.proposal,
          reason: 'Refund from another tab',
          stripeReason: 'requested_by_customer',
          requestId: randomUUID(),
          fingerprint: preview.calculation.fingerprint,
        }),
      ),
    );
    const ok = settledResults.filter((r) => r.status === 'fulfilled');
    const refused = settledResults.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(9);
    for (const r of refused) expect(r.reason).toMatchObject({ cause: { code: 'STALE' } });
    await w.settled();
    expect(await stripeRefundsOf(chargeId)).toHaveLength(1);
    expect(await w.balance(customerId)).toBe(0);
  });
});

describe('maker-checker', () => {
  it('above the threshold the request waits; the maker cannot approve it, support cannot act, a second finance user can', async () => {
    await setApprovalAbove(500);
    try {
      const { customerId, payment, chargeId } = await w.buyPack('starter');
      const preview = await w.as('finance', 'fin-maker').refunds.preview({ paymentId: payment.id });
      expect(preview.needsApproval).toBe(true);
      await expect(w.as('support').refunds.preview({ paymentId: payment.id })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });

      const { refund } = await request('finance', payment.id, { id: 'fin-maker' });
      expect(refund).toMatchObject({ status: 'pending_approval', creditsClawedBack: 0, requestedBy: 'fin-maker' });
      expect(await w.balance(customerId)).toBe(500);
      expect(await stripeRefundsOf(chargeId)).toHaveLength(0);

      const queue = await w.as('finance', 'fin-checker').refunds.list({ view: 'awaiting' });
      const waiting = queue.items.find((i) => i.id === refund.id);
      expect(waiting).toMatchObject({ amount: 900, requestedBy: { id: 'fin-maker' }, current: { proposal: 900 } });
      const fingerprint = waiting!.current!.fingerprint;

      await expect(
        w.as('finance', 'fin-maker').refunds.approve({ refundId: refund.id, fingerprint }),
      ).rejects.toMatchObject({
        code: 'FORBIDDEN',
        message: 'You requested this refund: a second finance user or an admin must approve it',
      });
      await expect(w.as('support').refunds.approve({ refundId: refund.id, fingerprint })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      // A second request on the same payment waits for this one to be decided.
      await expect(request('finance', payment.id, { id: 'fin-maker', amount: 100 })).rejects.toMatchObject({
        code: 'CONFLICT',
      });

      // The list shows the request's own calculation (issue 16).
      expect(waiting!.currentRequestFormula).toMatch(/requested: .* granted = .* credits taken back$/);
      await expect(
        w.as('finance', 'fin-checker').refunds.approve({ refundId: refund.id, fingerprint, reason: 'no' }),
      ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      const approved = await w.as('finance', 'fin-checker').refunds.approve({
        refundId: refund.id,
        fingerprint,
        reason: 'Checked the ticket: goodwill',
      });
      expect(approved.refund).toMatchObject({ status: 'succeeded', approvedBy: 'fin-checker', creditsClawedBack: 500 });
      expect(await w.balance(customerId)).toBe(0);
      // A double click on approve is the same refund; someone else is told it is decided.
      expect(await w.as('finance', 'fin-checker').refunds.approve({ refundId: refund.id, fingerprint })).toMatchObject({
        replayed: true,
      });
      await expect(w.as('admin').refunds.approve({ refundId: refund.id, fingerprint })).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      await w.settled();
      expect(await stripeRefundsOf(chargeId)).toHaveLength(1);
      const audits = await w.db.auditLog.findMany({
        where: { targetId: refund.id, action: 'refund.approve', actorId: 'fin-checker' },
      });
      expect(audits).toHaveLength(1);
      expect(audits[0]?.reason).toBe('Checked the ticket: goodwill');
    } finally {
      await setApprovalAbove(10_000);
    }
  });

  it('a refund split in two cannot pass the threshold: the total refunded on the payment counts (issue 14.3)', async () => {
    await setApprovalAbove(500);
    try {
      const { payment, chargeId } = await w.buyPack('starter');
      const first = await request('finance', payment.id, { id: 'fin-splitter', amount: 499 });
      expect(first.refund).toMatchObject({ status: 'succeeded', amount: 499 });
      // 4.99 is under the threshold alone, but 4.99 + 4.01 = 9.00 refunded on this payment is not.
      const preview = await w.as('finance', 'fin-splitter').refunds.preview({ paymentId: payment.id, amount: 401 });
      expect(preview.needsApproval).toBe(true);
      const second = await request('finance', payment.id, { id: 'fin-splitter', amount: 401 });
      expect(second.refund).toMatchObject({ status: 'pending_approval', amount: 401, creditsClawedBack: 0 });
      await w.settled();
      expect((await stripeRefundsOf(chargeId)).map((r) => r.amount)).toEqual([499]);
    } finally {
      await setApprovalAbove(10_000);
    }
  });

  it('concurrent split requests: never more than the threshold refunded without an approver', async () => {
    await setApprovalAbove(500);
    try {
      const { payment, chargeId } = await w.buyPack('starter');
      // Four finance users each try to refund EUR 2.00 at once, retrying on STALE with fresh figures.
      const outcomes = await Promise.all(
        [1, 2, 3, 4].map(async (n) => {
          for (let attempt = 0; attempt < 20; attempt++) {
            try {
              return (await request('finance', payment.id, { id: `fin-split-${n}`, amount: 200 })).refund.status;
            } catch (err) {
              const code = (err as { cause?: { code?: string } }).cause?.code;
              if (code === 'CONFLICT') return 'conflict';
              if (code !== 'STALE') throw err;
            }
          }
          return 'gave up';
        }),
      );
      await w.settled();
      const rows = await w.db.refund.findMany({ where: { paymentId: payment.id } });
      const unapproved = rows.filter((r) => r.status !== 'pending_approval' && r.approvedBy === null);
      // The model: 2.00 + 2.00 pass, the third would make 6.00 > 5.00 and waits, the fourth is told one waits.
      expect(unapproved.reduce((sum, r) => sum + r.amount, 0)).toBe(400);
      expect(rows.filter((r) => r.status === 'pending_approval')).toHaveLength(1);
      expect(outcomes.sort()).toEqual(['conflict', 'pending_approval', 'succeeded', 'succeeded']);
      expect((await stripeRefundsOf(chargeId)).reduce((sum, r) => sum + r.amount, 0)).toBe(400);
    } finally {
      await setApprovalAbove(10_000);
    }
  });

  it('an admin maker cannot approve their own either; an admin checker can; rejection moves nothing', async () => {
    await setApprovalAbove(100);
    try {
      const a = await w.buyPack('starter');
      const { refund } = await request('admin', a.payment.id, { id: 'admin-1' });
      expect(refund.status).toBe('pending_approval');
      const fp = (await w.as('admin', 'admin-2').refunds.preview({ paymentId: a.payment.id })).calculation.fingerprint;
      await expect(
        w.as('admin', 'admin-1').refunds.approve({ refundId: refund.id, fingerprint: fp }),
      ).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      expect(
        (await w.as('admin', 'admin-2').refunds.approve({ refundId: refund.id, fingerprint: fp })).refund.status,
      ).toBe('succeeded');

      const b = await w.buyPack('starter');
      const second = await request('finance', b.payment.id, { id: 'fin-x' });
      await expect(
        w.as('support').refunds.reject({ refundId: second.refund.id, reason: 'Not eligible' }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
      const rejected = await w
        .as('finance', 'fin-y')
        .refunds.reject({ refundId: second.refund.id, reason: 'Past the 14 days' });
      expect(rejected).toMatchObject({ status: 'rejected', approvedBy: 'fin-y', creditsClawedBack: 0 });
      expect(await w.balance(b.customerId)).toBe(500);
      expect(await stripeRefundsOf(b.chargeId)).toHaveLength(0);
      await expect(
        w.as('admin').refunds.approve({ refundId: second.refund.id, fingerprint: fp }),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
    } finally {
      await setApprovalAbove(10_000);
    }
  });

  it('an approval on figures that moved is refused with STALE', async () => {
    await setApprovalAbove(100);
    try {
      const { customerId, payment } = await w.buyPack('starter');
      const { refund } = await request('finance', payment.id, { id: 'fin-m', amount: 500 });
      const fp = (await w.as('finance', 'fin-c').refunds.preview({ paymentId: payment.id })).calculation.fingerprint;
      await use(customerId, 50);
      await expect(
        w.as('finance', 'fin-c').refunds.approve({ refundId: refund.id, fingerprint: fp }),
      ).rejects.toMatchObject({
        code: 'CONFLICT',
        cause: { code: 'STALE' },
      });
      const fresh = (await w.as('finance', 'fin-c').refunds.preview({ paymentId: payment.id })).calculation;
      expect(fresh.proposal).toBe(810);
      const approved = await w
        .as('finance', 'fin-c')
        .refunds.approve({ refundId: refund.id, fingerprint: fresh.fingerprint });
      // EUR 5.00 pays for 500 x 500 / 900 = 277.8 credits: 278 (the refund rule).
      expect(approved.refund).toMatchObject({ status: 'succeeded', amount: 500, creditsClawedBack: 278 });
      expect(await w.balance(customerId)).toBe(172);
    } finally {
      await setApprovalAbove(10_000);
    }
  });
});

describe('when Stripe says no, or says nothing', () => {
  it('Stripe refuses: the clawback is undone and the error is shown in words', async () => {
    const { customerId, payment, chargeId } = await w.buyPack('starter');
    const fault = await w.driver.setFault({
      target: 'api',
      match: { method: 'POST', path: '/v1/refunds' },
      fail: {
        status: 400,
        type: 'invalid_request_error',
        message: 'Refund amount is greater than unrefunded amount on charge',
      },
      times: 1,
    });
    try {
      await expect(request('finance', payment.id)).rejects.toMatchObject({
        code: 'BAD_GATEWAY',
        message:
          'Stripe refused the refund: Refund amount is greater than unrefunded amount on charge. The 500 credits taken back were given back. Nothing was refunded.',
      });
    } finally {
      await w.driver.removeFault(fault.id).catch(() => undefined);
    }
    expect(await w.balance(customerId)).toBe(500);
    const row = await w.db.refund.findFirstOrThrow({ where: { paymentId: payment.id } });
    expect(row).toMatchObject({
      status: 'failed',
      error: 'Stripe refused: Refund amount is greater than unrefunded amount on charge.',
    });
    const types = (await w.db.ledgerEntry.findMany({ where: { customerId }, orderBy: { id: 'asc' } })).map((e) => [
      e.type,
      e.credits,
    ]);
    expect(types).toEqual([
      ['purchase', 500],
      ['refund_clawback', -500],
      ['refund_restore', 500],
    ]);
    expect(await stripeRefundsOf(chargeId)).toHaveLength(0);
    expect((await w.db.payment.findUniqueOrThrow({ where: { id: payment.id } })).amountRefunded).toBe(0);
    expect(await w.db.auditLog.count({ where: { targetId: row.id, action: 'refund.stripe_refused' } })).toBe(1);
    expect(await verifyLedger(w.db, customerId)).toEqual([]);

    // A new request (new dialog) works once Stripe agrees.
    expect((await request('finance', payment.id)).refund.status).toBe('succeeded');
    expect(await stripeRefundsOf(chargeId)).toHaveLength(1);
  });

  it('Stripe answers 500 after making the refund: the SDK retry with the same key gets it, one refund', async () => {
    const { payment, chargeId } = await w.buyPack('starter');
    const fault = await w.driver.setFault({
      target: 'api',
      match: { method: 'POST', path: '/v1/refunds' },
      fail: { status: 500, after_processing: true },
      times: 1,
    });
    try {
      const { refund } = await request('finance', payment.id);
      expect(refund.status).toBe('succeeded');
    } finally {
      await w.driver.removeFault(fault.id).catch(() => undefined);
    }
    expect(await stripeRefundsOf(chargeId)).toHaveLength(1);
  });

  it('Stripe never answers: the refund stays pending with the credits held, and a retry finishes it', async () => {
    const { customerId, payment, chargeId } = await w.buyPack('starter');
    const preview = await w.as('finance').refunds.preview({ paymentId: payment.id });
    const input = {
      paymentId: payment.id,
      amount: preview.calculation.proposal,
      reason: 'Customer asked for a refund',
      stripeReason: 'requested_by_customer' as const,
      requestId: randomUUID(),
      fingerprint: preview.calculation.fingerprint,
    };
    const fault = await w.driver.setFault({
      target: 'api',
      match: { method: 'POST', path: '/v1/refunds' },
      fail: { status: 503, message: 'Stripe is down' },
      times: 3,
    });
    try {
      await expect(w.as('finance').refunds.request(input)).rejects.toMatchObject({
        code: 'BAD_GATEWAY',
        message: expect.stringContaining('It stays pending: retrying is safe'),
      });
    } finally {
      await w.driver.removeFault(fault.id).catch(() => undefined);
    }
    const pending = await w.db.refund.findFirstOrThrow({ where: { paymentId: payment.id } });
    expect(pending).toMatchObject({ status: 'pending', stripeRefundId: null, creditsClawedBack: 500 });
    expect(await w.balance(customerId)).toBe(0);

    const retried = await w.as('finance').refunds.request(input);
    expect(retried).toMatchObject({ replayed: true, refund: { id: pending.id, status: 'succeeded', error: null } });
    expect(await stripeRefundsOf(chargeId)).toHaveLength(1);
  });

  it('a refund Stripe later reports failed gives the credits back (webhook handler)', async () => {
    const { customerId, payment } = await w.buyPack('starter');
    const { refund } = await request('finance', payment.id);
    await w.settled();
    expect(await w.balance(customerId)).toBe(0);
    const atStripe = await w.stripe.refunds.retrieve(refund.stripeRefundId!);
    await w.db.$transaction((tx) =>
      applyRefund(tx, {
        refund: { ...atStripe, status: 'failed', failure_reason: 'expired_or_canceled_card' },
        requestIdempotencyKey: null,
        actor: { type: 'stripe', id: 'evt_refund_failed' },
      }),
    );
    expect(await w.db.refund.findUniqueOrThrow({ where: { id: refund.id } })).toMatchObject({
      status: 'failed',
      error: 'expired_or_canceled_card',
    });
    expect(await w.balance(customerId)).toBe(500);
    expect(await verifyLedger(w.db, customerId)).toEqual([]);
  });
});

describe('subscription invoices', () => {
  it('refund against that period’s lot, in proportion to what is left of it', async () => {
    const { customerId, payment, subscriptionId } = await w.subscribe(); // 1,000 credits for EUR 19.00
    expect(payment.invoiceId).toMatch(/^in_/);
    // A second period: its own invoice and lot.
    await w.driver.advanceSubscription(subscriptionId, { outcome: 'paid' });
    await w.settled();
    expect(await w.balance(customerId)).toBe(2000);
    const firstLot = await w.db.creditLot.findUniqueOrThrow({ where: { id: payment.lotId! } });
    // Usage draws the soonest-expiring lot first: the first period's.
    await use(customerId, 250);
    expect((await w.db.creditLot.findUniqueOrThrow({ where: { id: firstLot.id } })).remaining).toBe(750);

    const preview = await w.as('finance').refunds.preview({ paymentId: payment.id });
    expect(preview.calculation).toMatchObject({
      amountPaid: 1900,
      granted: 1000,
      used: 250,
      remaining: 750,
      proposal: 1425,
    });
    const { refund } = await request('finance', payment.id);
    expect(refund).toMatchObject({ status: 'succeeded', amount: 1425, creditsClawedBack: 750 });
    expect((await w.db.creditLot.findUniqueOrThrow({ where: { id: firstLot.id } })).remaining).toBe(0);
    expect(await w.balance(customerId)).toBe(1000);
    expect(await verifyLedger(w.db, customerId)).toEqual([]);
  });
});
