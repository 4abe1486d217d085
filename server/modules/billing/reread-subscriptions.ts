// The background half of the same-second rule (subscription-tie.ts): subscriptions whose events
// contradicted each other within one second are re-read from Stripe, and Stripe's current state is
// applied as the newest (its read time is the watermark). Runs in the subscription-reread job, never
// before a webhook's answer; a short timeout and no SDK retries, so a hanging Stripe only delays the
// next run. A subscription Stripe cannot give now keeps its flag and is tried again.
import type Stripe from 'stripe';
import type { Db } from '../../db/client.ts';
import { TX_OPTIONS } from '../../db/tx.ts';
import { applySubscription } from './apply-subscription.ts';

const REQUEST = { timeout: 10_000, maxNetworkRetries: 0 } as const;

export interface RereadResult {
  subscriptionId: string;
  outcome: string;
}

export async function rereadSubscriptions(
  ctx: { prisma: Db; stripe: Stripe | null; now?: () => Date },
  options: { limit?: number } = {},
): Promise<RereadResult[]> {
  if (!ctx.stripe) return [];
  const flagged = await ctx.prisma.subscription.findMany({
    where: { rereadRequestedAt: { not: null } },
    orderBy: { rereadRequestedAt: 'asc' },
    take: options.limit ?? 50,
  });
  const results: RereadResult[] = [];
  for (const row of flagged) {
    let subscription: Stripe.Subscription;
    const readAt = ctx.now?.() ?? new Date();
    try {
      subscription = await ctx.stripe.subscriptions.retrieve(row.id, {}, REQUEST);
    } catch (err) {
      results.push({ subscriptionId: row.id, outcome: `Stripe did not answer: ${(err as Error).message}` });
      continue;
    }
    const outcome = await ctx.prisma.$transaction(async (tx) => {
      const applied = await applySubscription(tx, {
        subscription,
        asOf: readAt,
        deleted: subscription.status === 'canceled',
        linkedCustomerId: row.customerId,
        now: readAt,
      });
      // Only the request this read answers is cleared: one made while Stripe was asked stays.
      await tx.subscription.updateMany({
        where: { id: row.id, rereadRequestedAt: { lte: row.rereadRequestedAt ?? readAt } },
        data: { rereadRequestedAt: null },
      });
      return applied.summary;
    }, TX_OPTIONS);
    results.push({ subscriptionId: row.id, outcome });
  }
  return results;
}
