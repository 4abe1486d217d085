// The catalog being edited in the admin screens, and its way back to the JSON file format. The
// draft keeps what the admin typed (a number field may hold "" or "1.5") so the server can name
// the exact problem at the exact path; `toCatalogJson` keeps list order, so the server's paths
// ("plans[2].monthlyCredits") point at the row on screen.
import type { CatalogJson, CatalogProblem, EntitlementValue } from '../../../server/contracts/catalog.ts';
import { minorToMajorText, parseMajorAmount } from '../../../server/contracts/money.ts';

/** What a number field holds: a number, or the text typed when it is not a whole number (yet). */
export type NumberText = number | string | null;

export interface DraftFeature {
  key: string;
  name: string;
  type: 'boolean' | 'limit';
  creditCost: NumberText;
}

export interface DraftPlan {
  key: string;
  name: string;
  default: boolean;
  monthlyCredits: NumberText;
  rollover: boolean;
  stripePriceIds: string[];
  entitlements: Record<string, EntitlementValue>;
}

export interface DraftPack {
  key: string;
  name: string;
  credits: NumberText;
  stripePriceIds: string[];
  expiresAfterDays: NumberText;
}

export interface DraftRules {
  gracePeriodDays: NumberText;
  autoBlockDisputes: NumberText;
  autoBlockWindowDays: NumberText;
  /** Minor units (cents). */
  refundApprovalAbove: NumberText;
  refundApprovalCurrency: string;
  manualGrantFinanceAbove: NumberText;
  /** Paid mid-period upgrades grant the prorated difference of the period's credits. */
  upgradeCredits: boolean;
  refundPolicy: string;
  cancellationPolicy: string;
  productDescription: string;
}

export interface Draft {
  features: DraftFeature[];
  plans: DraftPlan[];
  creditPacks: DraftPack[];
  rules: DraftRules;
}

