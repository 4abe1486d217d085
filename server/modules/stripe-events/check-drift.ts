// Drift between Stripe and our ledger, for the reconciliation report:
// - payments Stripe shows as paid (completed paid Checkout Sessions, paid subscription invoices)
//   with no credit grant here;
// - paid grants whose payment is missing here, or refunded while the lot still holds credits.
// Read-only: support decides the fix (fetch the event, reprocess, manual adjustment).
import type Stripe from 'stripe';
import type { Db } from '../../db/client.ts';

const MAX_LISTED = 2000;
const GRANTING = new Set(['subscription_create', 'subscription_cycle']);

export interface DriftFindings {
  since: string;
  paidWithoutGrant: Array<{
    stripeObject: string;
    kind: 'pack' | 'subscription';
    amount: number;
    currency: string;
    stripeCustomer: string | null;
  }>;
  grantsWithoutPayment: Array<{
    lotId: string;
    customerId: string;
    stripeReference: string;
    granted: number;
    remaining: number;
  }>;
  grantsOnRefundedPayments: Array<{
    lotId: string;
    customerId: string;
    stripeReference: string;
    remaining: number;
    paymentId: string;
  }>;
  /** true when Stripe was not reachable/configured: only the local half was checked. */
  localOnly: boolean;
}

async function stripePaidObjects(stripe: Stripe, since: Date) {
  const gte = Math.floor(since.getTime() / 1000);
  const paid: DriftFindings['paidWithoutGrant'] = [];
  let listed = 0;
  for await (const s of stripe.checkout.sessions.list({ created: { gte }, status: 'complete', limit: 100 })) {
    if (++listed > MAX_LISTED) break;
    if (s.mode === 'payment' && s.payment_status === 'paid') {
      const customer = typeof s.customer === 'string' ? s.customer : (s.customer?.id ?? null);
      paid.push({
        stripeObject: s.id,
        kind: 'pack',
        amount: s.amount_total ?? 0,
        currency: s.currency ?? '',
        stripeCustomer: customer,
      });
    }
  }
  listed = 0;
  for await (const inv of stripe.invoices.list({ created: { gte }, status: 'paid', limit: 100 })) {
    if (++listed > MAX_LISTED) break;
    if (inv.id && GRANTING.has(inv.billing_reason ?? '') && inv.parent?.subscription_details?.subscription) {
      const customer = typeof inv.customer === 'string' ? inv.customer : (inv.customer?.id ?? null);
      paid.push({
        stripeObject: inv.id,
        kind: 'subscription',
        amount: inv.amount_paid,
        currency: inv.currency,
        stripeCustomer: customer,
      });
    }
  }
  return paid;
}

export async function checkDrift(db: Db, input: { stripe: Stripe | null; since: Date }): Promise<DriftFindings> {
  const findings: DriftFindings = {
    since: input.since.toISOString(),
    paidWithoutGrant: [],
    grantsWithoutPayment: [],
    grantsOnRefundedPayments: [],
    localOnly: !input.stripe,
  };
  if (input.stripe) {
    const paid = await stripePaidObjects(input.stripe, input.since);
    const granted = new Set(
      (
        await db.ledgerEntry.findMany({
          where: { idempotencyKey: { in: paid.map((p) => `grant:${p.stripeObject}`) } },
          select: { idempotencyKey: true },
        })
      ).map((e) => e.idempotencyKey),
    );
    // A paid object whose plan grants nothing (monthlyCredits 0) has a paid Payment but no entry.
    const zeroCredit = new Set(
      (
        await db.payment.findMany({
          where: {
            creditsGranted: 0,
            status: { not: 'pending' },
            OR: [
              { checkoutSessionId: { in: paid.map((p) => p.stripeObject) } },
              { invoiceId: { in: paid.map((p) => p.stripeObject) } },
            ],
          },
          select: { checkoutSessionId: true, invoiceId: true, catalogKey: true },
        })
      )
        .filter((p) => p.invoiceId)
        .map((p) => p.invoiceId as string),
    );
    findings.paidWithoutGrant = paid.filter(
      (p) => !granted.has(`grant:${p.stripeObject}`) && !zeroCredit.has(p.stripeObject),
    );
  }

  const lots = await db.creditLot.findMany({
    where: { costBasis: 'paid', stripeReference: { not: null }, createdAt: { gte: input.since } },
    select: { id: true, customerId: true, stripeReference: true, granted: true, remaining: true, frozen: true },
  });
  const refs = lots.map((l) => l.stripeReference as string);
  const payments = await db.payment.findMany({
    where: { OR: [{ checkoutSessionId: { in: refs } }, { invoiceId: { in: refs } }] },
    select: { id: true, checkoutSessionId: true, invoiceId: true, status: true },
  });
  const byRef = new Map<string, (typeof payments)[number]>();
  for (const p of payments) {
    if (p.checkoutSessionId) byRef.set(p.checkoutSessionId, p);
    if (p.invoiceId) byRef.set(p.invoiceId, p);
  }
  for (const lot of lots) {
    const ref = lot.stripeReference as string;
    const payment = byRef.get(ref);
    if (!payment) {
      findings.grantsWithoutPayment.push({
        lotId: lot.id,
        customerId: lot.customerId,
        stripeReference: ref,
        granted: lot.granted,
        remaining: lot.remaining,
      });
    } else if (payment.status === 'refunded' && lot.remaining > 0) {
      findings.grantsOnRefundedPayments.push({
        lotId: lot.id,
        customerId: lot.customerId,
        stripeReference: ref,
        remaining: lot.remaining,
        paymentId: payment.id,
      });
    }
  }
  return findings;
}
