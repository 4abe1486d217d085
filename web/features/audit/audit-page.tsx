// The audit log: every staff mutation (and the system changes an admin asks about), newest first,
// filtered by who, what, which target or customer and when. Read-only: nothing here edits a
// record. Filters and the page (a stack of cursors) live in the URL.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { CopyId } from '@/components/copy-id';
import { EmptyState, ErrorState, PageHeader, SkeletonRows } from '@/components/states';
import { TimeAgo } from '@/components/time-ago';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { StaffName } from '@/components/staff-name';
import { formatUtc } from '@/lib/format';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';

type Row = RouterOutputs['audit']['list']['items'][number];
const FILTERS = [
  ['actor', 'Who', 'email, staff id, system, stripe'],
  ['action', 'Action', 'e.g. ledger. or stripe_event.reprocess'],
  ['targetId', 'Target id', 'evt_…, entry id, sub_…'],
  ['customerId', 'Customer id', 'Creditdesk customer id'],
] as const;

function dayStart(value: string | null): Date | undefined {
  return value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : undefined;
}

function Json({ value }: { value: unknown }) {
  if (value == null) return <p className="text-sm text-muted-foreground">—</p>;
  return (
    <pre className="max-h-64 overflow-auto rounded-md border bg-muted/50 p-2 font-mono text-xs" tabIndex={0}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

function RecordDialog({ row, onClose }: { row: Row | null; onClose: () => void }) {
  return (
    <Dialog open={!!row} onOpenChange={(o) => !o && onClose()}>
      <DialogContent className="sm:max-w-2xl">
        {row && (
          <>
            <DialogHeader>
              <DialogTitle className="font-mono">{row.action}</DialogTitle>
              <DialogDescription>
                {formatUtc(row.createdAt)} by{' '}
                <StaffName id={row.actorId ?? row.actorEmail} fallback={row.actorEmail ?? undefined} />
                {row.actorRole ? ` (${row.actorRole})` : ''}
                {row.ip ? ` from ${row.ip}` : ''}
              </DialogDescription>
            </DialogHeader>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
              <dt className="text-muted-foreground">Target</dt>
              <dd className="flex items-center gap-2">
                {row.targetType} {row.targetId && <CopyId value={row.targetId} />}
              </dd>
              <dt className="text-muted-foreground">Reason</dt>
              <dd>{row.reason ?? '—'}</dd>
              <dt className="text-muted-foreground">Record</dt>
              <dd className="font-mono text-xs">#{row.id}</dd>
            </dl>
            <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
              <section aria-label="Before">
                <h3 className="mb-1 text-sm font-medium">Before</h3>
                <Json value={row.before} />
              </section>
              <section aria-label="After">
                <h3 className="mb-1 text-sm font-medium">After</h3>
                <Json value={row.after} />
              </section>
            </div>
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}

export function AuditPage() {
  const trpc = useTRPC();
  const [params, setParams] = useSearchParams();
  const [open, setOpen] = useState<Row | null>(null);
  const stack = (params.get('after') ?? '').split(',').filter(Boolean);
  const filter = (key: string) => params.get(key)?.trim() || undefined;
  const from = dayStart(params.get('from'));
  const toDay = dayStart(params.get('to'));
  const input = {
    actor: filter('actor'),
    action: filter('action'),
    targetId: filter('targetId'),
    customerId: filter('customerId'),
    from,
    to: toDay ? new Date(toDay.getTime() + 86_400_000) : undefined,
    cursor: stack.at(-1) ?? null,
    limit: 50,
  };
  const log = useQuery(trpc.audit.list.queryOptions(input, { placeholderData: keepPreviousData }));
  const [draft, setDraft] = useState(() =>
    Object.fromEntries(
      ['actor', 'action', 'targetId', 'customerId', 'from', 'to'].map((k) => [k, params.get(k) ?? '']),
    ),
  );

  const apply = () => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(draft)) if (v.trim()) p.set(k, v.trim());
    setParams(p);
  };
  const page = (next: string[]) => {
    const p = new URLSearchParams(params);
    if (next.length) p.set('after', next.join(','));
    else p.delete('after');
    setParams(p);
  };

  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        title="Audit log"
        description="Every staff action and system change: who, when, what, before and after, why. Records cannot be edited."
      />
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          apply();
        }}
      >
        {FILTERS.map(([key, label, placeholder]) => (
          <div key={key} className="flex flex-col gap-1">
            <Label htmlFor={`audit-${key}`}>{label}</Label>
            <Input
              id={`audit-${key}`}
              className="h-8 w-52"
              placeholder={placeholder}
              value={draft[key] ?? ''}
              onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
            />
          </div>
        ))}
        <div className="flex flex-col gap-1">
          <Label htmlFor="audit-from">From (UTC)</Label>
          <Input
            id="audit-from"
            type="date"
            className="h-8"
            value={draft.from ?? ''}
            onChange={(e) => setDraft({ ...draft, from: e.target.value })}
          />
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="audit-to">To (UTC)</Label>
          <Input
            id="audit-to"
            type="date"
            className="h-8"
            value={draft.to ?? ''}
            onChange={(e) => setDraft({ ...draft, to: e.target.value })}
          />
        </div>
        <Button type="submit" size="sm">
          Filter
        </Button>
        {[...params.keys()].length > 0 && (
          <Button
            type="button"
            size="sm"
            variant="ghost"
            onClick={() => {
              setDraft({});
              setParams({});
            }}
          >
            Clear
          </Button>
        )}
      </form>
      {log.isPending && <SkeletonRows rows={10} />}
      {log.isError && <ErrorState error={log.error} onRetry={() => void log.refetch()} />}
      {log.data &&
        (log.data.items.length === 0 ? (
          <EmptyState title="No audit records match">
            Staff actions (grants, reprocessing, notes, refunds, catalog changes…) are recorded here as they happen.
            Loosen the filters to see more.
          </EmptyState>
        ) : (
          <div className="rounded-lg border" aria-busy={log.isFetching}>
            <Table aria-label="Audit records, newest first">
              <TableHeader>
                <TableRow>
                  <TableHead>When</TableHead>
                  <TableHead>Who (IP)</TableHead>
                  <TableHead>Action</TableHead>
                  <TableHead>Target</TableHead>
                  <TableHead>Customer</TableHead>
                  <TableHead>Reason</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {log.data.items.map((r) => (
                  <TableRow key={r.id}>
                    <TableCell>
                      <TimeAgo date={r.createdAt} />
                    </TableCell>
                    <TableCell>
                      <span className="flex items-center gap-1.5">
                        <span className="block max-w-40 truncate">
                          <StaffName id={r.actorId ?? r.actorEmail} fallback={r.actorEmail ?? undefined} />
                        </span>
                        {r.actorRole && <Badge tone="outline">{r.actorRole}</Badge>}
                      </span>
                      {/* The IP under the person, not a column of its own: the table then fits its box. */}
                      {r.ip && <span className="block font-mono text-xs text-muted-foreground">{r.ip}</span>}
                    </TableCell>
                    <TableCell>
                      <button
                        type="button"
                        className="max-w-44 text-left font-mono text-xs whitespace-normal [overflow-wrap:anywhere] outline-none hover:underline focus-visible:ring-2 focus-visible:ring-ring"
                        onClick={() => setOpen(r)}
                      >
                        {r.action}
                      </button>
                    </TableCell>
                    <TableCell className="text-xs">
                      <span className="block text-muted-foreground">{r.targetType}</span>
                      {r.targetId && <CopyId value={r.targetId} className="max-w-40" />}
                    </TableCell>
                    <TableCell>
                      {r.customer ? (
                        <Link
                          className="block max-w-40 truncate hover:underline"
                          title={r.customer.email || r.customer.externalId}
                          to={`/customers/${r.customer.id}?tab=timeline&kinds=audit`}
                        >
                          {r.customer.email || r.customer.externalId}
                        </Link>
                      ) : (
                        '—'
                      )}
                    </TableCell>
                    <TableCell>
                      {/* Wraps (two lines at most) so the table fits its box; a cell's own max-width would not bind. */}
                      <span className="line-clamp-2 max-w-72 min-w-36 whitespace-normal" title={r.reason ?? undefined}>
                        {r.reason ?? '—'}
                      </span>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        ))}
      {log.data && (stack.length > 0 || log.data.nextCursor) && (
        <nav aria-label="Pages" className="flex items-center justify-end gap-2 text-sm">
          <span className="text-muted-foreground">Page {stack.length + 1}</span>
          <Button size="sm" variant="outline" disabled={!stack.length} onClick={() => page(stack.slice(0, -1))}>
            Newer
          </Button>
          <Button
            size="sm"
            variant="outline"
            disabled={!log.data.nextCursor}
            onClick={() => log.data?.nextCursor && page([...stack, log.data.nextCursor])}
          >
            Older
          </Button>
        </nav>
      )}
      <RecordDialog row={open} onClose={() => setOpen(null)} />
    </div>
  );
}
