// Plans and packs by name, never by key (issue 16): one names query shared by every row on the
// page; the words come from contracts/catalog-names.ts, as in the server's texts. While the names
// load, or when the catalog no longer has a key, the key shows.
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/lib/trpc';
import { NO_CATALOG_NAMES, boughtWords, planName, type CatalogNames } from '../../server/contracts/catalog-names.ts';

function useCatalogNames(): CatalogNames {
  const trpc = useTRPC();
  const names = useQuery(trpc.system.catalogNames.queryOptions(undefined, { staleTime: 5 * 60_000 }));
  return names.data ?? NO_CATALOG_NAMES;
}

/** What a payment bought: `credit pack "1,000 credits"`, `plan "Pro"`. */
export function Bought({ kind, catalogKey, fallback }: { kind: string; catalogKey: string | null; fallback?: string }) {
  const names = useCatalogNames();
  return <>{boughtWords(names, { kind, catalogKey }) ?? fallback ?? ''}</>;
}

/** A plan by its name. */
export function PlanName({ planKey }: { planKey: string }) {
  const names = useCatalogNames();
  return <>{planName(names, planKey)}</>;
}
