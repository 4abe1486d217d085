// One canonical shape for a catalog: what export returns and what import compares against, so
// exporting and re-importing (or importing the same file twice) changes nothing.
import type { CatalogJson, EntitlementValue } from '../../contracts/catalog.ts';
import type { CatalogRules, CreditPack, Feature, Plan } from '../../generated/prisma/client.ts';

export type PlanEntitlements = Record<string, EntitlementValue>;
type Rules = NonNullable<CatalogJson['rules']>;

const sortKeys = <T>(record: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));

/** Normalises a validated catalog: defaults filled in, lists in a stable order. */
export function canonicalCatalog(catalog: CatalogJson, currentRules: Rules): Required<CatalogJson> {
  return {
    features: [...catalog.features]
      .sort((a, b) => (a.key < b.key ? -1 : 1))
      .map((f) => ({
        key: f.key,
        name: f.name,
        type: f.type ?? 'boolean',
        ...(f.creditCost !== undefined ? { creditCost: f.creditCost } : {}),
      })),
    plans: catalog.plans.map((p) => ({
      key: p.key,
      name: p.name,
      default: p.default ?? false,
      monthlyCredits: p.monthlyCredits,
      rollover: p.rollover ?? false,
      stripePriceIds: [...p.stripePriceIds].sort(),
      entitlements: sortKeys(p.entitlements),
      ...(p.lowBalanceThreshold !== undefined ? { lowBalanceThreshold: p.lowBalanceThreshold } : {}),
      ...(p.autoTopup ? { autoTopup: p.autoTopup } : {}),
    })),
    creditPacks: catalog.creditPacks.map((p) => ({
      key: p.key,
      name: p.name,
      credits: p.credits,
      stripePriceIds: [...p.stripePriceIds].sort(),
      ...(p.expiresAfterDays != null ? { expiresAfterDays: p.expiresAfterDays } : {}),
    })),
    // Rules fields a file may leave out (grant threshold, policy texts) keep their current value.
    rules: catalog.rules
      ? {
          ...catalog.rules,
          manualGrantFinanceAbove: catalog.rules.manualGrantFinanceAbove ?? currentRules.manualGrantFinanceAbove,
          upgradeCredits: catalog.rules.upgradeCredits ?? currentRules.upgradeCredits,
          policies: catalog.rules.policies ?? currentRules.policies,
        }
      : currentRules,
  };
}

export function rulesToJson(
  rules: Pick<
    CatalogRules,
    | 'gracePeriodDays'
    | 'autoBlockDisputes'
    | 'autoBlockWindowDays'
    | 'refundApprovalAbove'
    | 'refundApprovalCurrency'
    | 'manualGrantFinanceAbove'
    | 'upgradeCredits'
    | 'refundPolicy'
    | 'cancellationPolicy'
    | 'productDescription'
  >,
): Rules {
  return {
    gracePeriodDays: rules.gracePeriodDays,
    autoBlock: { disputes: rules.autoBlockDisputes, windowDays: rules.autoBlockWindowDays },
    refundApproval: { above: rules.refundApprovalAbove, currency: rules.refundApprovalCurrency },
    manualGrantFinanceAbove: rules.manualGrantFinanceAbove,
    upgradeCredits: rules.upgradeCredits,
    policies: {
      refundPolicy: rules.refundPolicy,
      cancellationPolicy: rules.cancellationPolicy,
      productDescription: rules.productDescription,
    },
  };
}

export function rowsToCatalog(rows: {
  features: Feature[];
  plans: Array<Plan & { prices: Array<{ stripePriceId: string }> }>;
  packs: Array<CreditPack & { prices: Array<{ stripePriceId: string }> }>;
  rules: Rules;
}): Required<CatalogJson> {
  return canonicalCatalog(
    {
      features: rows.features.map((f) => ({
        key: f.key,
        name: f.name,
        type: f.type,
        ...(f.creditCost !== null ? { creditCost: f.creditCost } : {}),
      })),
      plans: rows.plans.map((p) => ({
        key: p.key,
        name: p.name,
        default: p.isDefault,
        monthlyCredits: p.monthlyCredits,
        rollover: p.rollover,
        stripePriceIds: p.prices.map((x) => x.stripePriceId),
        entitlements: planEntitlements(p),
        ...(p.lowBalanceThreshold !== null ? { lowBalanceThreshold: p.lowBalanceThreshold } : {}),
        ...(p.autoTopupThreshold !== null && p.autoTopupPackKey !== null
          ? {
              autoTopup: {
                threshold: p.autoTopupThreshold,
                pack: p.autoTopupPackKey,
                ...(p.autoTopupMonthlyCap !== null ? { monthlyCap: p.autoTopupMonthlyCap } : {}),
              },
            }
          : {}),
      })),
      creditPacks: rows.packs.map((p) => ({
        key: p.key,
        name: p.name,
        credits: p.credits,
        stripePriceIds: p.prices.map((x) => x.stripePriceId),
        expiresAfterDays: p.expiresAfterDays,
      })),
      rules: rows.rules,
    },
    rows.rules,
  );
}

/** A plan's entitlements column, read defensively: only `true` and whole numbers count. */
export function planEntitlements(plan: Pick<Plan, 'entitlements'>): PlanEntitlements {
  const raw = plan.entitlements;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const out: PlanEntitlements = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === true || (typeof value === 'number' && Number.isInteger(value) && value >= 0)) out[key] = value;
  }
  return out;
}
