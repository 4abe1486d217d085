// The full ledger, newest first, a server page at a time (usage entries included, one per
// request). The page (a cursor stack) and the type filter live in the URL, prefixed with "l" so
// they do not collide with the other tabs' state.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { DataTable } from '@/components/data-table/data-table';
import { DataTablePagination } from '@/components/data-table/data-table-pagination';
import { DataTableSelect, DataTableToolbar } from '@/components/data-table/data-table-toolbar';
import { useListParams } from '@/components/data-table/use-list-params';
import { EmptyState } from '@/components/states';
import { formatCredits } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import { ledgerEntryTypes } from '../../../server/contracts/ledger.ts';
import { ledgerColumns } from './ledger-columns';

const PAGE_SIZE = 50;
type EntryType = (typeof ledgerEntryTypes)[number];
const TYPE_OPTIONS = ledgerEntryTypes.map((t) => [t, t.replaceAll('_', ' ')] as const);

export function LedgerTab({ customerId }: { customerId: string }) {
  const trpc = useTRPC();
  const { filters, setFilter, pager } = useListParams(['type'], { prefix: 'l' });
  const type = ledgerEntryTypes.find((t) => t === filters.type) ?? null;
  const entries = useQuery(
    trpc.ledger.entries.queryOptions(
      { customerId, cursor: pager.cursor, pageSize: PAGE_SIZE, ...(type ? { types: [type] } : {}) },
      { placeholderData: keepPreviousData },
    ),
  );

  return (
    <div className="flex flex-col gap-3">
      <DataTableToolbar className="items-end">
        <DataTableSelect<EntryType>
          id="ledger-type"
          label="Entry type"
          value={type ?? ''}
          options={TYPE_OPTIONS}
          anyLabel="All types"
          onChange={(v) => setFilter('type', v)}
        />
        {entries.data && (
          <span className="ml-auto text-sm text-muted-foreground">{formatCredits(entries.data.total)} entries</span>
        )}
      </DataTableToolbar>
      <DataTable
        label="Ledger entries"
        columns={ledgerColumns}
        data={entries.data?.items}
        getRowId={(e) => e.id.toString()}
        isPending={entries.isPending}
        isFetching={entries.isFetching}
        error={entries.error}
        onRetry={() => void entries.refetch()}
        skeletonRows={10}
        empty={
          <EmptyState title="No ledger entries">
            Entries appear with every purchase, renewal, grant, use and expiry.
          </EmptyState>
        }
      />
      {entries.data && (
        <DataTablePagination
          label="Ledger pages"
          pager={pager}
          nextCursor={entries.data.nextCursor}
          total={entries.data.total}
          pageSize={PAGE_SIZE}
        />
      )}
    </div>
  );
}
