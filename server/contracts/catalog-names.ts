// Plans and packs by name, never by key (issue 16): one lookup shared by the server's texts
// (ledger reasons, event summaries, verdicts, evidence) and the web's pages. Plans and packs are
// separate name spaces (a plan and a pack may both be "starter"), so every lookup says which. The
// key shows only when the catalog no longer has it.

export interface CatalogNames {
  plans: Readonly<Record<string, string>>;
  packs: Readonly<Record<string, string>>;
}

export const NO_CATALOG_NAMES: CatalogNames = { plans: {}, packs: {} };

/** A plan's name, or its key when the catalog no longer has it. */
export function planName(names: CatalogNames, key: string): string {
  return names.plans[key] ?? key;
}

/** A pack's name, or its key; a purchase of several packs ("a,b") names each: "A + B". */
export function packName(names: CatalogNames, keys: string): string {
  return keys
    .split(',')
    .map((k) => names.packs[k] ?? k)
    .join(' + ');
}

/** `plan "Pro"`, `credit pack "1,000 credits"`; a key the catalog lost goes unquoted: `plan old_pro`. */
export function planWords(names: CatalogNames, key: string): string {
  return `plan ${quoted(names.plans[key], key)}`;
}

export function packWords(names: CatalogNames, keys: string): string {
  return `credit pack ${keys
    .split(',')
    .map((k) => quoted(names.packs[k], k))
    .join(' + ')}`;
}

/** What a payment bought, in words: a pack payment names its packs, a subscription payment its plan. */
export function boughtWords(names: CatalogNames, payment: { kind: string; catalogKey: string | null }): string | null {
  if (!payment.catalogKey) return null;
  return payment.kind === 'subscription' ? planWords(names, payment.catalogKey) : packWords(names, payment.catalogKey);
}

function quoted(name: string | undefined, key: string): string {
  return name === undefined ? key : `"${name}"`;
}
