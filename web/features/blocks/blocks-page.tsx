// Blocks: who is blocked now and why (the auto-block rule or a staff member), with unblock for
// finance and admin; and the full history of blocks and unblocks. Tab and page live in the URL.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Tabs } from 'radix-ui';
import { useSearchParams } from 'react-router';
import { DataTable } from '@/components/data-table/data-table';
import { DataTablePagination } from '@/components/data-table/data-table-pagination';
import { useListParams } from '@/components/data-table/use-list-params';
import { EmptyState, PageHeader } from '@/components/states';
import { useTRPC } from '@/lib/trpc';
import { blockedColumns, historyColumns } from './block-columns';

const PAGE_SIZE = 25;

function BlockedNow() {
  const trpc = useTRPC();
  const { pager } = useListParams([]);
  const q = useQuery(
    trpc.blocks.listBlocked.queryOptions(
      { cursor: pager.cursor, limit: PAGE_SIZE },
      { placeholderData: keepPreviousData },
    ),
  );
  const d = q.data;
  return (
    <>
      <DataTable
        label="Blocked customers"
        columns={blockedColumns(d?.rule.autoBlockWindowDays ?? 0)}
        data={d?.items}
        getRowId={(i) => i.customer.id}
        isPending={q.isPending}
        isFetching={q.isFetching}
        error={q.error}
        onRetry={() => void q.refetch()}
        empty={
          d && (
            <EmptyState title="Nobody is blocked">
              Customers are blocked by the auto-block rule (more than {d.rule.autoBlockDisputes} disputes in{' '}
              {d.rule.autoBlockWindowDays} days) or by support from the customer page.
            </EmptyState>
          )
        }
      />
      {d && <DataTablePagination pager={pager} nextCursor={d.nextCursor} total={d.total} pageSize={PAGE_SIZE} />}
    </>
  );
}

function History() {
  const trpc = useTRPC();
  const { pager } = useListParams([]);
  const q = useQuery(
    trpc.blocks.history.queryOptions({ cursor: pager.cursor, limit: PAGE_SIZE }, { placeholderData: keepPreviousData }),
  );
  const d = q.data;
  return (
    <>
      <DataTable
        label="Block history"
        columns={historyColumns}
        data={d?.items}
        getRowId={(e) => e.id}
        isPending={q.isPending}
        isFetching={q.isFetching}
        error={q.error}
        onRetry={() => void q.refetch()}
        empty={<EmptyState title="No blocks yet">Every block and unblock is listed here.</EmptyState>}
      />
      {d && <DataTablePagination pager={pager} nextCursor={d.nextCursor} total={d.total} pageSize={PAGE_SIZE} />}
    </>
  );
}

export function BlocksPage() {
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'history' ? 'history' : 'blocked';
  // Each tab pages its own list: switching tabs starts at the first page.
  const setTab = (t: string) => setParams(t === 'blocked' ? {} : { tab: t });
  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        title="Blocks"
        description="Blocked customers cannot use any feature, spend credits or buy. Support blocks with a reason; finance or admin unblocks."
      />
      <Tabs.Root value={tab} onValueChange={setTab} className="flex flex-col gap-4">
        <Tabs.List aria-label="Blocks" className="flex gap-1 border-b">
          {[
            ['blocked', 'Blocked now'],
            ['history', 'History'],
          ].map(([key, label]) => (
            <Tabs.Trigger
              key={key}
              value={key!}
              className="-mb-px border-b-2 border-transparent px-3 py-2 text-sm text-muted-foreground outline-none hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring data-[state=active]:border-foreground data-[state=active]:font-medium data-[state=active]:text-foreground"
            >
              {label}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        <Tabs.Content value="blocked" className="flex flex-col gap-3 outline-none">
          <BlockedNow />
        </Tabs.Content>
        <Tabs.Content value="history" className="flex flex-col gap-3 outline-none">
          <History />
        </Tabs.Content>
      </Tabs.Root>
    </div>
  );
}
