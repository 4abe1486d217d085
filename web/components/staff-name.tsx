// A staff member by name (email on hover), from the ids ledger entries, blocks, refunds and audit
// records carry; "the auto-block rule", "the product's API key" and "Stripe" for the non-staff
// actors. One directory query, shared by every row on the page.
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/lib/trpc';

const NON_STAFF: Record<string, string> = {
  system: 'Creditdesk (automatic)',
  service: 'the product (API key)',
  stripe: 'Stripe',
  webhook: 'Stripe webhook',
};

export function useStaffNames() {
  const trpc = useTRPC();
  const dir = useQuery(trpc.system.staffDirectory.queryOptions(undefined, { staleTime: 5 * 60_000 }));
  const byId = new Map((dir.data ?? []).map((s) => [s.id, s]));
  const byEmail = new Map((dir.data ?? []).map((s) => [s.email.toLowerCase(), s]));
  return {
    /** The staff member behind an id or email, if we know them. */
    find: (idOrEmail: string | null | undefined) =>
      idOrEmail ? (byId.get(idOrEmail) ?? byEmail.get(idOrEmail.toLowerCase()) ?? null) : null,
    all: dir.data ?? [],
  };
}

export function StaffName({
  id,
  actorType,
  fallback,
}: {
  /** A staff user id or email; for other actors, their id (api key id, "system"). */
  id: string | null | undefined;
  /** The record's actor type; anything but "staff" is named by its kind. */
  actorType?: string | null;
  fallback?: string;
}) {
  const { find } = useStaffNames();
  if (actorType && actorType !== 'staff') return <span>{NON_STAFF[actorType] ?? actorType}</span>;
  if (id === 'system') return <span>{NON_STAFF.system}</span>;
  const s = find(id);
  if (!s) return <span className="text-muted-foreground">{fallback ?? id ?? 'unknown'}</span>;
  return (
    <span title={`${s.email} (${s.role ?? 'no role'})${s.disabled ? ', disabled' : ''}`}>
      {s.name}
      {s.disabled && <span className="text-muted-foreground"> (disabled)</span>}
    </span>
  );
}
