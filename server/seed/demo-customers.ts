// Demo catalog and customers: the default catalog, and a few customers whose ledgers show each
// kind of lot and movement (subscription credits, a paid pack, a promo, an expired promo, usage,
// a reversal, a frozen lot). Everything goes through the same module functions as production,
// under fixed idempotency keys, so running the step again changes nothing.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Deps } from '../deps.ts';
import { PROJECT_ROOT } from '../db/migrator.ts';
import type { Actor } from '../lib/actor.ts';
import { importCatalog } from '../modules/catalog/import-catalog.ts';
import { ensureCustomer } from '../modules/customers/ensure-customer.ts';
import { setCustomerPlan } from '../modules/entitlements/set-customer-plan.ts';
import { expireLot } from '../modules/ledger/expire-lots.ts';
import { freezeLot } from '../modules/ledger/freeze-lot.ts';
import { grantCredits, type GrantCreditsInput } from '../modules/ledger/grant-credits.ts';
import { recordUsage } from '../modules/ledger/record-usage.ts';
import { reverseUsage } from '../modules/ledger/reverse-usage.ts';

export const DEFAULT_CATALOG_PATH = path.join(PROJECT_ROOT, 'prisma/catalog.default.json');

const SEED: Actor = { type: 'system', id: 'demo-seed' };
const PRODUCT: Actor = { type: 'service', id: 'demo-seed' };
const DAY = 86_400_000;

export async function seedDemoCatalog(deps: Deps): Promise<void> {
  const catalog: unknown = JSON.parse(readFileSync(DEFAULT_CATALOG_PATH, 'utf8'));
  await importCatalog(deps.prisma, catalog, SEED);
}

export async function seedDemoCustomers(deps: Deps): Promise<void> {
  const db = deps.prisma;
  // Dates are fixed at the first run: a re-run replays the same keys and must match.
  const anchor = (await db.customer.findUnique({ where: { externalId: 'demo_ada' } }))?.createdAt ?? new Date();
  const at = (days: number) => new Date(anchor.getTime() + days * DAY);

  const grant = (input: Omit<GrantCreditsInput, 'actor'>) => grantCredits(db, { actor: SEED, ...input });
  const use = (externalId: string, feature: string, key: string, metadata: Record<string, unknown> = {}) =>
    recordUsage(db, {
      externalId,
      feature,
      idempotencyKey: `demo:${key}`,
      actor: PRODUCT,
      metadata: { model: feature === 'chat' ? 'gpt-4o-mini' : 'demo-diffusion-2', operation: 'generate', ...metadata },
    });

  // Ada: Pro subscriber; this period's credits, heavy usage, one failed generation reversed.
  const ada = await ensureCustomer(db, { externalId: 'demo_ada', email: 'ada@example.com', name: 'Ada Lovelace' });
  await setCustomerPlan(db, {
    customerId: ada.id,
    planKey: 'pro',
    reason: 'Demo: Pro subscription',
    reference: 'sub_demo_ada',
  });
  await grant({
    customerId: ada.id,
    credits: 5000,
    type: 'subscription_grant',
    source: 'subscription_period',
    costBasis: 'paid',
    amountPaid: 4900,
    currency: 'eur',
    stripeReference: 'in_demo_ada_1',
    expiresAt: at(30),
    idempotencyKey: 'demo:ada:period-1',
    reason: 'Pro plan: credits for this period',
    reference: 'in_demo_ada_1',
    referenceType: 'invoice',
  });
  for (let i = 1; i <= 6; i++) {
    await use('demo_ada', 'chat', `ada:chat-${i}`, { resultReference: `conv_demo_${i}`, clientIp: '198.51.100.7' });
  }
  for (let i = 1; i <= 3; i++) {
    await use('demo_ada', 'image_generation', `ada:image-${i}`, {
      resultReference: `https://cdn.example.com/demo/ada/image-${i}.png`,
      clientIp: '198.51.100.7',
      userAgent: 'Mozilla/5.0 (Macintosh)',
    });
  }
  await use('demo_ada', 'video_generation', 'ada:video-1', {
    resultReference: 'https://cdn.example.com/demo/ada/video-1.mp4',
  });
  await use('demo_ada', 'video_generation', 'ada:video-2', { operation: 'generate (timed out)' });
  await reverseUsage(db, { idempotencyKey: 'demo:ada:video-2', reason: 'Generation timed out', actor: PRODUCT });

  // Grace: free plan with a paid pack, and a welcome promo that already expired.
  const grace = await ensureCustomer(db, {
    externalId: 'demo_grace',
    email: 'grace@example.com',
    name: 'Grace Hopper',
  });
  const welcome = await grant({
    customerId: grace.id,
    credits: 100,
    type: 'grant',
    source: 'promo',
    costBasis: 'free',
    expiresAt: at(-1),
    idempotencyKey: 'demo:grace:welcome',
    reason: 'Welcome credits (expired)',
  });
  await grant({
    customerId: grace.id,
    credits: 1000,
    type: 'purchase',
    source: 'pack_purchase',
    costBasis: 'paid',
    amountPaid: 900,
    currency: 'eur',
    stripeReference: 'cs_demo_grace_1',
    expiresAt: at(365),
    idempotencyKey: 'demo:grace:pack-1000',
    reason: 'Pack of 1,000 credits',
    reference: 'cs_demo_grace_1',
    referenceType: 'checkout_session',
  });
  await expireLot(db, { lotId: welcome.lot.id, reason: 'Welcome credits expired' });
  for (let i = 1; i <= 4; i++) await use('demo_grace', 'chat', `grace:chat-${i}`);

  // Linus: Starter subscriber whose pack is frozen by an open dispute.
  const linus = await ensureCustomer(db, { externalId: 'demo_linus', email: 'linus@example.com', name: 'Linus T.' });
  await setCustomerPlan(db, { customerId: linus.id, planKey: 'starter', reason: 'Demo: Starter subscription' });
  const pack = await grant({
    customerId: linus.id,
    credits: 10000,
    type: 'purchase',
    source: 'pack_purchase',
    costBasis: 'paid',
    amountPaid: 7900,
    currency: 'eur',
    stripeReference: 'cs_demo_linus_1',
    expiresAt: at(365),
    idempotencyKey: 'demo:linus:pack-10000',
    reason: 'Pack of 10,000 credits',
  });
  await grant({
    customerId: linus.id,
    credits: 1000,
    type: 'subscription_grant',
    source: 'subscription_period',
    costBasis: 'paid',
    amountPaid: 1500,
    currency: 'eur',
    stripeReference: 'in_demo_linus_1',
    expiresAt: at(30),
    idempotencyKey: 'demo:linus:period-1',
    reason: 'Starter plan: credits for this period',
  });
  await use('demo_linus', 'image_generation', 'linus:image-1');
  // Keyed: on a re-run the ledger answers with the original freeze before looking at the lot.
  await freezeLot(db, {
    lotId: pack.lot.id,
    idempotencyKey: 'demo:linus:freeze',
    reason: 'Demo: dispute opened on the pack payment',
    actor: SEED,
    reference: 'dp_demo_linus',
    referenceType: 'dispute',
  });

  // Mo: just signed up through the product, nothing else yet.
  await ensureCustomer(db, { externalId: 'demo_mo', email: 'mo@example.com', name: 'Mo Newcomer' });
}
