// The delivery log of one endpoint: newest first, filter by status and event type, resend any
// event (delivered or not). Refreshes every few seconds while open so a test event shows up.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { toast } from 'sonner';
import { subscribableEventTypes } from '../../../server/contracts/outbound.ts';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/states';
import { TimeAgo } from '@/components/time-ago';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { NativeSelect } from '@/components/ui/native-select';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { toastError } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';

const STATUSES = ['pending', 'sending', 'retrying', 'succeeded', 'failed'] as const;
type Status = (typeof STATUSES)[number];
const TONE: Record<Status, 'neutral' | 'success' | 'warning' | 'danger'> = {
  pending: 'neutral',
  sending: 'neutral',
  retrying: 'warning',
  succeeded: 'success',
  failed: 'danger',
};

export function EndpointDeliveries({ endpointId }: { endpointId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<Status | ''>('');
  const [eventType, setEventType] = useState('');
  const input = {
    endpointId,
    limit: 50,
    ...(status ? { status } : {}),
    ...(eventType ? { eventType: eventType as (typeof subscribableEventTypes)[number] } : {}),
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
        <NativeSelect aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value as Status | '')}>
          <option value="">Any status</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </NativeSelect>
        <NativeSelect aria-label="Event type" value={eventType} onChange={(e) => setEventType(e.target.value)}>
          <option value="">Any event</option>
          {[...subscribableEventTypes, 'endpoint.test'].map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </NativeSelect>
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
                  <Badge tone={TONE[d.status]}>{d.status}</Badge>
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
    </section>
  );
}
