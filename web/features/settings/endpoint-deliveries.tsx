// The delivery log of one endpoint: newest first, filter by status, event type or an event /
// customer id, resend any event (delivered or not). Filters and the page live in the URL
// (`deliveries.status`, `deliveries.type`, `deliveries.q`, `deliveries.after`) so a link shows the
// same log. Refreshes every few seconds while open so a test event shows up.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { toast } from 'sonner';
import { outboundEventTypes, subscribableEventTypes } from '../../../server/contracts/outbound.ts';
import { isOneOf, OUTBOUND_DELIVERY_STATUSES } from '../../../server/contracts/statuses.ts';
import { statusLabel } from '../../../server/contracts/status-words.ts';
import { DataTablePagination } from '@/components/data-table/data-table-pagination';
import { useListParams } from '@/components/data-table/use-list-params';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/states';
import { StatusBadge } from '@/components/status-badge';
import { TimeAgo } from '@/components/time-ago';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/native-select';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { toastError } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';

const PAGE_SIZE = 50;

export function EndpointDeliveries({ endpointId }: { endpointId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { filters, setFilter, pager } = useListParams(['status', 'type', 'q'] as const, { prefix: 'deliveries.' });
  const status = isOneOf(OUTBOUND_DELIVERY_STATUSES, filters.status) ? filters.status : '';
  const eventType = (outboundEventTypes as readonly string[]).includes(filters.type) ? filters.type : '';
  const input = {
    endpointId,
    limit: PAGE_SIZE,
    ...(status ? { status } : {}),
    ...(eventType ? { eventType: eventType as (typeof outboundEventTypes)[number] } : {}),
    ...(filters.q.trim() ? { search: filters.q.trim() } : {}),
    ...(pager.cursor ? { cursor: pager.cursor } : {}),
  };
  const deliveries = useQuery({ ...trpc.outbound.deliveries.queryOptions(input), refetchInterval: 3000 });
  const resend = useMutation(
    trpc.outbound.resend.mutationOptions({
      onSuccess: async () => {
        toast.success('Queued: it goes out within a few seconds');
        await queryClient.invalidateQueries(trpc.outbound.deliveries.pathFilter());
      },
      onError: (err) => toastError(err),
    }),
  );
  return (
    <section aria-label="Delivery log" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <NativeSelect aria-label="Status" value={status} onChange={(e) => setFilter('status', e.target.value)}>
          <option value="">Any status</option>
          {OUTBOUND_DELIVERY_STATUSES.map((s) => (
            <option key={s} value={s}>
              {statusLabel('delivery', s)}
            </option>
          ))}
        </NativeSelect>
        <NativeSelect aria-label="Event type" value={eventType} onChange={(e) => setFilter('type', e.target.value)}>
          <option value="">Any event</option>
          {[...subscribableEventTypes, 'endpoint.test'].map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </NativeSelect>
        <Input
          aria-label="Event or customer id"
          placeholder="evt_cd_… or customer id"
          className="w-64"
          value={filters.q}
          onChange={(e) => setFilter('q', e.target.value)}
        />
      </div>
      {deliveries.isPending && <SkeletonRows rows={3} />}
      {deliveries.isError && <ErrorState error={deliveries.error} onRetry={() => void deliveries.refetch()} />}
      {deliveries.data && deliveries.data.items.length === 0 && (
        <EmptyState title="No deliveries">Send a test event to see one here.</EmptyState>
      )}
      {deliveries.data && deliveries.data.items.length > 0 && (
        <Table aria-label="Deliveries">
          <TableHeader>
            <TableRow>
              <TableHead>Event</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Response</TableHead>
              <TableHead>Attempts</TableHead>
              <TableHead>Last try</TableHead>
              <TableHead className="text-right">
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {deliveries.data.items.map((d) => (
              <TableRow key={d.id}>
                <TableCell>
                  <div className="font-mono text-xs">{d.event.type}</div>
                  <div className="font-mono text-xs text-muted-foreground">{d.event.id}</div>
                </TableCell>
                <TableCell>
                  <StatusBadge kind="delivery" status={d.status} />
                  {d.manual && <span className="ml-1 text-xs text-muted-foreground">manual</span>}
                </TableCell>
                <TableCell className="max-w-72">
                  <div>
                    {d.responseCode ?? '—'}
                    {d.durationMs != null && <span className="text-muted-foreground"> in {d.durationMs} ms</span>}
                  </div>
                  {d.error && <div className="text-xs text-destructive">{d.error}</div>}
                  {d.responseExcerpt && (
                    <div className="truncate font-mono text-xs text-muted-foreground" title={d.responseExcerpt}>
                      {d.responseExcerpt}
                    </div>
                  )}
                </TableCell>
                <TableCell>
                  {d.attempts}
                  {d.nextAttemptAt && d.status === 'retrying' && (
                    <div className="text-xs text-muted-foreground">
                      next <TimeAgo date={d.nextAttemptAt} />
                    </div>
                  )}
                </TableCell>
                <TableCell>{d.lastAttemptAt ? <TimeAgo date={d.lastAttemptAt} /> : 'not yet'}</TableCell>
                <TableCell className="text-right">
                  <Button
                    size="sm"
                    variant="outline"
                    disabled={resend.isPending}
                    onClick={() => resend.mutate({ endpointId, eventId: d.event.id })}
                  >
                    Resend<span className="sr-only"> {d.event.id}</span>
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {deliveries.data && (
        <DataTablePagination
          pager={pager}
          nextCursor={deliveries.data.nextCursor}
          label="Delivery log pages"
          words={['Newer', 'Older']}
        />
      )}
    </section>
  );
}
