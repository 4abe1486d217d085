// Radar block lists (rules.radarBlockList): a block adds the customer's email and the card
// fingerprints of their charges to Stripe's default block lists, so Radar declines their next
// payment; an unblock removes what earlier blocks added. Runs after the block's transaction
// committed (the staff action calls it at once; the radar-block-sync job picks up whatever is
// still pending or failed). Each block event records the items it added, so removal is exact.
import type Stripe from 'stripe';
import type { Db } from '../../db/client.ts';
import type { BlockEvent } from '../../generated/prisma/client.ts';
import { jsonColumn } from '../../lib/json.ts';

export interface RadarDeps {
  prisma: Db;
  stripe: Stripe | null;
}

export interface RadarItem {
  list: string;
  valueListId: string;
  value: string;
  itemId: string;
}

/** Stripe's default block lists (they always exist on a Stripe account; created if missing). */
const LISTS = {
  email: { alias: 'email_block_list', name: 'Blocked emails', itemType: 'email' },
  card_fingerprint: {
    alias: 'card_fingerprint_block_list',
    name: 'Blocked card fingerprints',
    itemType: 'card_fingerprint',
  },
} as const;

const BATCH = 20;

async function ensureList(stripe: Stripe, kind: keyof typeof LISTS): Promise<Stripe.Radar.ValueList> {
  const spec = LISTS[kind];
  const found = await stripe.radar.valueLists.list({ alias: spec.alias, limit: 1 });
  if (found.data[0]) return found.data[0];
  return stripe.radar.valueLists.create({ alias: spec.alias, name: spec.name, item_type: spec.itemType });
}

async function addItem(stripe: Stripe, kind: keyof typeof LISTS, value: string): Promise<RadarItem> {
  const list = await ensureList(stripe, kind);
  const existing = await stripe.radar.valueListItems.list({ value_list: list.id, value, limit: 1 });
  const item = existing.data[0] ?? (await stripe.radar.valueListItems.create({ value_list: list.id, value }));
  return { list: list.alias, valueListId: list.id, value, itemId: item.id };
}

async function cardFingerprints(deps: RadarDeps & { stripe: Stripe }, customerId: string): Promise<string[]> {
  // A payment may know its charge only through its payment intent (charge.succeeded not linked yet).
  const payments = await deps.prisma.payment.findMany({
    where: { customerId, OR: [{ chargeId: { not: null } }, { paymentIntentId: { not: null } }] },
    select: { chargeId: true, paymentIntentId: true },
    orderBy: { createdAt: 'desc' },
    take: 50,
  });
  const prints = new Set<string>();
  for (const p of payments) {
    const charges = p.chargeId
      ? [await deps.stripe.charges.retrieve(p.chargeId)]
      : (await deps.stripe.charges.list({ payment_intent: p.paymentIntentId!, limit: 10 })).data;
    for (const charge of charges) {
      const fp = charge.payment_method_details?.card?.fingerprint;
      if (fp) prints.add(fp);
    }
  }
  return [...prints];
}

async function applyBlock(deps: RadarDeps & { stripe: Stripe }, ev: BlockEvent): Promise<RadarItem[]> {
  // A block lifted before its sync ran must not put the customer on the lists afterwards.
  const lifted = await deps.prisma.blockEvent.findFirst({
    where: { customerId: ev.customerId, action: 'unblock', createdAt: { gt: ev.createdAt } },
    select: { id: true },
  });
  if (lifted) return [];
  const customer = await deps.prisma.customer.findUniqueOrThrow({ where: { id: ev.customerId } });
  const items: RadarItem[] = [];
  if (customer.email.includes('@'))
    items.push(await addItem(deps.stripe, 'email', customer.email.trim().toLowerCase()));
  for (const fp of await cardFingerprints(deps, customer.id))
    items.push(await addItem(deps.stripe, 'card_fingerprint', fp));
  return items;
}

async function applyUnblock(deps: RadarDeps & { stripe: Stripe }, ev: BlockEvent): Promise<RadarItem[]> {
  const blocks = await deps.prisma.blockEvent.findMany({
    where: { customerId: ev.customerId, action: 'block', createdAt: { lt: ev.createdAt }, radarStatus: 'done' },
  });
  const removed: RadarItem[] = [];
  for (const item of blocks.flatMap((b) => (b.radarItems as RadarItem[] | null) ?? [])) {
    if (removed.some((r) => r.itemId === item.itemId)) continue;
    try {
      await deps.stripe.radar.valueListItems.del(item.itemId);
    } catch (err) {
      // Already removed (by hand in the Dashboard, or by an earlier attempt): nothing left to do.
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
    }
    removed.push(item);
  }
  return removed;
}

/** Syncs one block event, or the oldest pending/failed ones; returns what happened to each. */
export async function syncRadarBlockList(
  deps: RadarDeps,
  input: { blockEventId?: string } = {},
): Promise<Array<{ blockEventId: string; status: 'done' | 'failed'; items: RadarItem[]; error: string | null }>> {
  const stripe = deps.stripe;
  if (!stripe) return [];
  const events = await deps.prisma.blockEvent.findMany({
    where: { radarStatus: { in: ['pending', 'failed'] }, ...(input.blockEventId ? { id: input.blockEventId } : {}) },
    orderBy: { createdAt: 'asc' },
    take: BATCH,
  });
  const results = [];
  for (const ev of events) {
    try {
      const items =
        ev.action === 'block' ? await applyBlock({ ...deps, stripe }, ev) : await applyUnblock({ ...deps, stripe }, ev);
      await deps.prisma.blockEvent.update({
        where: { id: ev.id },
        data: { radarStatus: 'done', radarItems: jsonColumn(items), radarError: null },
      });
      results.push({ blockEventId: ev.id, status: 'done' as const, items, error: null });
    } catch (err) {
      const error = `Stripe Radar: ${(err as Error).message}`;
      await deps.prisma.blockEvent.update({ where: { id: ev.id }, data: { radarStatus: 'failed', radarError: error } });
      results.push({ blockEventId: ev.id, status: 'failed' as const, items: [], error });
    }
  }
  return results;
}
