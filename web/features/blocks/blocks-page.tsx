// Blocks: who is blocked now and why (the auto-block rule or a staff member), with unblock for
// finance and admin; and the full history of blocks and unblocks. Tab and page live in the URL.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Tabs } from 'radix-ui';
import { Link, useSearchParams } from 'react-router';
import { EmptyState, ErrorState, PageHeader, SkeletonRows } from '@/components/states';
import { TimeAgo } from '@/components/time-ago';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { StaffName } from '@/components/staff-name';
import { useTRPC } from '@/lib/trpc';
import { BlockActions } from './block-actions';

const PAGE_SIZE = 25;

function Pager({
  page,
  total,
  limit,
  onPage,
}: {
  page: number;
  total: number;
  limit: number;
  onPage: (p: number) => void;
}) {
  const pages = Math.max(1, Math.ceil(total / limit));
  if (pages <= 1) return null;
  return (
    <nav aria-label="Pages" className="flex items-center justify-end gap-2 text-sm">
      <span className="text-muted-foreground">
        Page {page} of {pages}
      </span>
      <Button variant="outline" size="sm" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous
      </Button>
      <Button variant="outline" size="sm" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next
      </Button>
    </nav>
  );
}

function RadarBadge({ status, error }: { status: string | null; error: string | null }) {
  if (!status) return <span className="text-muted-foreground">—</span>;
  const tone = status === 'done' ? 'success' : status === 'failed' ? 'danger' : 'warning';
  return (
    <Badge tone={tone} title={error ?? undefined}>
      {status === 'done' ? 'synced' : status}
    </Badge>
  );
}

function BlockedNow({ page, onPage }: { page: number; onPage: (p: number) => void }) {
  const trpc = useTRPC();
  const q = useQuery(
    trpc.blocks.listBlocked.queryOptions({ page, limit: PAGE_SIZE }, { placeholderData: keepPreviousData }),
  );
  if (q.isPending) return <SkeletonRows rows={6} />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const d = q.data;
  if (!d.items.length) {
    return (
      <EmptyState title="Nobody is blocked">
        Customers are blocked by the auto-block rule (more than {d.rule.autoBlockDisputes} disputes in{' '}
        {d.rule.autoBlockWindowDays} days) or by support from the customer page.
      </EmptyState>
    );
  }
  return (
    <>
      <div className="rounded-lg border">
        <Table aria-label="Blocked customers">
          <TableHeader>
            <TableRow>
              <TableHead>Customer</TableHead>
              <TableHead>Why</TableHead>
              <TableHead>By</TableHead>
              <TableHead>Since</TableHead>
              <TableHead className="text-right">Disputes ({d.rule.autoBlockWindowDays} d)</TableHead>
              <TableHead>Radar</TableHead>
              <TableHead />
            </TableRow>
          </TableHeader>
          <TableBody>
            {d.items.map((i) => (
              <TableRow key={i.customer.id}>
                <TableCell className="max-w-56 truncate">
                  <Link to={`/customers/${i.customer.id}`} className="font-medium hover:underline">
                    {i.customer.name || i.customer.email}
                  </Link>
                </TableCell>
                <TableCell className="max-w-80 truncate" title={i.customer.blockedReason ?? undefined}>
                  {i.customer.blockedReason}
                </TableCell>
                <TableCell>{i.byRule ? <Badge tone="warning">auto-block rule</Badge> : 'staff'}</TableCell>
                <TableCell className="text-muted-foreground">
                  {i.customer.blockedAt ? <TimeAgo date={i.customer.blockedAt} /> : '—'}
                </TableCell>
                <TableCell className="text-right tabular-nums">{i.disputesInWindow}</TableCell>
                <TableCell>
                  <RadarBadge status={i.block?.radarStatus ?? null} error={i.block?.radarError ?? null} />
                </TableCell>
                <TableCell className="text-right">
                  <BlockActions customer={{ ...i.customer, status: 'blocked' }} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      <Pager page={page} total={d.total} limit={d.limit} onPage={onPage} />
    </>
  );
}

function History({ page, onPage }: { page: number; onPage: (p: number) => void }) {
  const trpc = useTRPC();
  const q = useQuery(
    trpc.blocks.history.queryOptions({ page, limit: PAGE_SIZE }, { placeholderData: keepPreviousData }),
  );
  if (q.isPending) return <SkeletonRows rows={6} />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const d = q.data;
  if (!d.items.length) return <EmptyState title="No blocks yet">Every block and unblock is listed here.</EmptyState>;
  return (
    <>
      <div className="rounded-lg border">
        <Table aria-label="Block history">
          <TableHeader>
            <TableRow>
              <TableHead>When</TableHead>
              <TableHead>Action</TableHead>
              <TableHead>Customer</TableHead>
              <TableHead>Reason</TableHead>
              <TableHead>By</TableHead>
              <TableHead>Radar</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {d.items.map((e) => (
              <TableRow key={e.id}>
                <TableCell className="text-muted-foreground">
                  <TimeAgo date={e.createdAt} />
                </TableCell>
                <TableCell>
                  <Badge tone={e.action === 'block' ? 'danger' : 'success'}>{e.action}</Badge>
                </TableCell>
                <TableCell className="max-w-56 truncate">
                  <Link to={`/customers/${e.customer.id}`} className="hover:underline">
                    {e.customer.name || e.customer.email}
                  </Link>
                </TableCell>
                <TableCell className="max-w-80 truncate" title={e.reason}>
                  {e.reason}
                </TableCell>
                <TableCell>
                  {e.actor.kind === 'rule' ? e.actor.label : <StaffName id={e.actorId} fallback={e.actor.label} />}
                </TableCell>
                <TableCell>
                  <RadarBadge status={e.radarStatus} error={e.radarError} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      <Pager page={page} total={d.total} limit={d.limit} onPage={onPage} />
    </>
  );
}

export function BlocksPage() {
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'history' ? 'history' : 'blocked';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const set = (next: { tab?: string; page?: number }) => {
    const p = new URLSearchParams();
    const t = next.tab ?? tab;
    if (t !== 'blocked') p.set('tab', t);
    if (next.page && next.page > 1) p.set('page', String(next.page));
    setParams(p, { replace: !!next.page });
  };
  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        title="Blocks"
        description="Blocked customers cannot use any feature, spend credits or buy. Support blocks with a reason; finance or admin unblocks."
      />
      <Tabs.Root value={tab} onValueChange={(t) => set({ tab: t })} className="flex flex-col gap-4">
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
          <BlockedNow page={page} onPage={(p) => set({ page: p })} />
        </Tabs.Content>
        <Tabs.Content value="history" className="flex flex-col gap-3 outline-none">
          <History page={page} onPage={(p) => set({ page: p })} />
        </Tabs.Content>
      </Tabs.Root>
    </div>
  );
}