/** A field's text as the number the file wants, or the text itself for the server to explain. */
export function parseNumberText(text: string): NumberText {
  const t = text.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

export function numberTextToString(value: NumberText): string {
  return value === null ? '' : String(value);
}

/** Accepts whatever was loaded (a saved catalog or a file) as long as its lists are lists. */
export function toDraft(catalog: CatalogJson | Required<CatalogJson>): Draft {
  const rules = catalog.rules;
  return {
    // A loaded file may miss fields: empty text lets the server name the problem on that field.
    features: catalog.features.map((f) => ({
      key: f.key ?? '',
      name: f.name ?? '',
      type: f.type ?? 'boolean',
      creditCost: f.creditCost ?? null,
    })),
    plans: catalog.plans.map((p) => ({
      key: p.key ?? '',
      name: p.name ?? '',
      default: p.default ?? false,
      monthlyCredits: p.monthlyCredits ?? null,
      rollover: p.rollover ?? false,
      stripePriceIds: [...p.stripePriceIds],
      entitlements: { ...p.entitlements },
    })),
    creditPacks: catalog.creditPacks.map((p) => ({
      key: p.key ?? '',
      name: p.name ?? '',
      credits: p.credits ?? null,
      stripePriceIds: [...p.stripePriceIds],
      expiresAfterDays: p.expiresAfterDays ?? null,
    })),
    rules: {
      gracePeriodDays: rules?.gracePeriodDays ?? 3,
      autoBlockDisputes: rules?.autoBlock.disputes ?? 3,
      autoBlockWindowDays: rules?.autoBlock.windowDays ?? 180,
      refundApprovalAbove: rules?.refundApproval.above ?? 10000,
      refundApprovalCurrency: rules?.refundApproval.currency ?? 'eur',
      manualGrantFinanceAbove: rules?.manualGrantFinanceAbove ?? 1000,
      upgradeCredits: rules?.upgradeCredits ?? true,
      refundPolicy: rules?.policies?.refundPolicy ?? '',
      cancellationPolicy: rules?.policies?.cancellationPolicy ?? '',
      productDescription: rules?.policies?.productDescription ?? '',
    },
  };
}

/** True when a parsed file has the lists the editor needs (field problems are the server's job). */
export function isLoadable(value: unknown): value is CatalogJson {
  const v = value as Partial<Record<string, unknown>> | null;
  return (
    !!v &&
    typeof v === 'object' &&
    Array.isArray(v.features) &&
    Array.isArray(v.plans) &&
    Array.isArray(v.creditPacks) &&
    [...(v.features as unknown[]), ...(v.plans as unknown[]), ...(v.creditPacks as unknown[])].every(
      (x) => !!x && typeof x === 'object',
    ) &&
    (v.plans as Array<Record<string, unknown>>).every(
      (p) => Array.isArray(p.stripePriceIds) && !!p.entitlements && typeof p.entitlements === 'object',
    ) &&
    (v.creditPacks as Array<Record<string, unknown>>).every((p) => Array.isArray(p.stripePriceIds))
  );
}

/** The draft in the catalog file format (what the CLI imports and the export writes). */
export function toCatalogJson(draft: Draft): unknown {
  const r = draft.rules;
  return {
    features: draft.features.map((f) => ({
      key: f.key,
      name: f.name,
      type: f.type,
      ...(f.creditCost === null ? {} : { creditCost: f.creditCost }),
    })),
    plans: draft.plans.map((p) => ({
      key: p.key,
      name: p.name,
      default: p.default,
      monthlyCredits: p.monthlyCredits,
      rollover: p.rollover,
      stripePriceIds: p.stripePriceIds,
      entitlements: p.entitlements,
    })),
    creditPacks: draft.creditPacks.map((p) => ({
      key: p.key,
      name: p.name,
      credits: p.credits,
      stripePriceIds: p.stripePriceIds,
      expiresAfterDays: p.expiresAfterDays,
    })),
    rules: {
      gracePeriodDays: r.gracePeriodDays,
      autoBlock: { disputes: r.autoBlockDisputes, windowDays: r.autoBlockWindowDays },
      refundApproval: { above: r.refundApprovalAbove, currency: r.refundApprovalCurrency },
      manualGrantFinanceAbove: r.manualGrantFinanceAbove,
      upgradeCredits: r.upgradeCredits,
      policies: {
        refundPolicy: r.refundPolicy,
        cancellationPolicy: r.cancellationPolicy,
        productDescription: r.productDescription,
      },
    },
  };
}

/** Where each rules field sits in the file, for matching the server's problem paths. */
export const RULE_PATHS: Record<keyof DraftRules, string> = {
  gracePeriodDays: 'rules.gracePeriodDays',
  autoBlockDisputes: 'rules.autoBlock.disputes',
  autoBlockWindowDays: 'rules.autoBlock.windowDays',
  refundApprovalAbove: 'rules.refundApproval.above',
  refundApprovalCurrency: 'rules.refundApproval.currency',
  manualGrantFinanceAbove: 'rules.manualGrantFinanceAbove',
  upgradeCredits: 'rules.upgradeCredits',
  refundPolicy: 'rules.policies.refundPolicy',
  cancellationPolicy: 'rules.policies.cancellationPolicy',
  productDescription: 'rules.policies.productDescription',
};

export type CatalogTab = 'features' | 'plans' | 'packs' | 'rules';

/** The screen a problem path belongs to. */
export function tabOfPath(path: string): CatalogTab | null {
  if (path.startsWith('features')) return 'features';
  if (path.startsWith('plans')) return 'plans';
  if (path.startsWith('creditPacks')) return 'packs';
  if (path.startsWith('rules')) return 'rules';
  return null;
}

/** A DOM id for the control that edits `path` (problems link to it). */
export function fieldId(path: string): string {
  return `cf-${path.replace(/[^A-Za-z0-9_]+/g, '-')}`;
}

export class ProblemIndex {
  private readonly byPath = new Map<string, string[]>();
  constructor(readonly all: CatalogProblem[]) {
    for (const p of all) this.byPath.set(p.path, [...(this.byPath.get(p.path) ?? []), p.message]);
  }
  /** Problems exactly at `path`. */
  at(path: string): string[] {
    return this.byPath.get(path) ?? [];
  }
  /** Problems at `path` or inside it ("plans[1].stripePriceIds" also gets "...stripePriceIds[0]"). */
  under(path: string): string[] {
    return this.all
      .filter((p) => p.path === path || p.path.startsWith(`${path}.`) || p.path.startsWith(`${path}[`))
      .map((p) => (p.path === path ? p.message : `${p.path.slice(path.length).replace(/^\./, '')}: ${p.message}`));
  }
  count(prefix: string): number {
    return this.all.filter((p) => p.path.startsWith(prefix)).length;
  }
}

/** "100.50" (or "100,50") in EUR -> 10050, integer minor units; the text itself when it is no amount. */
export function majorToMinor(text: string, currency: string): NumberText {
  const t = text.trim();
  if (t === '') return null;
  return parseMajorAmount(t, currency) ?? t;
}

export function minorToMajor(value: NumberText, currency: string): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  return minorToMajorText(value, currency);
}

export function emptyPlan(draft: Draft): DraftPlan {
  let n = draft.plans.length + 1;
  while (draft.plans.some((p) => p.key === `plan_${n}`)) n += 1;
  return {
    key: `plan_${n}`,
    name: '',
    default: false,
    monthlyCredits: 0,
    rollover: false,
    stripePriceIds: [],
    entitlements: {},
  };
}

export function emptyPack(draft: Draft): DraftPack {
  let n = draft.creditPacks.length + 1;
  while (draft.creditPacks.some((p) => p.key === `pack_${n}`)) n += 1;
  return { key: `pack_${n}`, name: '', credits: null, stripePriceIds: [], expiresAfterDays: 365 };
}

export function emptyFeature(draft: Draft): DraftFeature {
  let n = draft.features.length + 1;
  while (draft.features.some((f) => f.key === `feature_${n}`)) n += 1;
  return { key: `feature_${n}`, name: '', type: 'boolean', creditCost: null };
}
