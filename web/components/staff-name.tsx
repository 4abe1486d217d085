// A staff member by name (email on hover), from the ids ledger entries, blocks, refunds and audit
// records carry; the non-staff actors in words (web/lib/actor-words.ts). One directory query,
// shared by every row on the page.
import { useQuery } from '@tanstack/react-query';
import { nonStaffActorName } from '@/lib/actor-words';
import { useTRPC } from '@/lib/trpc';

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
  const automatic = nonStaffActorName(id, actorType);
  if (automatic) return <span title={id ?? undefined}>{automatic}</span>;
  const s = find(id);
  if (!s) return <span className="text-muted-foreground">{fallback ?? id ?? 'unknown'}</span>;
  return (
    <span title={`${s.email} (${s.role ?? 'no role'})${s.disabled ? ', disabled' : ''}`}>
      {s.name}
      {s.disabled && <span className="text-muted-foreground"> (disabled)</span>}
    </span>
  );
}
