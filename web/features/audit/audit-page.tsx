// The audit log: every staff mutation (and the system changes an admin asks about), newest first,
// filtered by who, what, which target or customer and when. Read-only: nothing here edits a
// record. Filters and the page (a stack of cursors) live in the URL.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { listAuditLogInput } from '../../../server/contracts/support.ts';
import { CopyId } from '@/components/copy-id';
import { DataTable } from '@/components/data-table/data-table';
import { DataTablePagination } from '@/components/data-table/data-table-pagination';
import { useFilterForm } from '@/components/data-table/use-filter-form';
import { useListParams } from '@/components/data-table/use-list-params';
import { controlProps, Field } from '@/components/field';
import { EmptyState, PageHeader } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { StaffName } from '@/components/staff-name';
import { formatUtc } from '@/lib/format';
import { jsonDiff } from '@/lib/json-diff';
import { useTRPC } from '@/lib/trpc';
import { auditColumns, type AuditRow as Row } from './audit-columns';

const FILTER_KEYS = ['actor', 'action', 'targetId', 'customerId', 'from', 'to'] as const;
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

const short = (v: unknown) => {
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
};

/** What the action changed, path by path (issue 16: a diff, not two JSON blobs). */
function Changes({ before, after }: { before: unknown; after: unknown }) {
  const changes = jsonDiff(before, after);
  return (
    <section aria-label="What changed">
      <h3 className="mb-1 text-sm font-medium">What changed</h3>
      {changes.length === 0 ? (
        <p className="text-sm text-muted-foreground">Nothing recorded as changed.</p>
      ) : (
        <ul className="flex max-h-80 flex-col gap-1 overflow-y-auto text-sm" data-testid="audit-diff">
          {changes.map((c) => (
            <li key={`${c.kind}-${c.path}`} className="grid grid-cols-[minmax(8rem,auto)_1fr] gap-2">
              <span className="font-mono text-xs break-all">{c.path}</span>
              <span className="break-words">
                {c.kind === 'added' && <span className="text-success">+ {short(c.after)}</span>}
                {c.kind === 'removed' && <span className="text-destructive line-through">{short(c.before)}</span>}
                {c.kind === 'changed' && (
                  <>
                    <span className="text-muted-foreground line-through">{short(c.before)}</span> → {short(c.after)}
                  </>
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
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
            <Changes before={row.before} after={row.after} />
            <details>
              <summary className="cursor-pointer text-sm text-muted-foreground">
                Whole record before and after (JSON)
              </summary>
              <div className="mt-2 grid grid-cols-1 gap-3 sm:grid-cols-2">
                <section aria-label="Before">
                  <h3 className="mb-1 text-sm font-medium">Before</h3>
                  <Json value={row.before} />
                </section>
                <section aria-label="After">
                  <h3 className="mb-1 text-sm font-medium">After</h3>
                  <Json value={row.after} />
                </section>
              </div>
            </details>
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}

export function AuditPage() {
  const trpc = useTRPC();
  const { filters, setFilters, pager } = useListParams(FILTER_KEYS);
  const [open, setOpen] = useState<Row | null>(null);
  const filter = (key: (typeof FILTER_KEYS)[number]) => filters[key].trim() || undefined;
  const from = dayStart(filters.from);
  const toDay = dayStart(filters.to);
  const input = {
    actor: filter('actor'),
    action: filter('action'),
    targetId: filter('targetId'),
    customerId: filter('customerId'),
    from,
    to: toDay ? new Date(toDay.getTime() + 86_400_000) : undefined,
    cursor: pager.cursor,
    limit: 50,
  };
  const log = useQuery(trpc.audit.list.queryOptions(input, { placeholderData: keepPreviousData }));
  const { form, submit, clear } = useFilterForm({
    keys: FILTER_KEYS,
    contract: listAuditLogInput,
    filters,
    apply: setFilters,
  });
  const { errors } = form.formState;
  const filtered = FILTER_KEYS.some((k) => filters[k]);
  const control = (key: (typeof FILTER_KEYS)[number]) => ({
    ...controlProps(`audit-${key}`, errors[key]),
    ...form.register(key),
  });

  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        title="Audit log"
        description="Every staff action and system change: who, when, what, before and after, why. Records cannot be edited."
      />
      <form className="flex flex-wrap items-end gap-3" noValidate onSubmit={(e) => void submit(e)}>
        {FILTERS.map(([key, label, placeholder]) => (
          <Field key={key} id={`audit-${key}`} label={label} error={errors[key]?.message}>
            <Input className="h-8 w-52" placeholder={placeholder} {...control(key)} />
          </Field>
        ))}
        <Field id="audit-from" label="From (UTC)" error={errors.from?.message}>
          <Input type="date" className="h-8" {...control('from')} />
        </Field>
        <Field id="audit-to" label="To (UTC)" error={errors.to?.message}>
          <Input type="date" className="h-8" {...control('to')} />
        </Field>
        <Button type="submit" size="sm">
          Filter
        </Button>
        {filtered && (
          <Button type="button" size="sm" variant="ghost" onClick={clear}>
            Clear
          </Button>
        )}
      </form>
      <DataTable
        label="Audit records, newest first"
        columns={auditColumns(setOpen)}
        data={log.data?.items}
        getRowId={(r) => String(r.id)}
        isPending={log.isPending}
        isFetching={log.isFetching}
        error={log.error}
        onRetry={() => void log.refetch()}
        skeletonRows={10}
        empty={
          <EmptyState title="No audit records match">
            Staff actions (grants, reprocessing, notes, refunds, catalog changes…) are recorded here as they happen.
            Loosen the filters to see more.
          </EmptyState>
        }
      />
      {log.data && <DataTablePagination pager={pager} nextCursor={log.data.nextCursor} words={['Newer', 'Older']} />}
      <RecordDialog row={open} onClose={() => setOpen(null)} />
    </div>
  );
}
