// Upgrades (issue 13.8): a paid `subscription_update` invoice (pro -> growth mid-period) grants the
// prorated difference of the period's credits, once per invoice (ledger key grant:<in_id>):
//
//   floor((new plan's credits - old plan's credits) x time left in the period / the period)
//
// Stripe's proration invoice names both plans: a negative line "unused time on <old price>" and a
// positive line "remaining time on <new price>", each over [change, period end]. A downgrade (or
// a plan with no more credits) grants nothing and takes nothing back: the credits already granted
// for the period stay until it ends. Off (catalog rule `upgradeCredits: false`): upgrades grant
// nothing until the renewal grants the new plan's full credits.
import { formatCredits } from '../../contracts/money.ts';
import type Stripe from 'stripe';
import type { Tx } from '../../db/tx.ts';
import type { Payment, Subscription } from '../../generated/prisma/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { findPriceMapping } from '../catalog/find-price-mapping.ts';
import { getRules } from '../catalog/get-rules.ts';
import { grantCredits } from '../ledger/grant-credits.ts';
import { stripeId } from './resolve-event-customer.ts';

/** The prorated difference; 0 for a downgrade or a change at (or after) the period's end. */
export function upgradeCredits(input: {
  oldCredits: number;
  newCredits: number;
  changeAt: Date;
  periodStart: Date;
  periodEnd: Date;
}): number {
  const diff = input.newCredits - input.oldCredits;
  const period = Math.floor((input.periodEnd.getTime() - input.periodStart.getTime()) / 1000);
  const left = Math.floor((input.periodEnd.getTime() - input.changeAt.getTime()) / 1000);
  if (diff <= 0 || period <= 0 || left <= 0) return 0;
  return Number((BigInt(diff) * BigInt(Math.min(left, period))) / BigInt(period));
}

interface PlanLine {
  planKey: string;
  /** The plan's name, for the ledger reason and the summary. */
  name: string;
  credits: number;
  rollover: boolean;
  start: Date;
  end: Date;
}

async function planLines(tx: Tx, invoice: Stripe.Invoice): Promise<{ from: PlanLine | null; to: PlanLine | null }> {
  let from: PlanLine | null = null;
  let to: PlanLine | null = null;
  for (const line of invoice.lines?.data ?? []) {
    const priceId = stripeId(line.pricing?.price_details?.price ?? null);
    if (!priceId || !line.period) continue;
    const mapping = await findPriceMapping(tx, priceId);
    if (mapping?.kind !== 'plan') continue;
    const found: PlanLine = {
      planKey: mapping.plan.key,
      name: mapping.plan.name,
      credits: mapping.plan.monthlyCredits,
      rollover: mapping.plan.rollover,
      start: new Date(line.period.start * 1000),
      end: new Date(line.period.end * 1000),
    };
    if (line.amount < 0) from ??= found;
    else to ??= found;
  }
  return { from, to };
}

/** Grants an upgrade invoice's credits; returns what was done, in words. */
export async function grantUpgradeCredits(
  tx: Tx,
  input: { invoice: Stripe.Invoice; sub: Subscription; payment: Payment; actor: Actor },
): Promise<string> {
  const { invoice, sub, payment, actor } = input;
  const rules = await getRules(tx);
  if (!rules.upgradeCredits) return `plan change ${invoice.id} paid: upgrade credits are off in the catalog rules`;
  const { from, to } = await planLines(tx, invoice);
  if (!from || !to) return `plan change ${invoice.id} paid: it does not name both plans, nothing to grant`;
  const credits = upgradeCredits({
    oldCredits: from.credits,
    newCredits: to.credits,
    changeAt: to.start,
    periodStart: sub.currentPeriodStart && sub.currentPeriodStart < to.start ? sub.currentPeriodStart : to.start,
    periodEnd: to.end,
  });
  if (credits <= 0) {
    return `plan change ${invoice.id} from ${from.name} to ${to.name}: no more credits, nothing granted or taken back`;
  }
  const grant = await grantCredits(tx, {
    customerId: sub.customerId,
    credits,
    type: 'subscription_grant',
    source: 'subscription_period',
    costBasis: 'paid',
    amountPaid: invoice.amount_paid,
    currency: invoice.currency,
    stripeReference: invoice.id,
    expiresAt: to.rollover ? null : to.end,
    idempotencyKey: `grant:${invoice.id}`,
    reason: `Upgrade from ${from.name} to ${to.name}: the prorated difference of the period's credits`,
    actor,
    reference: invoice.id,
    referenceType: 'invoice',
  });
  await tx.payment.update({
    where: { id: payment.id },
    data: { lotId: grant.lot?.id ?? payment.lotId, creditsGranted: grant.entry.credits },
  });
  return grant.replayed
    ? `upgrade credits for ${invoice.id} were already granted: nothing added`
    : `granted ${formatCredits(credits)} upgrade credits (${from.name} -> ${to.name}, prorated) for ${invoice.id}`;
}
