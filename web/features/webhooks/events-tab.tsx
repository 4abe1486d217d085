// Every stored Stripe event, newest first, filtered by status, type, customer, id and date (all in
// the URL), a server page at a time. Support and admin select events to dry-run and reprocess.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { RowSelectionState } from '@tanstack/react-table';
import { useState } from 'react';
import { EVENT_STATUSES } from '../../../server/contracts/statuses.ts';
import { searchEventsInput } from '../../../server/contracts/webhooks-admin.ts';
import { useStaff } from '@/app/session';
import { DataTable } from '@/components/data-table/data-table';
import { DataTablePagination } from '@/components/data-table/data-table-pagination';
import { useFilterForm } from '@/components/data-table/use-filter-form';
import { useListParams } from '@/components/data-table/use-list-params';
import { controlProps, Field } from '@/components/field';
import { EmptyState } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/native-select';
import { formatCredits } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import { eventColumns } from './event-columns';
import { ReprocessDialog } from './reprocess-dialog';

const FILTER_KEYS = ['status', 'type', 'customer', 'q', 'from', 'to'] as const;
/** The form's fields, as the contract names them (the URL says `q` for `search`). */
const FORM_KEYS = ['status', 'type', 'customer', 'search', 'from', 'to'] as const;
type FormKey = (typeof FORM_KEYS)[number];
const PAGE_SIZES = [25, 50, 100];

function day(value: string | null): Date | undefined {
  return value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : undefined;
}

export function EventsTab() {
  const trpc = useTRPC();
  const me = useStaff();
  const { filters, setFilters, pager } = useListParams([...FILTER_KEYS, 'size']);
  const pageSize = PAGE_SIZES.includes(Number(filters.size)) ? Number(filters.size) : 50;
  const status = EVENT_STATUSES.find((s) => s === filters.status);
  const to = day(filters.to);
  const input = {
    status,
    type: filters.type || undefined,
    customer: filters.customer || undefined,
    search: filters.q || undefined,
    from: day(filters.from),
    to: to ? new Date(to.getTime() + 86_400_000) : undefined,
    cursor: pager.cursor,
    pageSize,
  };
  const events = useQuery(trpc.webhooksAdmin.events.queryOptions(input, { placeholderData: keepPreviousData }));
  const types = useQuery(trpc.webhooksAdmin.eventTypes.queryOptions());
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  const selected = Object.keys(rowSelection).filter((id) => rowSelection[id]);
  const [reprocess, setReprocess] = useState<string[] | null>(null);
  const canReprocess = me.role !== 'finance';

  // A new filter is a new list: the selection of the old one is dropped.
  const { form, submit, clear } = useFilterForm({
    keys: FORM_KEYS,
    contract: searchEventsInput,
    filters: { ...filters, search: filters.q },
    apply: ({ search, ...rest }) => {
      setFilters({ ...rest, q: search });
      setRowSelection({});
    },
  });
  const { errors } = form.formState;
  const field = (key: FormKey) => ({ ...controlProps(`events-${key}`, errors[key]), ...form.register(key) });

  const total = events.data?.total ?? 0;

  return (
    <div className="flex flex-col gap-3">
      <form
        className="flex flex-wrap items-end gap-3"
        aria-label="Filter events"
        noValidate
        onSubmit={(e) => void submit(e)}
      >
        <Field id="events-status" label="Status" error={errors.status?.message}>
          <NativeSelect {...field('status')}>
            <option value="">any</option>
            {EVENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </NativeSelect>
        </Field>
        <Field id="events-type" label="Type" error={errors.type?.message}>
          <Input {...field('type')} className="h-8 w-60" list="event-types" placeholder="invoice.paid, or invoice." />
          <datalist id="event-types">
            {types.data?.map((t) => (
              <option key={t.type} value={t.type}>
                {formatCredits(t.events)} stored
              </option>
            ))}
          </datalist>
        </Field>
        <Field id="events-customer" label="Customer" error={errors.customer?.message}>
          <Input {...field('customer')} className="h-8 w-56" placeholder="email, user id, cus_…" />
        </Field>
        <Field id="events-search" label="Event or object id" error={errors.search?.message}>
          <Input {...field('search')} className="h-8 w-52 font-mono text-xs" placeholder="evt_…, cs_…, in_…" />
        </Field>
        <Field id="events-from" label="Created from (UTC)" error={errors.from?.message}>
          <Input {...field('from')} type="date" className="h-8" />
        </Field>
        <Field id="events-to" label="to (UTC)" error={errors.to?.message}>
          <Input {...field('to')} type="date" className="h-8" />
        </Field>
        <Button type="submit" size="sm">
          Apply
        </Button>
        <Button type="button" size="sm" variant="ghost" onClick={clear}>
          Clear
        </Button>
      </form>
      {events.data?.customers && events.data.customers.length === 0 && (
        <p role="status" className="text-sm text-warning">
          No customer matches “{filters.customer}”.
        </p>
      )}

      {canReprocess && selected.length > 0 && (
        <div
          role="toolbar"
          aria-label="Selected events"
          className="flex flex-wrap items-center gap-2 rounded-md border bg-muted/40 px-3 py-2 text-sm"
        >
          <span>{formatCredits(selected.length)} selected</span>
          <Button size="sm" onClick={() => setReprocess(selected)}>
            Dry run and reprocess {formatCredits(selected.length)}
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setRowSelection({})}>
            Clear selection
          </Button>
        </div>
      )}

      <DataTable
        label="Stripe events"
        columns={eventColumns(canReprocess)}
        data={events.data?.items}
        getRowId={(e) => e.id}
        isPending={events.isPending}
        isFetching={events.isFetching}
        error={events.error}
        onRetry={() => void events.refetch()}
        skeletonRows={10}
        rowSelection={rowSelection}
        onRowSelectionChange={canReprocess ? setRowSelection : undefined}
        empty={
          <EmptyState title="No events match">
            Stripe events appear here as they arrive at /api/stripe/webhook (and from reconciliation). Clear the filters
            to see them all.
          </EmptyState>
        }
      />
      {events.data && total > 0 && (
        <DataTablePagination
          label="Event pages"
          pager={pager}
          nextCursor={events.data.nextCursor}
          total={total}
          pageSize={pageSize}
        >
          <span className="text-muted-foreground tabular-nums">· {formatCredits(total)} events</span>
          <NativeSelect
            aria-label="Events per page"
            value={String(pageSize)}
            onChange={(e) => setFilters({ size: e.target.value })}
          >
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n} per page
              </option>
            ))}
          </NativeSelect>
        </DataTablePagination>
      )}
      <ReprocessDialog
        eventIds={reprocess ?? []}
        open={!!reprocess}
        onOpenChange={(o) => {
          if (!o) {
            setReprocess(null);
            setRowSelection({});
          }
        }}
      />
    </div>
  );
}
