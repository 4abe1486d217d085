// Who can lift a block, by name, for someone who cannot: the finance and admin staff members who
// are not disabled, and what they press. Replaces a link to a page whose Unblock button would be
// disabled for them too (issue 16).
import { useStaffNames } from '@/components/staff-name';

function list(names: string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

export function WhoCanUnblock({ where, compact = false }: { where: 'customer' | 'blocks'; compact?: boolean }) {
  const { all } = useStaffNames();
  const people = all.filter((s) => !s.disabled && (s.role === 'finance' || s.role === 'admin'));
  if (compact) {
    // A table cell or a page header: who, in a line; the email is on hover.
    return (
      <span data-testid="who-can-unblock" className="text-xs text-muted-foreground">
        {/* "Unblocked by …" read as if it already had been: say who can, and that it is not you. */}
        Only finance or admin can unblock
        {people.length ? (
          <>
            :{' '}
            {people.map((p, i) => (
              <span key={p.id} title={p.email}>
                {i > 0 ? ', ' : ''}
                {p.name}
              </span>
            ))}
          </>
        ) : null}
      </span>
    );
  }
  const how =
    where === 'customer'
      ? 'to open this customer and press “Unblock the customer”'
      : 'to press “Unblock” on this row (or on the customer’s page)';
  return (
    <span data-testid="who-can-unblock" className="text-sm text-muted-foreground">
      Unblocking needs the finance or admin role.{' '}
      {people.length ? (
        <>
          Ask {list(people.map((p) => `${p.name} (${p.email})`))} {how}; they give a reason, which is audited.
        </>
      ) : (
        <>No active finance or admin member exists: an admin must be added in Settings → Staff first.</>
      )}
    </span>
  );
}
